"""Length-sorted batches of piece-id rows: little padding, bounded memory."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np


def length_batches(
    rows: Sequence[Sequence[int]], budget: int, spread: float = 1.1
) -> Iterator[list[int]]:
    """Indices of `rows`, shortest first, grouped so that rows x longest row <= `budget`
    and the longest row is at most `spread` x the shortest (+2). WHY the spread: an
    article has only about a hundred sentences, so a batch filled up to the budget alone
    spans short and long rows and padding made up a third of the computed pieces."""
    order = sorted(range(len(rows)), key=lambda k: len(rows[k]))
    i = 0
    while i < len(order):
        limit = len(rows[order[i]]) * spread + 2
        j = i + 1
        while (
            j < len(order)
            and (j - i + 1) * len(rows[order[j]]) <= budget
            and len(rows[order[j]]) <= limit
        ):
            j += 1
        yield order[i:j]
        i = j


def padded(rows: Sequence[Sequence[int]], pad: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids, mask) arrays, rows right-padded with `pad`."""
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), pad, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=bool)
    for r, row in enumerate(rows):
        ids[r, : len(row)] = row
        mask[r, : len(row)] = True
    return ids, mask
