"""Plain-text article layouts: title, lead, tag line and body paragraphs.

Handles the seed layout (lead paragraph, tag line, body), the SemEval layout (title line,
blank line, body) and plain paragraphs. Every non-empty line is one paragraph, except a line
too long to be one: scraped text often has no paragraph breaks at all, so such a line is cut
into windows of a few whole sentences, the size of the paragraphs the techniques model was
trained on, and each window is marked as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsaudit.document import Block
from newsaudit.nlp.sentences import split_sentences

_TITLE_MAX_CHARS = 160
_TITLE_MAX_WORDS = 20
_TAGS_MAX_CHARS = 120
_TAG_MAX_WORDS = 4
_SENTENCE_PUNCT = re.compile(r"[.!?:;\"„“”«»]")
# A title may end in "?" or "!" ("Skandal im Rathaus!"), not in what ends a sentence or clause.
_TERMINAL = re.compile(r"[.:;,]$")
# SemEval-2023's German paragraphs: half under 300 characters, 95% under 920, the longest
# 2,017. A longer line is no author's paragraph; windows are cut to the typical size.
WINDOW_TRIGGER_CHARS = 1500
WINDOW_MAX_CHARS = 600
WINDOW_MAX_SENTENCES = 5


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


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """One sentence, or a sentence longer than a window cut at white space into pieces."""
    pieces = []
    while end - start > WINDOW_MAX_CHARS:
        limit = start + WINDOW_MAX_CHARS
        cut = text.rfind(" ", start + 1, limit)
        if cut <= start:
            cut = limit
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        pieces.append((start, stop))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Windows of whole sentences (at most 600 characters or 5 sentences) over one line.

    They cover every non-space character of ``text[start:end]`` exactly once, in order.
    """
    pieces = [piece for s, e in split_sentences(text, start, end) for piece in _pieces(text, s, e)]
    out: list[tuple[int, int]] = []
    first = last = -1
    count = 0
    for s, e in pieces:
        if count and (e - first > WINDOW_MAX_CHARS or count >= WINDOW_MAX_SENTENCES):
            out.append((first, last))
            count = 0
        if not count:
            first = s
        last = e
        count += 1
    if count:
        out.append((first, last))
    return out


def parse_tag_line(line: str) -> list[str] | None:
    """The tags of a short comma-separated line without sentence punctuation, else None."""
    if "," not in line or len(line) > _TAGS_MAX_CHARS or _SENTENCE_PUNCT.search(line):
        return None
    tags = [t.strip() for t in line.split(",")]
    if any(not t or len(t.split()) > _TAG_MAX_WORDS for t in tags):
        return None
    return tags


def _reads_as_clause(tags: list[str]) -> bool:
    """A part such as "Vettel geht unter": a capitalised word, then lower-case ones."""
    for tag in tags:
        words = tag.split()
        if len(words) > 1 and words[0][:1].isupper() and any(w[:1].islower() for w in words[1:]):
            return True
    return False


def _looks_like_title(line: str, before_blank_line: bool) -> bool:
    """A short first line without closing punctuation; a comma in it does not make it tags
    when a blank line follows (the SemEval layout) or its parts read as clauses
    ("Verstappen siegt, Vettel geht unter")."""
    if (
        len(line) > _TITLE_MAX_CHARS
        or len(line.split()) > _TITLE_MAX_WORDS
        or _TERMINAL.search(line)
    ):
        return False
    tags = parse_tag_line(line)
    return tags is None or before_blank_line or _reads_as_clause(tags)


def parse_layout(text: str, *, title: str | None = None) -> Layout:
    """Assign a role to every line; ``title`` (from metadata) marks a matching first line."""
    lines = _lines(text)
    layout = Layout()
    roles = ["body"] * len(lines)
    first_body = 0
    if lines:
        first = text[lines[0][0] : lines[0][1]]
        before_blank_line = len(lines) > 1 and text.count("\n", lines[0][1], lines[1][0]) >= 2
        if (title and first == title.strip()) or (
            title is None and len(lines) > 1 and _looks_like_title(first, before_blank_line)
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
    for (s, e), role in zip(lines, roles, strict=True):
        if role in ("lead", "body") and e - s > WINDOW_TRIGGER_CHARS:
            for k, (a, b) in enumerate(windows(text, s, e)):
                window_role = "lead" if role == "lead" and k == 0 else "body"
                layout.blocks.append(
                    Block(index=len(layout.blocks), start=a, end=b, role=window_role, window=True)
                )
        else:
            layout.blocks.append(Block(index=len(layout.blocks), start=s, end=e, role=role))
    lead = next((b for b in layout.blocks if b.role == "lead"), None)
    if lead is not None:
        layout.lead = text[lead.start : lead.end]
    if title is not None and layout.title is None:
        layout.title = title
    return layout
