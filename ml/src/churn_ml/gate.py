"""Validation gate: should the candidate replace the champion? (pure)"""

from __future__ import annotations


def decide(
    candidate_auc: float,
    champion_auc: float | None,
    min_roc_auc: float,
    max_auc_regression: float,
) -> tuple[bool, str]:
    """Return (promote, reason).

    Refuse below the environment's minimum ROC AUC; refuse when the candidate
    is worse than the champion by more than ``max_auc_regression``; otherwise
    promote (including the first model, when there is no champion).
    """
    if candidate_auc < min_roc_auc:
        return False, (
            f"refused: candidate ROC AUC {candidate_auc:.4f} is below the minimum "
            f"{min_roc_auc:.4f}"
        )
    if champion_auc is None:
        return True, (
            f"promoted: no champion yet and candidate ROC AUC {candidate_auc:.4f} "
            f"meets the minimum {min_roc_auc:.4f}"
        )
    regression = champion_auc - candidate_auc
    if regression > max_auc_regression:
        return False, (
            f"refused: candidate ROC AUC {candidate_auc:.4f} is {regression:.4f} below the "
            f"champion's {champion_auc:.4f} (allowed regression {max_auc_regression:.4f})"
        )
    return True, (
        f"promoted: candidate ROC AUC {candidate_auc:.4f} vs champion {champion_auc:.4f} "
        f"is within the allowed regression {max_auc_regression:.4f}"
    )
