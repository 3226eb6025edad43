"""The Document: the one text every analyzer reads and every annotation points into."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from newsaudit.report.model import ParagraphRole


@dataclass(frozen=True)
class Block:
    """A paragraph of ``Document.text`` with its layout role.

    ``window`` marks a piece of a line too long to be one paragraph (scraped text often has
    no paragraph breaks): a few whole sentences cut by newsaudit, not by the author.
    """

    index: int
    start: int
    end: int
    role: ParagraphRole = "body"
    window: bool = False


@dataclass
class OffsetMap:
    """Maps offsets in the normalised text back to the user's decoded text.

    Stored as breakpoints where the difference between the two changes, so an unchanged
    text costs nothing.
    """

    breakpoints: list[tuple[int, int]] = field(default_factory=list)

    def to_source(self, offset: int) -> int:
        if not self.breakpoints:
            return offset
        keys = [b[0] for b in self.breakpoints]
        i = bisect.bisect_right(keys, offset) - 1
        if i < 0:
            return offset
        text_at, source_at = self.breakpoints[i]
        return source_at + (offset - text_at)


@dataclass
class Document:
    id: str
    text: str
    language: str | None = None
    language_confidence: float | None = None
    title: str | None = None
    lead: str | None = None
    tags: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    offset_map: OffsetMap = field(default_factory=OffsetMap)
    warnings: list[str] = field(default_factory=list)
    """What ingest changed or could not read, for the user (bytes replaced, a bad date)."""

    def blocks_with_role(self, *roles: ParagraphRole) -> list[Block]:
        return [b for b in self.blocks if b.role in roles]

    @property
    def analysable_blocks(self) -> list[Block]:
        """Paragraphs that carry prose (not the tag line)."""
        return [b for b in self.blocks if b.role != "tags"]


@dataclass
class Failure:
    """An article that could not be analysed, with a message for the user.

    It lives beside :class:`Document` because every stage (ingest, pipeline, batch) hands
    one or the other down the stream.
    """

    id: str
    error: str
    kind: str = "InputError"

    @classmethod
    def internal(cls, id: str, exc: Exception) -> Failure:
        """The record of an unexpected error (a bug, not bad input): the article is lost, the
        batch goes on."""
        return cls(
            id=id, error=f"internal error: {type(exc).__name__}: {exc}", kind="InternalError"
        )

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "error": self.error, "kind": self.kind}
