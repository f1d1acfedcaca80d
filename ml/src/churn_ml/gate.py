"""Validation gate: should the candidate replace the champion? (pure)

The gate decides on ROC AUC *with its uncertainty*, not on a point estimate: a single
2,000-row held-out set has a 95% interval of about +-0.02 on AUC, as wide as the
margins the stacks configure, so a point-estimate rule promotes or refuses by the luck
of the split. Intervals are DeLong's (DeLong, DeLong & Clarke-Pearson 1988, with the
fast midrank algorithm of Sun & Xu 2014): exact for the AUC's variance, O(n log n), and
for two models scored on the *same* rows the interval is of their paired difference.

Rules, at ``CONFIDENCE`` (two-sided):
- floor: refuse when the candidate's interval lies wholly below ``min_roc_auc`` (it is
  demonstrably below the minimum); a model whose interval reaches the floor is not
  refused for the split's noise;
- champion: with a champion scored on the same held-out rows, promote only when the
  lower bound of (candidate - champion) is above ``-max_auc_regression``: the candidate
  is, with that confidence, not worse than the champion by more than the allowed
  regression. An interval that reaches below it (overlap) keeps the champion.
- no champion (or one that cannot be loaded after a dependency upgrade, see
  registry.ChampionIncompatibleError): the floor alone decides.
Shuffled labels give AUC ~0.5 +- 0.03 on 2,000 rows: below every configured floor.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from statistics import NormalDist

import numpy as np

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float

    def text(self) -> str:
        return f"{self.estimate:.4f} [{self.low:.4f}, {self.high:.4f}]"


def _midranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x), dtype=float)
    sorted_x = x[order]
    # ties share the mean of their 1-based positions
    _, first, counts = np.unique(sorted_x, return_index=True, return_counts=True)
    mean_rank = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(mean_rank, counts)
    return ranks


def _delong(y_true: np.ndarray, scores: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """AUCs of each score vector and their covariance matrix (Sun & Xu 2014)."""
    y = np.asarray(y_true).astype(int)
    pos, neg = y == 1, y == 0
    m, n = int(pos.sum()), int(neg.sum())
    if m == 0 or n == 0:
        raise ValueError("ROC AUC needs both classes in the held-out rows")
    k = len(scores)
    aucs = np.empty(k)
    v10 = np.empty((k, m))
    v01 = np.empty((k, n))
    for i, s in enumerate(scores):
        s = np.asarray(s, dtype=float)
        x, z = s[pos], s[neg]
        tx, tz, txz = _midranks(x), _midranks(z), _midranks(np.concatenate([x, z]))
        aucs[i] = (txz[:m].sum() - m * (m + 1) / 2.0) / (m * n)
        v10[i] = (txz[:m] - tx) / n
        v01[i] = 1.0 - (txz[m:] - tz) / m
    cov = np.atleast_2d(np.cov(v10)) / m + np.atleast_2d(np.cov(v01)) / n
    return aucs, cov


def _z() -> float:
    return NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)


def auc_interval(y_true: np.ndarray, scores: np.ndarray) -> Interval:
    """ROC AUC and its DeLong interval at CONFIDENCE."""
    aucs, cov = _delong(y_true, [scores])
    se = float(np.sqrt(max(cov[0, 0], 0.0)))
    return Interval(float(aucs[0]), float(aucs[0] - _z() * se), float(aucs[0] + _z() * se))


def paired_difference(y_true: np.ndarray, candidate: np.ndarray,
                      champion: np.ndarray) -> Interval:
    """Candidate AUC minus champion AUC on the same rows, with its DeLong interval."""
    aucs, cov = _delong(y_true, [candidate, champion])
    diff = float(aucs[0] - aucs[1])
    se = float(np.sqrt(max(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1], 0.0)))
    return Interval(diff, diff - _z() * se, diff + _z() * se)


@dataclass(frozen=True)
class Decision:
    promote: bool
    reason: str
    candidate: Interval
    champion: Interval | None = None
    difference: Interval | None = None

    def record(self) -> dict:
        """The decision's numbers, for the run log and the report."""
        return {
            "promoted": self.promote,
            "reason": self.reason,
            "confidence": CONFIDENCE,
            "candidate_roc_auc": asdict(self.candidate),
            "champion_roc_auc": asdict(self.champion) if self.champion else None,
            "difference": asdict(self.difference) if self.difference else None,
        }


def decide(
    candidate: Interval,
    min_roc_auc: float,
    max_auc_regression: float,
    champion: Interval | None = None,
    difference: Interval | None = None,
    champion_note: str = "",
) -> Decision:
    """Apply the rules of the module docstring; ``difference`` is candidate - champion."""
    level = f"{CONFIDENCE:.0%}"
    if candidate.high < min_roc_auc:
        return Decision(False, (
            f"refused: candidate ROC AUC {candidate.text()} ({level} interval) lies below "
            f"the minimum {min_roc_auc:.4f}"), candidate, champion, difference)
    if difference is None:
        return Decision(True, (
            f"promoted: {champion_note or 'no champion yet'}; candidate ROC AUC "
            f"{candidate.text()} ({level} interval) reaches the minimum {min_roc_auc:.4f}"),
            candidate, champion, difference)
    if difference.low <= -max_auc_regression:
        return Decision(False, (
            f"refused: candidate minus champion ROC AUC on the same rows is "
            f"{difference.text()} ({level} interval); its lower bound is not above the "
            f"allowed regression -{max_auc_regression:.4f} (candidate {candidate.text()}, "
            f"champion {champion.text() if champion else 'n/a'})"),
            candidate, champion, difference)
    return Decision(True, (
        f"promoted: candidate minus champion ROC AUC on the same rows is "
        f"{difference.text()} ({level} interval), above the allowed regression "
        f"-{max_auc_regression:.4f} (candidate {candidate.text()}, champion "
        f"{champion.text() if champion else 'n/a'})"), candidate, champion, difference)
