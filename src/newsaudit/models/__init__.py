"""The packaged models: each subpackage holds one model's files, its MODEL_CARD.md and the
one cached ``load()`` (raising ``ModelError``) that the pipeline, the analyzers and the
benchmark commands call. Training writes into the same folders.
"""
