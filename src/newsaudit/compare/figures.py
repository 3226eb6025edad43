"""Figures in text: numbers, number words, dates and weekdays read as comparable values.

Values are compared, not strings: "1.200", "1,200" and "1200" are one number, "18
Millionen" is "18 million", "14. März" is "14 March", "Dienstag" is "Tuesday". A figure
the article rounds ("rund 1500" for "1,480") passes within ten per cent. Alignment and the
number rule both read figures, so they live apart from either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsaudit.compare.text import Token

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
SCALES = {
    "hundred": 1e2,
    "hundert": 1e2,
    "thousand": 1e3,
    "tausend": 1e3,
    "tsd": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "millionen": 1e6,
    "mio": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "mrd": 1e9,
}
WORDS = {
    w: n
    for n, group in enumerate(
        (
            "zero null",
            "one eins",
            "two zwei",
            "three drei",
            "four vier",
            "five fünf",
            "six sechs",
            "seven sieben",
            "eight acht",
            "nine neun",
            "ten zehn",
            "eleven elf",
            "twelve zwölf",
        )
    )
    for w in group.split()
} | {
    "twenty": 20,
    "zwanzig": 20,
    "thirty": 30,
    "dreißig": 30,
    "fifty": 50,
    "fünfzig": 50,
    "hundred": 100,
    "hundert": 100,
}
MONTHS = {
    w: n
    for n, group in enumerate(
        (
            "january januar jänner",
            "february februar",
            "march märz",
            "april",
            "may mai",
            "june juni",
            "july juli",
            "august",
            "september",
            "october oktober",
            "november",
            "december dezember",
        ),
        start=1,
    )
    for w in group.split()
}
WEEKDAYS = {
    w: n
    for n, group in enumerate(
        (
            "monday montag",
            "tuesday dienstag",
            "wednesday mittwoch",
            "thursday donnerstag",
            "friday freitag",
            "saturday samstag sonnabend",
            "sunday sonntag",
        )
    )
    for w in group.split()
}
# Units of time a count may measure, in days: "sechs Monate" is no "six weeks".
DURATIONS = {
    w: days
    for days, group in (
        (1 / 1440, "minute minutes minute minuten"),
        (1 / 24, "hour hours stunde stunden"),
        (1, "day days tag tage tagen"),
        (7, "week weeks woche wochen"),
        (30, "month months monat monate monaten"),
        (365, "year years jahr jahre jahren"),
    )
    for w in group.split()
}
APPROXIMATE = frozenset(
    "rund etwa ca circa knapp fast beinahe nahezu annähernd gut über mehr mindestens "
    "about around roughly nearly almost approximately some over more least up".split()
)


@dataclass(frozen=True)
class Figure:
    kind: str  # count, duration (in days), year, date, weekday, month
    value: float | tuple[int, int]
    first: int  # token positions
    last: int
    approximate: bool


def _value(text: str) -> float | None:
    if not _NUMBER.fullmatch(text):
        return None
    groups = re.split(r"[.,]", text)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    if len(groups) == 2:
        return float(f"{groups[0]}.{groups[1]}")
    return float(groups[0]) if len(groups) == 1 else None


def figures(tokens: list[Token], text: str | None = None) -> list[Figure]:
    """The figures of a token sequence; without the ``text`` the tokens lie in, "2."
    before a month is a date only when it is written in digits."""
    lowers = [t.lower for t in tokens]
    out: list[Figure] = []
    used: set[int] = set()
    for i, w in enumerate(lowers):
        if i in used:
            continue
        approx = any(lowers[k] in APPROXIMATE for k in range(max(0, i - 2), i))
        if w in WEEKDAYS:
            out.append(Figure("weekday", WEEKDAYS[w], i, i + 1, False))
            continue
        value = _value(tokens[i].text)
        if value is None and w in WORDS and w not in ("hundred", "hundert"):
            value = float(WORDS[w])
        if value is None:
            continue
        nxt = lowers[i + 1] if i + 1 < len(lowers) else ""
        prev = lowers[i - 1] if i > 0 else ""
        after = text[tokens[i].end : tokens[i + 1].start] if text and i + 1 < len(tokens) else ""
        if (
            nxt in MONTHS
            and value.is_integer()
            and 1 <= value <= 31
            and ("." in after or tokens[i].text.isdigit())
        ):
            out.append(Figure("date", (MONTHS[nxt], int(value)), i, i + 2, False))
            used.add(i + 1)
            continue
        if prev in MONTHS and value.is_integer() and 1 <= value <= 31 and i - 1 not in used:
            out.append(Figure("date", (MONTHS[prev], int(value)), i - 1, i + 1, False))
            continue
        if nxt in SCALES:
            out.append(Figure("count", value * SCALES[nxt], i, i + 2, approx))
            used.add(i + 1)
            continue
        if nxt in DURATIONS:
            out.append(Figure("duration", value * DURATIONS[nxt], i, i + 2, approx))
            used.add(i + 1)
            continue
        if tokens[i].text.isdigit() and len(tokens[i].text) == 4 and 1800 <= value <= 2199:
            out.append(Figure("year", value, i, i + 1, False))
            continue
        out.append(Figure("count", value, i, i + 1, approx))
    return out


def same_figure(a: Figure, b: Figure) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind not in ("count", "duration"):
        return a.value == b.value
    x, y = float(a.value), float(b.value)  # type: ignore[arg-type]
    if x == y:
        return True
    return (a.approximate or b.approximate) and abs(x - y) <= 0.1 * max(abs(x), abs(y))
