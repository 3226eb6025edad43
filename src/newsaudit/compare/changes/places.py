"""A place widened: the article names a whole country (or continent) where the source
names a place within it ("in Mecklenburg-Vorpommern" retold as "in Deutschland").

WHY these parts: which names are countries comes from CLDR's territory names (Babel, in
German and English); which words of the source are places comes from the packaged NER,
run only on the aligned clauses of a unit that names a country the source does not say.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from newsaudit.compare import lexicon as lx
from newsaudit.compare.align import Alignment, rendered
from newsaudit.compare.changes.base import Change, clause_region, token_span
from newsaudit.compare.clauses import LINKED, mutual_partners

LANGUAGES = ("de", "en")


@cache
def territories() -> tuple[tuple[str, ...], ...]:
    """Lower-cased names of countries, continents and the world, as word tuples."""
    from babel import Locale

    names = {
        tuple(name.lower().split())
        for language in LANGUAGES
        for name in Locale(language).territories.values()
    }
    return tuple(sorted(names))


def _named_territories(lowers: list[str]) -> list[tuple[int, int]]:
    first_words = {name[0] for name in territories()}
    if not first_words & set(lowers):
        return []
    return lx.phrase_positions(lowers, territories())


def _said_anywhere(alignment: Alignment, first: int, last: int) -> bool:
    """Whether the source says one of the unit's words ``first:last`` ("Germany" for
    "Deutschland"), in the chosen sentences or anywhere its speakers speak."""
    rows = list(range(first, last))
    near = mutual_partners(alignment.word_sims, rows, range(len(alignment.tokens)))
    if any(sim >= LINKED for _, sim in near.values()):
        return True
    anywhere = alignment.passage.states @ alignment.source.said_states.T
    far = mutual_partners(anywhere, rows, range(len(alignment.source.said_states)))
    return any(sim >= LINKED for _, sim in far.values())


def _source_places(alignment: Alignment, first: int, last: int) -> list[tuple[int, int]]:
    """(first, last + 1) runs of tokens in ``tokens[first:last]`` the NER tags as places."""
    from newsaudit.analyzers.entities import tag_sentences

    words = [t.text for t in alignment.tokens[first:last]]
    tags = tag_sentences([words])[0]
    runs: list[tuple[int, int]] = []
    for k, tag in enumerate(tags):
        if tag.endswith("LOC"):
            if tag.startswith("I-") and runs and runs[-1][1] == first + k:
                runs[-1] = (runs[-1][0], first + k + 1)
            else:
                runs.append((first + k, first + k + 1))
    return runs


def detect(alignment: Alignment) -> Iterator[Change]:
    unit = alignment.passage.tokens
    for a, b in _named_territories([t.lower for t in unit]):
        if _said_anywhere(alignment, a, b):
            continue
        first, last = clause_region(alignment)
        covered = rendered(alignment, first, last)
        places = [
            (x, y)
            for x, y in _source_places(alignment, first, last)
            if not covered & set(range(x, y))
        ]
        if not places:
            continue
        named = "', '".join(" ".join(t.text for t in alignment.tokens[x:y]) for x, y in places)
        wider = " ".join(t.text for t in unit[a:b])
        yield Change(
            "scope_widened",
            (unit[a].start, unit[b - 1].end),
            token_span(alignment.tokens, first, last),
            f"The article says „{wider}“, a whole country or region; the source speaks only "
            f"of '{named}' here.",
            alignment,
        )
        return
