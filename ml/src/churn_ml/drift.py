"""Population stability index of churn scores (pure).

The SQL side computes exactly this formula: 10 equal-width bins on [0, 1],
bin = min(floor(score * 10), 9), fractions floored at 0.0001,
PSI = sum((actual - expected) * ln(actual / expected)).
"""

from __future__ import annotations

import numpy as np

BINS = 10
FRACTION_FLOOR = 0.0001


def score_bins(scores: np.ndarray) -> np.ndarray:
    scores = np.asarray(scores, dtype=float)
    return np.minimum(np.floor(scores * BINS), BINS - 1).astype(int).clip(0, BINS - 1)


def bin_fractions(scores: np.ndarray) -> np.ndarray:
    """Fraction of scores per bin (unfloored); zeros when there are no scores."""
    scores = np.asarray(scores, dtype=float)
    counts = np.bincount(score_bins(scores), minlength=BINS).astype(float)
    return counts / counts.sum() if counts.sum() else counts


def score_baseline(scores: np.ndarray) -> list[float]:
    """The 10 expected fractions of a model's held-out scores."""
    return [float(f) for f in bin_fractions(scores)]


def bin_edges() -> list[tuple[float, float]]:
    return [(i / BINS, (i + 1) / BINS) for i in range(BINS)]


def psi(expected: list[float] | np.ndarray, scores: np.ndarray) -> float:
    """PSI of ``scores`` against the expected bin fractions."""
    e = np.maximum(np.asarray(expected, dtype=float), FRACTION_FLOOR)
    a = np.maximum(bin_fractions(scores), FRACTION_FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))
