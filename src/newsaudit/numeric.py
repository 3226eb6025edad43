"""Numeric functions the packaged models share."""

from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, its input clipped to [-30, 30] so that exp never overflows
    (beyond that the result is 0 or 1 to within 1e-13); keeps float32 as float32."""
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))
