"""Who a speaker is, as far as the words tell: the name, and the role.

WHY: the article says "Landrätin Eva Maier" or "der Sprecher des US Department of State
John Kirby", the source "MAIER", "Mr. Kirby" or only "SPOKESPERSON". The same person is
recognised by the surname when both sides name one, and by the role when one side gives
only a role (a transcript label). Role words and courtesy titles are never names, so
"Landrätin" does not read as a second person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsaudit.compare import lexicon as lx
from newsaudit.compare.units import Unit

_WORD = re.compile(r"[\w'’-]+")
# Determiners, prepositions and pronouns inside a designation ("der Sprecher des ...",
# "head of"; "sagte er" names nobody).
_GLUE = lx.words(
    "the a an of for at in on and der die das den dem des ein eine einer eines einem "
    "einen von vom für im am bei und zu zur zum he she they i we er sie ich wir"
)


@dataclass(frozen=True)
class Person:
    """A speaker as named: lower-cased name words (genitive s dropped too), the surname
    (the last name word) and the roles the designation gives."""

    names: frozenset[str]
    surname: str | None
    roles: frozenset[str]

    @property
    def role_only(self) -> bool:
        return self.surname is None and bool(self.roles)


def name_forms(word: str) -> set[str]:
    """A lower-cased name word and, for a German genitive ("Kirbys"), its bare form."""
    return {word, word[:-1]} if word.endswith("s") and len(word) > 4 else {word}


@lru_cache(maxsize=4096)
def person(designation: str | None) -> Person:
    """Split a designation ("HEALTH MINISTER GRETA LUND", "Mr. Kirby") into name and role."""
    names: set[str] = set()
    roles: set[str] = set()
    surname = None
    for word in _WORD.findall((designation or "").lower()):
        if word in _GLUE or word in lx.HONORIFICS:
            continue
        found = lx.roles_of(word)
        if found:
            roles |= found
            continue
        names |= name_forms(word)
        surname = word
    return Person(frozenset(names), surname, frozenset(roles))


def same_person(a: Person, b: Person) -> bool | None:
    """True or False when the words decide, None when they cannot.

    Two names decide by the surname. A role alone (a transcript label) is the same person
    as a designation with that role; a questioner's label ("QUESTION", "Frage") is never
    the named speaker of a statement; any other role alone decides nothing.
    """
    if a.surname and b.surname:
        return bool(name_forms(a.surname) & b.names or name_forms(b.surname) & a.names)
    if a.roles & b.roles:
        return True
    for one, other in ((a, b), (b, a)):
        if one.role_only and "asker" in one.roles and (other.surname or other.roles):
            return False
    return None


def article_person(unit: Unit) -> Person:
    """The speaker as the article designates him or her, role words included."""
    return person(" ".join(w for w in (unit.designation, unit.speaker) if w))
