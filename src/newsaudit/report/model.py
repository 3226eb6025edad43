"""The Report: one versioned, evidence-carrying result per article.

Every span-like object carries ``start``/``end`` into ``Report.text`` and the ``text`` it
covers, so that any consumer can check ``report.text[start:end] == span.text``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# 2.0 added findings, warnings, windows, persuasion, flag probability and level, the
# credibility score and signals, narratives, quote changes and speaker kinds.
SCHEMA_VERSION = "2.0"

ParagraphRole = Literal["title", "lead", "tags", "body"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A stretch of ``Report.text``; the base of every annotation that points at text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Paragraph(_Model):
    index: int
    start: int
    end: int
    role: ParagraphRole = "body"
    window: bool = Field(
        default=False,
        description="A few sentences of a line too long to be one paragraph, cut by newsaudit "
        "(not a paragraph of the author's).",
    )


class Sentence(_Model):
    start: int
    end: int


class Entity(Span):
    label: Literal["PER", "ORG", "LOC", "OTH"]
    cluster: str | None = None
    score: float | None = None


class EntityCluster(_Model):
    id: str
    canonical: str
    label: Literal["PER", "ORG", "LOC", "OTH"]
    mentions: list[Span] = Field(default_factory=list)


class Quote(Span):
    """One act of speech: who (speaker) said what (message), marked by which cue.

    The quote's own span covers its message, cue and a speaker named in the same sentences;
    a speaker named in a neighbouring sentence is only in ``speaker``.
    """

    kind: Literal["direct", "indirect", "free_indirect", "reported"]
    cue: Span | None = None
    speaker: Span | None = None
    speaker_cluster: str | None = None
    speaker_name: str | None = Field(
        default=None,
        description="How the article names the speaker (cluster canonical name, else the "
        "longest mention with the same surname); groups quotes by person. None for a "
        'role phrase ("ein Sprecher des Ministeriums"), which names no one person.',
    )
    speaker_kind: Literal["name", "pronoun", "role"] | None = Field(
        default=None,
        description="name: a person or organisation; pronoun: resolved to the person before "
        'it; role: a phrase naming a function or group ("Experten").',
    )
    message: Span
    addressee: Span | None = None
    score: float | None = None


class Claim(Span):
    score: float
    attribution: Literal["source", "outlet"] = "outlet"
    attributed_to: str | None = Field(
        default=None, description="Entity cluster id of the source, or None for the outlet."
    )
    attributed_name: str | None = None
    subjective: bool = False
    subjectivity_score: float | None = None
    reason: str = ""


class Evidence(Span):
    """A sentence that carries a technique; ``cues`` are the words that weighed most."""

    score: float | None = None
    cues: list[str] = Field(default_factory=list)


class TechniqueFlag(Span):
    """A persuasion technique found in one paragraph, with the sentences that carry it."""

    technique: str
    paragraph: int
    score: float
    threshold: float | None = None
    probability: float | None = Field(
        default=None,
        description="Calibrated probability that the flag is right (None where the language "
        "has no calibrator).",
    )
    level: Literal["strong", "possible"] | None = Field(
        default=None,
        description="strong: the probability reaches the strong cut, above which flags were "
        "right at least 60% of the time on held-out German paragraphs; else possible.",
    )
    evidence: list[Evidence] = Field(default_factory=list)
    definition: str = ""
    definition_de: str = ""


class NarrativeMatch(_Model):
    """A documented disinformation case that a passage of the article repeats, with the
    database's debunk (``url``, ``disproof``) beside it."""

    case_id: str
    title: str = Field(description="The case as the database titles it.")
    url: str | None = Field(default=None, description="The database's report (the debunk).")
    date: str | None = Field(default=None, description="When the database documented it.")
    score: float = Field(description="Cosine of passage and case after language centring.")
    probability: float = Field(
        description="Calibrated probability that the passage repeats the case; only matches "
        "over the model's threshold are reported."
    )
    evidence: Span
    disproof: str | None = None
    database: str = "EUvsDisinfo"
    narrative: int = Field(description="Index of its group in Report.narrative_groups.")


class NarrativeGroup(_Model):
    """Related cases of the database (the same claim documented again and again) that this
    article repeats, with how often and over which dates the database saw them."""

    title: str = Field(description="The title of its best-matching case in this article.")
    database: str = "EUvsDisinfo"
    case_count: int = Field(description="Cases of this narrative in the database.")
    date_from: str | None = None
    date_to: str | None = None
    matches: list[int] = Field(default_factory=list, description="Indices in Report.narratives.")


class TechniqueCount(_Model):
    technique: str
    strong: int
    all: int


class PersuasiveParagraph(Span):
    """A paragraph with its flags: the places where the article persuades most."""

    paragraph: int
    strong: int
    all: int
    techniques: list[str] = Field(default_factory=list)


class Persuasion(_Model):
    """How much the article persuades, against everyday news."""

    words: int
    strong: int
    all: int
    strong_per_1000_words: float
    all_per_1000_words: float
    dominant: list[TechniqueCount] = Field(
        default_factory=list, description="The techniques with the most flags, strong first."
    )
    paragraphs: list[PersuasiveParagraph] = Field(
        default_factory=list, description="The paragraphs with the most persuasion."
    )
    percentile: float | None = Field(
        default=None,
        description="Share (0-100) of reference articles of everyday news (FANG-COVID's "
        "training outlets tagesspiegel.de and zeit.de) with fewer strong flags per 1,000 "
        "words; None where no reference exists for the language.",
    )
    unusual: bool = Field(
        default=False,
        description="Strong flags per 1,000 words above the 90th percentile of the reference.",
    )
    reference: str | None = None


class Genre(_Model):
    """Opinion, reporting or satire (SemEval-2023 subtask 1), with the probability of each."""

    label: str
    scores: dict[str, float] = Field(default_factory=dict)


