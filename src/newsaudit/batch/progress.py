"""Honest progress for long work: N of total, the rate, and the time left.

The rate counts analysed articles only (an article already stored is skipped in no time and
would make the estimate too hopeful), and the time left assumes every remaining article needs
analysing. One line, rewritten in place on a terminal and printed every ``every`` seconds
otherwise, so a log shows progress too; from the first article on, not per window.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import IO


@dataclass
class Rate:
    """Counts and clock of one run; ``estimate`` gives articles per second and seconds left."""

    total: int | None = None
    done: int = 0
    analysed: int = 0
    failed: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.monotonic)

    def estimate(self, now: float | None = None) -> tuple[float | None, float | None]:
        elapsed = (now if now is not None else time.monotonic()) - self.started
        if self.analysed == 0 or elapsed <= 0:
            return None, None
        rate = self.analysed / elapsed
        left = None if self.total is None else max(0, self.total - self.done) / rate
        return rate, left


def duration(seconds: float) -> str:
    """A short human duration: 45 s, 7 min 40 s, 2 h 05 min."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def describe(
    done: int,
    total: int | None,
    rate: float | None,
    left: float | None,
    counts: str = "",
) -> str:
    """One progress line, e.g. ``120 of 1,000 · 0 failed · 1.9 articles/s · about 7 min left``."""
    parts = [f"{done:,} of {total:,}" if total is not None else f"{done:,} read"]
    if counts:
        parts.append(counts)
    if rate is not None:
        parts.append(f"{rate:.2f} articles/s" if rate < 10 else f"{rate:.0f} articles/s")
    if left is not None and total is not None and done < total:
        parts.append(f"about {duration(left)} left")
    return " · ".join(parts)


class ProgressLine:
    """Prints a :class:`Rate` as it moves; a terminal gets one line updated in place."""

    def __init__(
        self,
        total: int | None,
        stream: IO[str] | None = None,
        *,
        every: float = 10.0,
        interactive: bool | None = None,
    ) -> None:
        self.rate = Rate(total=total)
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.every = every
        self._last: float | None = None  # nothing printed yet: the first update prints

    def counts(self) -> str:
        r = self.rate
        extra = f" · {r.skipped:,} already stored" if r.skipped else ""
        return f"{r.analysed - r.failed:,} analysed{extra} · {r.failed:,} failed"

    def line(self) -> str:
        rate, left = self.rate.estimate()
        return describe(self.rate.done, self.rate.total, rate, left, self.counts())

    def update(self, *, analysed: int, failed: int, skipped: int = 0) -> None:
        """The run's counts so far: ``analysed`` includes ``failed``; ``skipped`` were stored."""
        r = self.rate
        r.analysed, r.failed, r.skipped = analysed, failed, skipped
        r.done = analysed + skipped
        now = time.monotonic()
        if self.interactive:
            if self._last is None or now - self._last >= 0.2 or r.done == r.total:
                print(f"\r\x1b[2K{self.line()}", end="", file=self.stream, flush=True)
                self._last = now
        elif self._last is None or now - self._last >= self.every:
            print(self.line(), file=self.stream, flush=True)
            self._last = now

    def close(self) -> None:
        if self.interactive:
            print(f"\r\x1b[2K{self.line()}", file=self.stream, flush=True)
        elif self.rate.done:
            print(self.line(), file=self.stream, flush=True)
