"""The text layer: tokens, sentences, lemmas and language, all in one place."""