class Frame(_Model):
    """One of the 14 Media Frames Corpus frames (SemEval-2023 subtask 2) over its threshold."""

    label: str
    score: float


class Keyword(_Model):
    text: str
    lemma: str
    score: float = Field(description="Higher is more salient.")
    kind: Literal["entity", "phrase"] = "phrase"
    occurrences: list[Span] = Field(default_factory=list)


class SignalEvidence(Span):
    """A passage a credibility signal rests on; ``quote`` links the quote it concerns."""

    quote: int | None = Field(
        default=None,
        description="Index in Report.quotes of the quote this passage frames or belongs to.",
    )


class Signal(_Model):
    """One credibility signal: a measured property of the article and why it matters."""

    name: str
    value: float | str | bool
    explanation: str
    explanation_de: str = ""
    spans: list[SignalEvidence] = Field(default_factory=list)


class ScoreEffect(_Model):
    """How much one signal moved the credibility score away from an average article."""

    signal: str
    value: float = Field(description="The signal's value as the score model read it.")
    effect: float = Field(
        description="Score of an average training article given this article's value of the "
        "signal, minus the average article's score (positive: the signal makes an article "
        "look more like reliable-outlet reporting)."
    )


STYLE_ESTIMATE_NOTE = (
    "A style estimate: how much the sourcing and writing resemble reporting of reliable "
    "outlets. It is not a verdict on whether the article is true."
)
STYLE_ESTIMATE_NOTE_DE = (
    "Eine Stilschätzung: wie sehr Quellenarbeit und Schreibweise der Berichterstattung "
    "verlässlicher Medien ähneln. Kein Urteil darüber, ob der Artikel wahr ist."
)


class Credibility(_Model):
    signals: list[Signal] = Field(default_factory=list)
    attribution_shares: dict[str, float] = Field(
        default_factory=dict,
        description="Share of body characters that are quotes, outlet assertions, outlet opinion.",
    )
    score: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Calibrated probability that an article written like this one comes from a "
        "reliable outlet (FANG-COVID training outlets); higher is more credible. A style "
        "estimate, not a verdict on truth.",
    )
    score_effects: list[ScoreEffect] = Field(
        default_factory=list, description="The signals that moved the score most, largest first."
    )
    note: str = STYLE_ESTIMATE_NOTE
    note_de: str = STYLE_ESTIMATE_NOTE_DE


# The kinds of change `newsaudit compare` finds between a quote and its source.
ChangeKind = Literal[
    "hedge_strengthened",
    "condition_dropped",
    "negation_flipped",
    "number_changed",
    "scope_widened",
    "speech_act_reframed",
    "content_added",
    "quote_cut",
    "misattribution",
]


class QuoteChange(Span):
    """What the article says a source said, changed against that source (``newsaudit
    analyze --source``): the article's words, the source's, and what changed."""

    kind: ChangeKind
    source_index: int = Field(ge=0, description="Which source (0-based, in the order given).")
    source_start: int = Field(ge=0, description="Offsets into that source as given.")
    source_end: int = Field(ge=0)
    source_text: str
    explanation: str
    score: float = Field(
        ge=0,
        le=1,
        description="How closely the two passages correspond (alignment coverage); not a "
        "calibrated probability that the change is a distortion.",
    )


class Finding(Span):
    """One of the few things a reader should look at first: one sentence and its passage.

    Derived from the other layers at the end of the pipeline (``report/findings.py``), ranked
    so that the most consequential come first. An empty passage (``start == end == 0``) means
    the finding is about the whole article.
    """

    kind: Literal["narrative", "quote_fidelity", "claim", "technique", "credibility"]
    rank: int = Field(ge=1, description="1 is the finding to read first.")
    severity: Literal["high", "medium", "low"]
    layer: str = Field(description="The Report field it was derived from, e.g. techniques.")
    ref: int | None = Field(default=None, description="Index of the item in that field.")
    sentence: str
    sentence_de: str


class AnalyzerInfo(_Model):
    name: str
    version: str
    model: str | None = None
    status: Literal["ok", "skipped", "failed"] = "ok"
    note: str | None = None


class Report(_Model):
    schema_version: str = SCHEMA_VERSION
    id: str
    text: str
    language: str | None = None
    language_confidence: float | None = None
    title: str | None = None
    lead: str | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    offset_map: list[tuple[int, int]] = Field(
        default_factory=list,
        description=(
            "Breakpoints [text_offset, source_offset] mapping Report.text back to the user's "
            "decoded input where normalisation changed lengths; empty when identical."
        ),
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="What ingest changed or could not use (bytes replaced, control characters "
        "removed, an unreadable date kept only in metadata); empty when nothing.",
    )
    paragraphs: list[Paragraph] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    entity_clusters: list[EntityCluster] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    techniques: list[TechniqueFlag] = Field(default_factory=list)
    persuasion: Persuasion | None = None
    genre: Genre | None = None
    frames: list[Frame] = Field(default_factory=list)
    keywords: list[Keyword] = Field(default_factory=list)
    narratives: list[NarrativeMatch] = Field(default_factory=list)
    narrative_groups: list[NarrativeGroup] = Field(default_factory=list)
    credibility: Credibility | None = None
    quote_changes: list[QuoteChange] = Field(
        default_factory=list,
        description="Quotes distorted or reframed against the sources given with --source "
        "(see `newsaudit compare`); empty when no source was given.",
    )
    findings: list[Finding] = Field(
        default_factory=list, description="The few things to read first, most important first."
    )
    analyzers: list[AnalyzerInfo] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")


def report_json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema()
    schema["$id"] = f"https://newsaudit.invalid/schema/report-{SCHEMA_VERSION}.json"
    return schema
