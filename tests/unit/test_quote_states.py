"""The quote tagger's e5 context: SpkAtt tokens as printed text, tokens pooled from pieces,
and the tagger reading the shared paragraph encodings."""

from __future__ import annotations

import numpy as np

from newsaudit.analyzers.base import Context
from newsaudit.analyzers.quote_states import joined, paragraphs, token_states
from newsaudit.analyzers.quotes import QuotesAnalyzer
from newsaudit.ingest import document_from_text
from newsaudit.nlp.tokens import build_text_layer


def test_joined_prints_tokens_as_news_does_and_keeps_their_spans():
    tokens = ["Er", "sagte", ":", "„", "Gut", ".", "“", "(", "Ohio", ")", '"', "x", '"', "."]
    text, spans = joined(tokens)
    assert text == 'Er sagte: „Gut.“ (Ohio) "x".'
    assert [text[a:b] for a, b in spans] == tokens


def test_paragraphs_cover_every_sentence_once():
    sentences = [["Satz", str(i), "."] * 20 for i in range(5)] + [["Ende", "."]]
    groups = list(paragraphs(sentences))
    numbers = [s for group, _, _ in groups for s in group]
    assert numbers == list(range(len(sentences)))
    for group, text, spans in groups:
        for s, token_spans in zip(group, spans, strict=True):
            assert [text[a:b] for a, b in token_spans] == sentences[s]


def test_token_states_average_the_pieces_of_the_tokens_word():
    # "sagte," is one word of two pieces; its comma token shares the word's state
    values = np.array([[1.0, 0.0], [3.0, 2.0], [5.0, 5.0]], np.float32)
    spans = np.array([[0, 2], [0, 2], [3, 9]], np.int32)
    out = token_states(values, spans, [(0, 2), (3, 8), (8, 9), (10, 12)])
    assert out.tolist() == [[2.0, 1.0], [5.0, 5.0], [5.0, 5.0], [0.0, 0.0]]


def test_projection_of_the_mean_state_is_the_mean_of_projected_pieces():
    from newsaudit.models import quotes

    tagger = quotes.load()
    rng = np.random.default_rng(0)
    states = rng.normal(size=(3, 4, 384)).astype(np.float16)
    pieces = tagger.project(states).astype(np.float32)
    assert pieces.shape == (3, tagger.state_dims)
    mean = states.astype(np.float32).mean(axis=0, keepdims=True).astype(np.float16)
    assert np.allclose(pieces.mean(axis=0), tagger.project(mean)[0], atol=0.05)


def test_quotes_read_the_shared_paragraph_encodings_once():
    text = (
        "Der Bürgermeister äußerte sich am Montag.\n\n"
        "„Wir bauen die Brücke bis zum Sommer“, sagte Anna Lindqvist. "
        "Laut der Verwaltung beginnen die Arbeiten im Frühjahr."
    )
    document = document_from_text(text)
    context = Context(document=document, layer=build_text_layer(document))
    analyzer = QuotesAnalyzer()
    analyzer.load()
    context.encodings.register(analyzer.name, analyzer.piece_reader(document.language))
    quotes = analyzer.analyze(context)["quotes"]
    assert any("Lindqvist" in q.speaker.text for q in quotes if q.speaker)
    for row in range(len(context.encodings)):
        encoding = context.encodings[row]
        assert encoding is not None and analyzer.name in encoding.reads
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text


def test_numpy_lstm_matches_torch_for_sentences_of_any_length():
    import pytest

    torch = pytest.importorskip("torch", reason="torch is in the [train] extra only")
    from newsaudit.nlp.quote_tagger import lstm

    torch.manual_seed(0)
    net = torch.nn.LSTM(5, 4, batch_first=True, bidirectional=True)

    def weights(suffix: str):
        return (
            getattr(net, f"weight_ih_l0{suffix}").detach().numpy(),
            getattr(net, f"weight_hh_l0{suffix}").detach().numpy(),
            (getattr(net, f"bias_ih_l0{suffix}") + getattr(net, f"bias_hh_l0{suffix}"))
            .detach()
            .numpy(),
        )

    xs = [torch.randn(1, n, 5) for n in (7, 3, 0, 5)]
    forward = lstm([x[0].numpy() for x in xs], *weights(""))
    backward = [h[::-1] for h in lstm([x[0].numpy()[::-1] for x in xs], *weights("_reverse"))]
    for x, f, b in zip(xs, forward, backward, strict=True):
        assert f.shape == (x.shape[1], 4)
        if x.shape[1]:
            expected = net(x)[0][0].detach().numpy()
            assert np.allclose(np.hstack([f, b]), expected, atol=1e-5)
