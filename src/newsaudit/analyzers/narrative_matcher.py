"""Matching sentences to known disinformation cases: e5 retrieval, then a trained verifier.

WHY two steps: one cosine threshold cannot tell "the same claim" from "the same topic" (on the
German dev set, zero-shot e5 finds the right case among the first five for 91% of the
paraphrases, but at the threshold where 10% of the hard negatives get a match it keeps 57%).
Retrieval ranks the cases; the verifier, a logistic regression over how a candidate stands
out from the other candidates of the same sentence (its cosine, its distance to the best and
the next one, its z-score among the top 20, how crowded the top is) and whether the names
and numbers of the sentence recur in the case's title, gives each candidate a calibrated
probability of repeating the case. Only candidates over a high threshold are shown.
WHY centred vectors: e5's vectors carry a language component; subtracting each language's
mean vector (German news sentences, English case titles) before the cosine puts a German
sentence and an English title of the same claim closer than before (dev success@5 0.91 ->
0.96).
WHY title pieces as well (late interaction): a sentence's pooled vector carries all of it,
and a claim wrapped in a framing clause ("ein klares Bekenntnis, dass ...") or said with
other words around it loses its cosine to the case. How well each piece of the case title
finds a piece of the sentence that says the same (e5's states of layers 8-12, centred per
language and reduced to 32 dimensions) is evidence the pooled cosine does not carry: as
two verifier features it raised the dev ranking AUC of right over wrong candidates from
0.918 to 0.938 (see MODEL_CARD.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

TOP_K = 20
# Paragraphs per product of the gate (an article of up to this many is one product).
GATE_CHUNK = 256
FEATURES = (
    "cosine",
    "below_best",
    "z_in_top",
    "above_next",
    "top_spread",
    "log_rank",
    "raw_cosine",
    "shared_names",
    "maxsim",
    "maxsim_below_best",
)
# Layer groups (``encoder.embedder.LAYER_GROUPS`` indices: layers 8-10 and 11-12) whose piece
# states the late interaction reads, and the dimensions each piece keeps.
PIECE_GROUPS = (2, 3)
PIECE_DIM = 32
T = TypeVar("T")
_NAME = re.compile(r"\b(?:[A-ZÄÖÜ][\w-]{2,}|\d[\d.,]*)")


# Words by which a writer distances or vouches for a claim without saying another one: the
# database words the claim bare ("The opposition is a US-controlled terrorist network").
_HEDGES = re.compile(
    r"\s*\b(?:angeblich(?:e[nmrs]?)?|vermeintlich(?:e[nmrs]?)?|in Wahrheit|in Wirklichkeit"
    r"|allegedly|supposedly|in reality|in truth)\b",
    re.IGNORECASE,
)
# A relative clause that a hedge marks as what the writer denies ("die Opposition, die
# angeblich einen Bürgerkrieg führt, ist in Wahrheit ..."): closed by a comma or the end.
_HEDGED_RELATIVE = re.compile(
    r",\s+(?:der|die|das|dem|den|deren|dessen|welche[rmns]?)\s+[^,;:]*?"
    r"\b(?:angeblich|vermeintlich)\b[^,;:]*?(?:,\s*|(?=[.!?]?\s*$))",
    re.IGNORECASE,
)
# A content clause after a framing word or clause ("ein klares Bekenntnis, dass ...",
# "Bilder belegen, dass ..."): not at the start, where "Dass X, liegt an Y" is the claim.
_CONTENT_CLAUSE = re.compile(r"(?<=\S)[,:]?\s+(?:dass|daß)\s+", re.IGNORECASE)
# A frame of at least four words before a colon that the rest explains ("Die
# Fahndungsfotos sind eine Farce: Bei den beiden Männern handelt es sich um ..."). WHY four:
# a speaker's name ("Spahn: ...", "ZEIT ONLINE: ...") frames no claim, and each bare query
# is one more encoder pass (with a dash or any colon as a frame, news sentences got 22%
# more queries, mostly parentheses and interview labels).
_FRAME = re.compile(r"^(?:[^\s:]+\s+){3,}?[^\s:]+:\s+")
# Verbs of saying that report who holds a claim ("..., heißt es in Moskau", "..., warnt das
# Verteidigungsministerium in Minsk", "Wie der Kreml betont, ...").
_SAYING = (
    r"heißt es|hieß es|sagt|sagte|sagten|sagen|berichtet|berichtete|berichten|behauptet"
    r"|behauptete|behaupten|warnt|warnte|warnen|betont|betonte|betonen|erklärt|erklärte"
    r"|erklären|versichert|versicherte|schreibt|schrieb|schreiben|meldet|meldete|melden"
    r"|meint|meinte|verkündet|verkündete|glaubt|glauben|argumentiert|argumentierte"
    r"|unterstreicht|unterstrich|bekräftigt|bekräftigte|beteuert|beteuerte|so"
)
# The attribution after the claim: its last clause, opened by a verb of saying ("...,
# berichtet ein russischer Staatssender.") or by "wie" and closed by one ("..., wie die
# Agentur meldete.").
_TRAILING_SOURCE = re.compile(
    rf",\s+(?:(?:so|wie)\s+)?(?:{_SAYING})\b[^,;:–]*?([.!?]?)\s*$"
    rf"|,\s+wie\s+[^,;:–]*?(?:{_SAYING})\s*([.!?]?)\s*$"
)
# The attribution before the claim: "Wie Beobachter in Moskau längst vermuten, ...".
_LEADING_SOURCE = re.compile(r"^(?:Wie|So)\s+[^,;:]{3,120}?,\s+")
_QUOTES = '"„“”«»'
# A quotation mark at either end of a text (the end before its final stop: "... ist“.").
_END_QUOTES = re.compile(rf"^[{_QUOTES}]|[{_QUOTES}](?=[.!?]?$)")
# Fewest words a content clause keeps to be queried alone.
MIN_CLAUSE_WORDS = 6


def without_source(text: str) -> str:
    """The passage without the clause that says who holds its claim ("..., heißt es im
    Kreml.", "Wie der Kreml nicht müde wird zu betonen, ..."), whitespace collapsed.
    WHY: a case title states the claim bare; the attribution adds words of its own to the
    pooled vector (on the blind set test5 the right case of "Schwule Männer und Frauen
    werden in Russland nicht verfolgt, heißt es im Kreml." ranks 2nd as written)."""
    text = " ".join(text.split())
    trailing = _TRAILING_SOURCE.search(text)
    if trailing is not None and len(text[: trailing.start()].split()) >= MIN_CLAUSE_WORDS:
        end = trailing.group(1) or trailing.group(2) or "."
        text = text[: trailing.start()] + end
    leading = _LEADING_SOURCE.match(text)
    if leading is not None and len(text[leading.end() :].split()) >= MIN_CLAUSE_WORDS:
        text = text[leading.end() :]
    return text


def without_loose_quotes(text: str) -> str:
    """The text without the quotation marks at its ends when it holds an odd number: a
    clause cut out of a quotation keeps one of the pair ("... Terrornetzwerk ist“.")."""
    if sum(text.count(q) for q in _QUOTES) % 2:
        text = _END_QUOTES.sub("", text)
    return text


def query_texts(text: str) -> list[str]:
    """The passage without its attribution (:func:`without_source`) and, when it differs,
    its bare claim: what follows a framing colon, the content clause of a reporting
    or framing construction ("ein klares Bekenntnis, dass die Opposition ... ist"), without
    hedges ("angeblich", "in Wahrheit"). A case is matched by its best query.
    WHY: the pooled vector of the whole sentence carries the frame and the hedges as well,
    and the case's cosine drops under that of unrelated cases on the same topic (the
    sample's US-controlled-terror-network passage: the best case of the US supporting
    terrorists in Syria ranks 4th at 0.353 as written, 1st at 0.456 as its bare clause).
    WHY both and not the bare claim alone: in "Der Westen verhindert, dass ..." the frame is
    the claim, and "der angebliche Chemiewaffenangriff" denies the attack (test4 success@5
    0.7647 -> 0.7451 with the bare claim alone). WHY the attribution is dropped from both:
    who says a claim is never the claim, and a passage keeps at most two encoder passes."""
    first = without_source(text)
    bare = first
    frame = _FRAME.match(bare)
    if frame is not None and len(bare[frame.end() :].split()) >= MIN_CLAUSE_WORDS:
        bare = bare[frame.end() :]
    clause = _CONTENT_CLAUSE.search(bare)
    if clause is not None and len(bare[clause.end() :].split()) >= MIN_CLAUSE_WORDS:
        bare = bare[clause.end() :]
    bare = " ".join(_HEDGES.sub("", _HEDGED_RELATIVE.sub(" ", bare)).split())
    bare = without_loose_quotes(re.sub(r"\s+([.!?,])", r"\1", bare))
    if bare == first or len(bare.split()) < MIN_CLAUSE_WORDS:
        return [first]
    return [first, bare]


def best_of(
    found: Sequence[Sequence[T]],
    limit: int,
    title: Callable[[T], str] = lambda m: m.case.title,  # type: ignore[attr-defined]
    probability: Callable[[T], float] = lambda m: m.probability,  # type: ignore[attr-defined]
) -> list[T]:
    """The matches of several queries of one passage: each title (whitespace collapsed, any
    case) once, at its most probable query, most probable first, at most ``limit``.
    ``title`` and ``probability`` read a match (by default a :class:`Match`; training passes
    (title, probability) pairs, so that it scores a sentence as the analyzer shows it)."""
    best: dict[str, T] = {}
    for matches in found:
        for match in matches:
            key = " ".join(title(match).split()).casefold()
            if key not in best or probability(match) > probability(best[key]):
                best[key] = match
    return sorted(best.values(), key=lambda m: -probability(m))[:limit]


def unit(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def quantize(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows as int8 with one float16 scale each (a quarter of float32, cosines within 1e-2)."""
    scale = np.abs(matrix).max(axis=1, keepdims=True) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float16)
    return np.round(matrix / scale.astype(np.float32)).astype(np.int8), scale[:, 0]


def dequantize(rows: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return rows.astype(np.float32) * scale.astype(np.float32)[:, None]


def _trigrams(word: str) -> set[str]:
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(ch for ch in word if ch.isalnum())
    return {word[i : i + 3] for i in range(max(1, len(word) - 2))}


def names(text: str) -> list[set[str]]:
    """The capitalised words and numbers of a text, each as its character trigrams, so that
    "Nawalny" and "Navalny" or "Skripals" and "Skripal" still meet."""
    return [_trigrams(m.group()) for m in _NAME.finditer(text)]


class EntryNames(Sequence[list[set[str]]]):
    """The names of each entry's case title (see :func:`names`), made when first read and
    kept per case. WHY lazy: only the top candidates of a sentence are compared, and making
    them for all 11,500 titles took most of the model's load time."""

    def __init__(self, cases: Sequence[CaseInfo], entry_case: np.ndarray) -> None:
        self.cases = cases
        self.entry_case = entry_case
        self._made: dict[int, list[set[str]]] = {}

    def __len__(self) -> int:
        return len(self.entry_case)

    def __getitem__(self, entry):  # type: ignore[override]
        if isinstance(entry, slice):
            return [self[i] for i in range(*entry.indices(len(self)))]
        case = int(self.entry_case[entry])
        if case not in self._made:
            self._made[case] = names(self.cases[case].title)
        return self._made[case]


def shared_names(query: list[set[str]], title: list[set[str]]) -> float:
    """The share of the title's names that the sentence also names (best trigram overlap)."""
    if not query or not title:
        return 0.0
    total = 0.0
    for grams in title:
        total += max(len(grams & q) / len(grams | q) for q in query)
    return total / len(title)


def piece_rows(states: np.ndarray) -> np.ndarray:
    """(pieces, groups, hidden) e5 piece states as (pieces, len(PIECE_GROUPS) * hidden): each
    group's state of a piece unit length, side by side."""
    states = np.asarray(states, dtype=np.float32)
    return np.concatenate([unit(states[:, g]) for g in PIECE_GROUPS], axis=1)


@dataclass(frozen=True)
class TitlePieces:
    """The piece states of every case title, centred by the title language's mean, projected
    to ``PIECE_DIM`` dimensions (a PCA of title and German news pieces) and stored as unit
    int8 rows; ``offsets[c]:offsets[c + 1]`` are case ``c``'s pieces."""

    projection: np.ndarray  # (len(PIECE_GROUPS) * hidden, PIECE_DIM) float32
    means: dict[str, np.ndarray]  # language -> (len(PIECE_GROUPS) * hidden,) mean piece row
    states: np.ndarray  # (pieces, PIECE_DIM) int8, 127 = 1
    offsets: np.ndarray  # (cases + 1,) int64

    @property
    def cases(self) -> int:
        return len(self.offsets) - 1

    def project(self, states: np.ndarray, language: str | None) -> np.ndarray:
        """A text's e5 piece states, (pieces, groups, hidden) or already as
        :func:`piece_rows`, as unit rows of the projected space."""
        rows = piece_rows(states) if np.ndim(states) == 3 else np.asarray(states, np.float32)
        mean = self.means.get(language or "", self.means["en"])
        return unit(unit(rows - mean) @ self.projection)

    def maxsim(self, query: np.ndarray, case: int) -> float:
        """Title to sentence late interaction: the mean over the title's pieces of the best
        cosine to a piece of the sentence (``query``: :meth:`project` rows); NaN for a case
        without stored pieces (a user's index) or a sentence without pieces."""
        if case >= self.cases or not len(query):
            return float("nan")
        start, end = int(self.offsets[case]), int(self.offsets[case + 1])
        if end <= start:
            return float("nan")
        title = self.states[start:end].astype(np.float32) / 127.0
        return float((title @ query.T).max(axis=1).mean())


@dataclass(frozen=True)
class Candidates:
    """The top cases of one sentence: row indices into the index, best first, with the
    verifier's features."""

    rows: np.ndarray  # (k,) int
    features: np.ndarray  # (k, len(FEATURES)) float32


class RowCosines:
    """The raw cosines of a query to the entry rows asked for (``cosines[rows]``), computed
    for those rows only: the verifier reads them for the top candidates alone."""

    def __init__(self, entries: np.ndarray, query: np.ndarray) -> None:
        self.entries = entries
        self.query = query

    def __getitem__(self, rows: np.ndarray) -> np.ndarray:
        return self.entries[rows] @ self.query


def candidate_features(
    centred: np.ndarray,
    raw: np.ndarray | RowCosines,
    query_names: list[set[str]],
    title_names: Sequence[list[set[str]]],
    maxsim: Callable[[int], float] | None = None,
    k: int = TOP_K,
) -> Candidates:
    """Features of the ``k`` best cases of one sentence from its cosines to every case
    (``centred``: after centring, ``raw``: before, read for the best rows only) and
    ``maxsim``, the late interaction of an entry row (NaN without one: the verifier then
    reads its training mean)."""
    k = min(k, len(centred))
    if k == 0:
        return Candidates(np.zeros(0, dtype=np.int64), np.zeros((0, len(FEATURES)), np.float32))
    rows = np.argpartition(-centred, k - 1)[:k]
    rows = rows[np.argsort(-centred[rows], kind="stable")]
    top = centred[rows]
    following = np.append(top[1:], top[-1] if k == 1 else top[-1] - (top[-2] - top[-1]))
    spread = float(top[0] - top[-1])
    z = (top - top.mean()) / (top.std() + 1e-3)
    late = np.array([maxsim(int(r)) if maxsim else np.nan for r in rows], dtype=np.float32)
    late_best = np.nanmax(late) if np.isfinite(late).any() else np.nan
    features = np.column_stack(
        [
            top,
            top - top[0],
            z,
            top - following,
            np.full(k, spread),
            np.log1p(np.arange(k)),
            raw[rows],
            [shared_names(query_names, title_names[r]) for r in rows],
            late,
            late - late_best,
        ]
    ).astype(np.float32)
    return Candidates(rows, features)


@dataclass(frozen=True)
class Verifier:
    """Logistic regression over standardised features, then Platt calibration."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    calibration: tuple[float, float] = (1.0, 0.0)

    def logit(self, features: np.ndarray) -> np.ndarray:
        """The regression's score before calibration (the query gate reads its best); a
        missing feature (NaN) counts as its training mean."""
        features = np.where(np.isnan(features), self.mean, features)
        return ((features - self.mean) / self.scale) @ self.coef + self.intercept

    def probability(self, features: np.ndarray) -> np.ndarray:
        a, b = self.calibration
        return 1.0 / (1.0 + np.exp(-(a * self.logit(features) + b)))

    def to_json(self) -> dict:
        return {
            "features": list(FEATURES),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "calibration": list(self.calibration),
        }

    @classmethod
    def from_json(cls, data: dict) -> Verifier:
        if list(data["features"]) != list(FEATURES):
            raise ValueError(f"verifier features {data['features']} differ from {FEATURES}")
        return cls(
            mean=np.array(data["mean"], dtype=np.float32),
            scale=np.array(data["scale"], dtype=np.float32),
            coef=np.array(data["coef"], dtype=np.float32),
            intercept=float(data["intercept"]),
            calibration=tuple(data["calibration"]),
        )


GATE_FEATURES = ("margin", "best_logit", "claim_likeness")


@dataclass(frozen=True)
class QueryGate:
    """Is the sentence a documented kind of claim at all, or a fact on the same topic?

    WHY: the verifier says how a candidate stands out among the sentence's candidates, so
    a factual sentence on a documented topic ("Die WHO hat Covid-19 im März 2020 zur
    Pandemie erklärt") still gets a confident best case. The gate compares the sentence
    with a fact bank (factual sentences: EUvsDisinfo disproofs, everyday German news, the
    training set's hard negatives) as well as with the cases: a logistic regression over
    the margin of its best case cosine over its best fact cosine, the verifier's best
    logit and a claim-likeness score (a linear probe on the centred e5 vector, case titles
    and paraphrases against the fact bank), giving the probability that the sentence
    repeats a documented case. ``facts`` are the bank's centred unit vectors."""

    facts: np.ndarray  # (n, hidden) float32
    probe: np.ndarray  # (hidden,)
    probe_intercept: float
    mean: np.ndarray  # (len(GATE_FEATURES),)
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def features(self, centred: np.ndarray, best_case: float, best_logit: float) -> np.ndarray:
        best_fact = float((self.facts @ centred).max()) if len(self.facts) else -1.0
        claim = float(centred @ self.probe + self.probe_intercept)
        return np.array([best_case - best_fact, best_logit, claim], dtype=np.float32)

    def probability(self, features: np.ndarray) -> np.ndarray:
        logit = ((features - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-logit))

    def to_json(self) -> dict:
        """The weights without the fact bank (stored as int8 rows in the index)."""
        return {
            "features": list(GATE_FEATURES),
            "probe": self.probe.tolist(),
            "probe_intercept": self.probe_intercept,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict, facts: np.ndarray) -> QueryGate:
        if list(data["features"]) != list(GATE_FEATURES):
            raise ValueError(f"gate features {data['features']} differ from {GATE_FEATURES}")
        return cls(
            facts=unit(facts),
            probe=np.array(data["probe"], dtype=np.float32),
            probe_intercept=float(data["probe_intercept"]),
            mean=np.array(data["mean"], dtype=np.float32),
            scale=np.array(data["scale"], dtype=np.float32),
            coef=np.array(data["coef"], dtype=np.float32),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )


@dataclass(frozen=True)
class CaseInfo:
    """What a user is shown about one indexed case."""

    case_id: str
    title: str
    url: str | None = None
    date: str | None = None
    disproof: str = ""
    database: str = "EUvsDisinfo"
    keywords: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """One case a sentence repeats: its row, cosine and calibrated probability."""

    row: int
    case: CaseInfo
    score: float
    probability: float


class NarrativeModel:
    """The packaged index and the verifier with its threshold; further indexes (``newsaudit
    index add``) are searched together with the packaged one.

    The index holds entries, each an e5 vector of one text of a case (its title, and its
    summary where the database has one: a summary words the claim again, often as a
    German article would argue it); ``entry_case`` maps entries to cases, and a case is
    matched by its best entry.
    """

    def __init__(
        self,
        vectors: np.ndarray,
        cases: Sequence[CaseInfo],
        means: dict[str, np.ndarray],
        verifier: Verifier,
        threshold: float,
        case_languages: Sequence[str] | None = None,
        groups: np.ndarray | None = None,
        entry_case: np.ndarray | None = None,
        gate: float = -1.0,
        query_gate: QueryGate | None = None,
        max_shown: int = 10,
        pieces: TitlePieces | None = None,
    ) -> None:
        self.raw = unit(vectors)
        self.cases = cases
        self.entry_case = (
            np.asarray(entry_case, dtype=np.int64)
            if entry_case is not None
            else np.arange(len(self.cases))
        )
        if len(self.entry_case) != len(self.raw):
            raise ValueError(f"{len(self.raw)} vectors but {len(self.entry_case)} entry rows")
        # Related cases (the same claim documented again) share a group; a case without a
        # group from training is a group of its own.
        self.groups = (
            np.asarray(groups, dtype=np.int64) if groups is not None else np.arange(len(cases))
        )
        self._group_stats: dict[int, tuple[int, str | None, str | None]] | None = None
        self.means = means
        self.verifier = verifier
        self.threshold = threshold
        # A paragraph whose e5 vector comes no closer than this to any entry holds no passage
        # worth encoding on its own (see ``paragraph_scores``).
        self.gate = gate
        # Without a query gate every sentence may show matches (a user index alone).
        self.query_gate = query_gate
        self.max_shown = max_shown
        # The case titles' piece states for the late interaction (None: its features are
        # missing for every candidate).
        self.pieces = pieces
        self.case_languages = list(case_languages or ["en"] * len(self.cases))
        case_means = np.stack([self._mean(language) for language in self.case_languages])
        self.centred = unit(self.raw - case_means[self.entry_case])
        self.entry_names = EntryNames(self.cases, self.entry_case)

    def _mean(self, language: str | None) -> np.ndarray:
        return self.means.get(language or "", self.means["en"])

    def with_cases(
        self, vectors: np.ndarray, cases: Sequence[CaseInfo], languages: Sequence[str]
    ) -> NarrativeModel:
        """This model searching ``cases`` too (one vector each, e.g. a user's fact-check
        index)."""
        if not len(cases):
            return self
        start = int(self.groups.max()) + 1 if len(self.groups) else 0
        return NarrativeModel(
            np.vstack([self.raw, unit(vectors)]),
            [*self.cases, *cases],
            self.means,
            self.verifier,
            self.threshold,
            [*self.case_languages, *languages],
            np.concatenate([self.groups, start + np.arange(len(cases))]),
            np.concatenate([self.entry_case, len(self.cases) + np.arange(len(cases))]),
            self.gate,
            self.query_gate,
            self.max_shown,
            self.pieces,
        )

    def group_of(self, case: int) -> tuple[int, int, str | None, str | None]:
        """(group id, its number of cases, its first and last date) of a case."""
        if self._group_stats is None:
            stats: dict[int, tuple[int, str | None, str | None]] = {}
            for group, info in zip(self.groups.tolist(), self.cases, strict=True):
                count, first, last = stats.get(group, (0, None, None))
                if info.date:
                    first = min(first, info.date) if first else info.date
                    last = max(last, info.date) if last else info.date
                stats[group] = (count + 1, first, last)
            self._group_stats = stats
        group = int(self.groups[case])
        return (group, *self._group_stats[group])

    def paragraph_scores(self, vectors: np.ndarray, language: str | None) -> np.ndarray:
        """Each paragraph's best centred cosine to any entry, from the e5 passage vectors the
        pipeline computed for the paragraphs anyway: the cheap gate in front of encoding
        each of its passages alone."""
        if not len(vectors):
            return np.zeros(0, dtype=np.float32)
        centred = unit(unit(vectors) - self._mean(language))
        # In chunks of paragraphs: the cosines to every entry take 54 KB a paragraph.
        return np.concatenate(
            [
                (centred[i : i + GATE_CHUNK] @ self.centred.T).max(axis=1)
                for i in range(0, len(centred), GATE_CHUNK)
            ]
        )

    def centre(self, vector: np.ndarray, language: str | None) -> np.ndarray:
        """A sentence's e5 vector without its language's mean, unit length."""
        return unit(unit(vector) - self._mean(language))

    def candidates(
        self,
        vector: np.ndarray,
        text: str,
        language: str | None,
        states: np.ndarray | None = None,
    ) -> Candidates:
        """The best entries of ``text`` (rows of the index) with their features; ``states``
        are the text's e5 piece states (``Encoded.states``), without which the late
        interaction features are missing."""
        return self.candidates_of([vector], [text], language, [states])[0]

    def candidates_of(
        self,
        vectors: Sequence[np.ndarray],
        texts: Sequence[str],
        language: str | None,
        states: Sequence[np.ndarray | None] | None = None,
    ) -> list[Candidates]:
        """:meth:`candidates` of several texts, their centred cosines to every entry in one
        product and the raw cosines only for their best entries.
        WHY: each product reads the whole index (21 MB of float32); one per query cost
        about a third of a short query's encoder pass (0.023 CPU-s an article)."""
        if not len(texts):
            return []
        rows = np.stack([np.asarray(v, np.float32) for v in vectors])
        cosines = unit(unit(rows) - self._mean(language)) @ self.centred.T
        out = []
        for i, text in enumerate(texts):
            piece_states = states[i] if states is not None else None
            maxsim = None
            if self.pieces is not None and piece_states is not None:
                maxsim = self._maxsim(self.pieces.project(piece_states, language))
            out.append(
                candidate_features(
                    cosines[i],
                    RowCosines(self.raw, unit(rows[i])),
                    names(text),
                    self.entry_names,
                    maxsim,
                )
            )
        return out

    def _maxsim(self, query: np.ndarray) -> Callable[[int], float]:
        """The late interaction of an entry row with a text's projected pieces."""
        pieces, entry_case = self.pieces, self.entry_case
        assert pieces is not None

        def maxsim(row: int) -> float:
            return pieces.maxsim(query, int(entry_case[row]))

        return maxsim

    def gate_probability(
        self, vector: np.ndarray, language: str | None, found: Candidates
    ) -> float:
        """The query gate's probability that the sentence repeats a documented case (1.0
        without a gate)."""
        if self.query_gate is None or not len(found.rows):
            return 1.0
        features = self.query_gate.features(
            self.centre(vector, language),
            float(found.features[0, 0]),
            float(self.verifier.logit(found.features).max()),
        )
        return float(self.query_gate.probability(features))

    def match(
        self,
        vector: np.ndarray,
        text: str,
        language: str | None,
        limit: int = 10,
        states: np.ndarray | None = None,
    ) -> list[Match]:
        """The cases ``text`` repeats with a probability at or over the threshold, most
        probable first, when the query gate passes it; each case once, a title once even
        when several cases carry it, at most ``max_shown``. ``states``: as for
        :meth:`candidates`."""
        return self.match_of([vector], [text], language, limit, [states])[0]

    def match_of(
        self,
        vectors: Sequence[np.ndarray],
        texts: Sequence[str],
        language: str | None,
        limit: int = 10,
        states: Sequence[np.ndarray | None] | None = None,
    ) -> list[list[Match]]:
        """:meth:`match` of several texts (their candidates by :meth:`candidates_of`)."""
        found = self.candidates_of(vectors, texts, language, states)
        return [
            self._shown(vector, each, language, limit)
            for vector, each in zip(vectors, found, strict=True)
        ]

    def _shown(
        self, vector: np.ndarray, found: Candidates, language: str | None, limit: int
    ) -> list[Match]:
        if not len(found.rows):
            return []
        if self.query_gate is not None and (
            self.gate_probability(vector, language, found) < self.query_gate.threshold
        ):
            return []
        limit = min(limit, self.max_shown)
        probabilities = self.verifier.probability(found.features)
        out: list[Match] = []
        seen: set[str] = set()
        for j in np.argsort(-probabilities, kind="stable"):
            if probabilities[j] < self.threshold or len(out) == limit:
                break
            row = int(self.entry_case[found.rows[j]])
            case = self.cases[row]
            title = " ".join(case.title.split()).casefold()
            if title in seen:
                continue
            seen.add(title)
            score = round(float(found.features[j, 0]), 4)
            out.append(Match(row, case, score, round(float(probabilities[j]), 4)))
        return out
