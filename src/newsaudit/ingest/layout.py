"""Plain-text article layouts: title, lead, tag line and body paragraphs.

Handles the seed layout (lead paragraph, tag line, body), the SemEval layout (title line,
blank line, body) and plain paragraphs. Every non-empty line is one paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsaudit.document import Block

_TITLE_MAX_CHARS = 160
_TITLE_MAX_WORDS = 20
_TAGS_MAX_CHARS = 120
_TAG_MAX_WORDS = 4
_SENTENCE_PUNCT = re.compile(r"[.!?:;\"„“”«»]")
_TERMINAL = re.compile(r"[.!:;,]$")


@dataclass
class Layout:
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    lead: str | None = None
    tags: list[str] = field(default_factory=list)


def _lines(text: str) -> list[tuple[int, int]]:
    """Stripped (start, end) of every non-empty line."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        spans.append((start, start + len(stripped)))
    return spans


def parse_tag_line(line: str) -> list[str] | None:
    """The tags of a short comma-separated line without sentence punctuation, else None."""
    if "," not in line or len(line) > _TAGS_MAX_CHARS or _SENTENCE_PUNCT.search(line):
        return None
    tags = [t.strip() for t in line.split(",")]
    if any(not t or len(t.split()) > _TAG_MAX_WORDS for t in tags):
        return None
    return tags


def _looks_like_title(line: str) -> bool:
    return (
        len(line) <= _TITLE_MAX_CHARS
        and len(line.split()) <= _TITLE_MAX_WORDS
        and not _TERMINAL.search(line)
        and parse_tag_line(line) is None
    )


def parse_layout(text: str, *, title: str | None = None) -> Layout:
    """Assign a role to every line; ``title`` (from metadata) marks a matching first line."""
    lines = _lines(text)
    layout = Layout()
    roles = ["body"] * len(lines)
    first_body = 0
    if lines:
        first = text[lines[0][0] : lines[0][1]]
        if (title and first == title.strip()) or (
            title is None and len(lines) > 1 and _looks_like_title(first)
        ):
            roles[0] = "title"
            layout.title = first
            first_body = 1
    for i in range(first_body, min(first_body + 3, len(lines))):
        tags = parse_tag_line(text[lines[i][0] : lines[i][1]])
        if tags is not None:
            roles[i] = "tags"
            layout.tags = tags
            break
    if not layout.tags and len(lines) > first_body + 1:
        tags = parse_tag_line(text[lines[-1][0] : lines[-1][1]])
        if tags is not None:
            roles[-1] = "tags"
            layout.tags = tags
    lead_index = next((i for i, role in enumerate(roles) if role == "body"), None)
    if lead_index is not None:
        roles[lead_index] = "lead"
        layout.lead = text[lines[lead_index][0] : lines[lead_index][1]]
    layout.blocks = [
        Block(index=i, start=s, end=e, role=role)
        for i, ((s, e), role) in enumerate(zip(lines, roles, strict=True))
    ]
    if title is not None and layout.title is None:
        layout.title = title
    return layout
