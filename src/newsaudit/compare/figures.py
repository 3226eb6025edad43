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
# Units of measure, as (dimension, factor to the base unit): "zwei Zentimeter" is "20
# millimetres", so a translation that converts the unit keeps the figure.
MEASURES = {
    w: (dimension, factor)
    for dimension, factor, group in (
        ("length", 1e-3, "mm millimetre millimetres millimeter millimetern"),
        ("length", 1e-2, "cm centimetre centimetres centimeter zentimeter zentimetern"),
        ("length", 1e-1, "dm decimetre decimetres dezimeter dezimetern"),
        ("length", 1.0, "metre metres meter metern"),
        ("length", 1e3, "km kilometre kilometres kilometer kilometern"),
        ("length", 1609.344, "mile miles meile meilen"),
        ("mass", 1e-3, "g gram grams gramm"),
        ("mass", 1.0, "kg kilogram kilograms kilogramm"),
        ("mass", 1e3, "tonne tonnes tonnen"),
        ("volume", 1.0, "litre litres liter litern"),
        ("volume", 1e-3, "ml millilitre millilitres milliliter"),
        ("speed", 1e3, "stundenkilometer stundenkilometern kmh"),
        ("speed", 1609.344, "mph"),
    )
    for w in group.split()
}
MEASURE_KINDS = frozenset(dimension for dimension, _ in MEASURES.values()) | {"speed"}
APPROXIMATE = frozenset(
    "rund etwa ca circa knapp fast beinahe nahezu annähernd gut über mehr mindestens "
    "about around roughly nearly almost approximately some over more least up".split()
)


@dataclass(frozen=True)
class Figure:
    # count, duration (in days), a MEASURES dimension, clock (hour), year, date, weekday
    kind: str
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


# Words after "Uhr" that say which half of the day: "acht Uhr abends" is 20 Uhr.
_EVENING = frozenset("abends nachmittags".split())
_MORNING = frozenset("morgens früh vormittags".split())
# Words between the two ends of a span of hours ("zwischen 6 und 20 Uhr").
_SPAN = frozenset("und bis and to".split())


def _clock(value: float, after: list[str]) -> tuple[float, int] | None:
    """The hour of the day of "22 Uhr" and "10 pm" or "10 p.m." (one figure) and how many
    words its unit takes, or None."""
    if not value.is_integer() or not 0 <= value <= 24 or not after:
        return None
    if after[0] == "uhr":
        if after[1:] and after[1] in _EVENING and 1 <= value < 12:
            return value + 12, 2  # "acht Uhr abends"
        if after[1:] and after[1] == "nachts" and 6 <= value < 12:
            return value + 12, 2  # "elf Uhr nachts", but "zwei Uhr nachts"
        if after[1:] and after[1] in _MORNING:
            return value % 24, 2
        return value % 24, 1
    if after[0] == "pm" or after == ["p", "m"]:
        return value % 12 + 12, len(after) if after[0] == "p" else 1
    if after == ["a", "m"]:
        return value % 12, 2
    return None


def number(token: Token) -> float | None:
    """The value of a token that is a number in digits or a number word."""
    value = _value(token.text)
    if value is None and token.lower in WORDS:
        return float(WORDS[token.lower])
    return value


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
        clock = _clock(value, lowers[i + 1 : i + 3])
        if clock is None and nxt in _SPAN and i + 2 < len(tokens):
            end = _value(tokens[i + 2].text)
            if end is not None and _clock(end, lowers[i + 3 : i + 5]) is not None:
                clock = _clock(value, ["uhr"])
                clock = None if clock is None else (clock[0], 0)  # "6" of "6 und 20 Uhr"
        if clock is not None:
            hour, width = clock
            out.append(Figure("clock", hour, i, i + 1 + width, False))
            used.update(range(i + 1, i + 1 + width))
            continue
        if nxt in SCALES:
            out.append(Figure("count", value * SCALES[nxt], i, i + 2, approx))
            used.add(i + 1)
            continue
        if nxt in DURATIONS:
            out.append(Figure("duration", value * DURATIONS[nxt], i, i + 2, approx))
            used.add(i + 1)
            continue
        if nxt in MEASURES:
            dimension, factor = MEASURES[nxt]
            last = i + 2
            if lowers[i + 2 : i + 3] in (["pro"], ["per"], ["an"], ["a"]) and (
                lowers[i + 3 : i + 4] in (["stunde"], ["hour"])
            ):
                dimension, last = "speed", i + 4  # "90 Kilometer pro Stunde"
            out.append(Figure(dimension, value * factor, i, last, approx))
            used.update(range(i + 1, last))
            continue
        if tokens[i].text.isdigit() and len(tokens[i].text) == 4 and 1800 <= value <= 2199:
            out.append(Figure("year", value, i, i + 1, False))
            continue
        out.append(Figure("count", value, i, i + 1, approx))
    return _ranges(out, lowers)


RANGE_WORDS = frozenset("bis to and und - – zu".split())


def _factor(word: str) -> tuple[str, float] | None:
    if word in MEASURES:
        return MEASURES[word]
    if word in DURATIONS:
        return "duration", DURATIONS[word]
    return None


def _ranges(found: list[Figure], lowers: list[str]) -> list[Figure]:
    """A bare count that opens a range takes the unit of its end: "zwei bis drei
    Zentimeter" is 20 to 30 millimetres, "six to eight weeks" six weeks to eight."""
    out = list(found)
    for k in range(len(out) - 2, -1, -1):
        low, high = out[k], out[k + 1]
        between = lowers[low.last : high.first]
        unit = _factor(lowers[high.last - 1]) if high.last - high.first == 2 else None
        if (
            unit is not None
            and unit[0] == high.kind
            and low.kind == "count"
            and low.last == low.first + 1
            and between
            and all(w in RANGE_WORDS for w in between)
        ):
            value = float(low.value) * unit[1]  # type: ignore[arg-type]
            out[k] = Figure(high.kind, value, low.first, low.last, low.approximate)
    return out


def same_figure(a: Figure, b: Figure) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind in ("year", "date", "weekday", "month", "clock"):
        return a.value == b.value
    x, y = float(a.value), float(b.value)  # type: ignore[arg-type]
    if abs(x - y) <= 1e-9 * max(abs(x), abs(y)):
        return True
    return (a.approximate or b.approximate) and abs(x - y) <= 0.1 * max(abs(x), abs(y))
