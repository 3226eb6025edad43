"""Score compare on hand-written article/source pairs with gold distorted words.

A distorted pair is detected when at least one finding's article span overlaps one of its
gold distorted stretches; a faithful pair raises a false alarm when it gets any finding. A
finding on a distorted pair that overlaps none of its gold stretches is counted as stray.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsaudit.errors import InputError

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "compare"
# The hand-written parts, in the order they were written: DEV parts tuned on, TEST parts
# held out until scored once (README, "Quote fidelity").
PARTS = (
    "dev",
    "dev2",
    "test",
    "test2",
    "test3",
    "test4",
    "test5",
    "test6",
    "test8",
    "test9",
    "test10",
    "test11",
    "test12",
)


@dataclass
class PairResult:
    id: str
    kind: str
    detected: bool
    findings: list[dict[str, Any]]
    stray: int = 0  # findings of a distorted pair outside its gold stretches


@dataclass
class Scores:
    results: list[PairResult] = field(default_factory=list)

    def _of(self, faithful: bool) -> list[PairResult]:
        return [r for r in self.results if (r.kind == "faithful") == faithful]

    @property
    def detection_rate(self) -> float:
        distorted = self._of(False)
        return sum(r.detected for r in distorted) / max(1, len(distorted))

    @property
    def false_alarm_rate(self) -> float:
        faithful = self._of(True)
        return sum(bool(r.findings) for r in faithful) / max(1, len(faithful))

    def per_kind(self) -> dict[str, tuple[int, int]]:
        table: dict[str, tuple[int, int]] = {}
        for r in self._of(False):
            hit, total = table.get(r.kind, (0, 0))
            table[r.kind] = (hit + r.detected, total + 1)
        return table

    def summary(self) -> dict[str, Any]:
        return {
            "pairs": len(self.results),
            "distorted": len(self._of(False)),
            "faithful": len(self._of(True)),
            "detection_rate": round(self.detection_rate, 3),
            "false_alarm_rate": round(self.false_alarm_rate, 3),
            "stray_findings_on_distorted": sum(r.stray for r in self._of(False)),
            "per_kind": {k: f"{h}/{n}" for k, (h, n) in sorted(self.per_kind().items())},
            "missed": [r.id for r in self._of(False) if not r.detected],
            "false_alarms": [r.id for r in self._of(True) if r.findings],
        }


def read_pairs(path: Path) -> list[dict[str, Any]]:
    try:
        pairs = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read pairs from {path}: {exc}") from None
    for pair in pairs:
        for words in pair["distorted"]:
            if pair["article"].count(words) != 1:
                raise InputError(f"{pair['id']}: distorted words {words!r} must occur once")
    return pairs


def score_pairs(pairs: list[dict[str, Any]]) -> Scores:
    from newsaudit.compare.comparison import compare

    scores = Scores()
    for pair in pairs:
        report = compare(pair["article"], [pair["source"]])
        gold = [
            (pair["article"].index(w), pair["article"].index(w) + len(w)) for w in pair["distorted"]
        ]
        findings = [f.model_dump() for f in report.findings]
        hits = [
            any(f["article_start"] < end and start < f["article_end"] for start, end in gold)
            for f in findings
        ]
        stray = hits.count(False) if gold else 0
        scores.results.append(PairResult(pair["id"], pair["kind"], any(hits), findings, stray))
    return scores
