"""The compare report: alignments of an article's statements with their sources, and the
changes found between them. Versioned on its own; offsets point into the texts as the user
gave them (after decoding), so ``article[article_start:article_end] == article_text``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from newsaudit.report.model import ChangeKind

SCHEMA_VERSION = "1.0"

Kind = ChangeKind
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Finding(_Model):
    """One change: the article's words, the source's words they distort, and why."""

    kind: Kind
    article_start: int = Field(ge=0)
    article_end: int = Field(ge=0)
    article_text: str
    source_index: int = Field(ge=0, description="Which source (0-based, in the order given).")
    source_start: int = Field(ge=0)
    source_end: int = Field(ge=0)
    source_text: str
    explanation: str
    score: float = Field(
        ge=0,
        le=1,
        description="How closely the two passages correspond (alignment coverage); not a "
        "calibrated probability that the change is a distortion.",
    )


class Alignment(_Model):
    """An article statement and the source passage that says the same thing."""

    article_start: int = Field(ge=0)
    article_end: int = Field(ge=0)
    article_text: str
    speaker: str | None = Field(default=None, description="Who the article says said it.")
    source_index: int = Field(ge=0)
    source_start: int = Field(ge=0)
    source_end: int = Field(ge=0)
    source_text: str
    source_speaker: str | None = Field(
        default=None, description="Who says it in the source, where the source tells."
    )
    passages: list[tuple[int, int]] = Field(
        default_factory=list, description="The source sentences drawn on, as [start, end]."
    )
    similarity: float = Field(
        ge=0,
        le=1,
        description="Mean similarity of the statement's words to their best "
        "partners in the source passage (multilingual-e5-small, layers 8-10).",
    )


class Text(_Model):
    name: str
    language: str | None = None
    text: str


class CompareReport(_Model):
    schema_version: str = SCHEMA_VERSION
    article: Text
    sources: list[Text]
    findings: list[Finding] = Field(default_factory=list)
    alignments: list[Alignment] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")


def compare_json_schema() -> dict[str, Any]:
    schema = CompareReport.model_json_schema()
    schema["$id"] = f"https://newsaudit.invalid/schema/compare-{SCHEMA_VERSION}.json"
    return schema
