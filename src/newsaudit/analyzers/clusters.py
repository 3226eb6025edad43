"""Group entity mentions that name the same thing: "John Kirby", "Kirby", "Kirbys".

Rules, all within one label (a cluster never mixes PER with LOC):
- names are compared token by token after case folding; a token also matches itself with
  a German genitive ending ("Kirbys", "Kirby's", "Russlands");
- a token matches a transliteration variant when both are long and string-similar
  ("Konashenkov" / "Konaschenkow");
- a person mention joins a cluster when all its tokens occur, in order, in the cluster's
  longest name; longer names are placed first, so "Kirby" finds "John Kirby";
- other labels join only when the whole name matches.
The canonical name is the longest mention (by tokens, then frequency, then first seen),
without a genitive ending if the bare form also occurs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from newsaudit.report.model import Entity, EntityCluster, Span

_SPLIT = re.compile(r"[\s\-‐–]+")
_GENITIVE = ("'s", "’s", "s", "'", "’")
SIMILARITY = 0.85
MIN_SIMILAR_LENGTH = 6


def name_tokens(name: str) -> list[str]:
    return [t for t in _SPLIT.split(name.casefold().strip(" .,;:\"'“”„»«")) if t]


def _bare(token: str) -> str:
    for ending in _GENITIVE:
        if token.endswith(ending) and len(token) - len(ending) >= 3:
            return token[: -len(ending)]
    return token


def tokens_match(a: str, b: str) -> bool:
    """Equal, equal up to a genitive ending, or a close transliteration variant."""
    if a == b or _bare(a) == b or _bare(b) == a:
        return True
    if min(len(a), len(b)) < MIN_SIMILAR_LENGTH or a[0] != b[0]:
        return False
    return SequenceMatcher(None, _bare(a), _bare(b)).ratio() >= SIMILARITY


def _contained(short: list[str], long: list[str]) -> bool:
    """Every token of ``short`` matches a distinct token of ``long``, in order."""
    j = 0
    for token in short:
        while j < len(long) and not tokens_match(token, long[j]):
            j += 1
        if j == len(long):
            return False
        j += 1
    return True


@dataclass
class _Group:
    label: str
    tokens: list[str]
    members: list[int] = field(default_factory=list)

    def accepts(self, label: str, tokens: list[str]) -> bool:
        if label != self.label or not tokens:
            return False
        if len(tokens) == len(self.tokens):
            return all(tokens_match(a, b) for a, b in zip(tokens, self.tokens, strict=True))
        return label == "PER" and len(tokens) < len(self.tokens) and _contained(tokens, self.tokens)


def _canonical(mentions: list[Entity]) -> str:
    counts = Counter(m.text for m in mentions)
    best = min(
        range(len(mentions)),
        key=lambda i: (-len(name_tokens(mentions[i].text)), -counts[mentions[i].text], i),
    )
    name = mentions[best].text
    bare_forms = {m.text for m in mentions}
    for ending in _GENITIVE:
        if name.endswith(ending) and name[: -len(ending)] in bare_forms:
            return name[: -len(ending)]
    return name


class _Groups:
    """Groups in order of creation, found without comparing a mention with every group.

    A group can accept a mention only if one of its tokens starts with the letter the
    mention's first token starts with (every way tokens match keeps the first letter), so
    groups are indexed by label and those letters; and a name seen before joins the group
    it joined then (groups never change their tokens). Long articles name thousands of
    things; comparing each mention with every group would grow with their square.
    """

    def __init__(self) -> None:
        self.all: list[_Group] = []
        self._by_letter: dict[tuple[str, str], list[_Group]] = {}
        self._seen: dict[tuple[str, tuple[str, ...]], _Group] = {}

    def place(self, label: str, tokens: list[str]) -> _Group:
        key = (label, tuple(tokens))
        group = self._seen.get(key)
        if group is None and tokens:
            candidates = self._by_letter.get((label, tokens[0][0]), [])
            group = next((g for g in candidates if g.accepts(label, tokens)), None)
        if group is None:
            group = _Group(label=label, tokens=tokens)
            self.all.append(group)
            for letter in dict.fromkeys(t[0] for t in tokens):
                self._by_letter.setdefault((label, letter), []).append(group)
        if tokens:
            self._seen[key] = group
        return group


def cluster_entities(entities: list[Entity]) -> list[EntityCluster]:
    """Assign ``entity.cluster`` in place and return the clusters, ordered by first mention."""
    order = sorted(
        range(len(entities)),
        key=lambda i: (-len(name_tokens(entities[i].text)), entities[i].start),
    )
    index = _Groups()
    for i in order:
        entity = entities[i]
        index.place(entity.label, name_tokens(entity.text)).members.append(i)
    groups = index.all
    groups.sort(key=lambda g: min(entities[i].start for i in g.members))
    clusters: list[EntityCluster] = []
    for n, group in enumerate(groups, start=1):
        cid = f"E{n}"
        members = sorted(group.members, key=lambda i: entities[i].start)
        for i in members:
            entities[i].cluster = cid
        mentions = [entities[i] for i in members]
        clusters.append(
            EntityCluster(
                id=cid,
                canonical=_canonical(mentions),
                label=group.label,
                mentions=[Span(start=m.start, end=m.end, text=m.text) for m in mentions],
            )
        )
    return clusters
