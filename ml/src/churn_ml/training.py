"""Model training and held-out evaluation (pure: no storage access)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from churn_ml.features import FEATURE_COLUMNS
from churn_ml.schema import LABEL

RANDOM_STATE = 42
TEST_SIZE = 0.2
THRESHOLD = 0.5
CHAMPION_ALGORITHM = "HistGradientBoostingClassifier"
BASELINE_ALGORITHM = "StandardScaler+LogisticRegression"
METRIC_NAMES = ("roc_auc", "pr_auc", "accuracy", "precision", "recall", "f1")


@dataclass
class TrainingResult:
    """The candidate model, its baseline and their held-out metrics."""

    model: HistGradientBoostingClassifier
    metrics: dict[str, float]
    baseline_metrics: dict[str, float]
    test_scores: np.ndarray
    train_rows: int
    test_rows: int
    algorithm: str = CHAMPION_ALGORITHM


def classification_metrics(y_true: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """ROC AUC and PR AUC on scores; accuracy, precision, recall, F1 at 0.5."""
    predicted = (scores >= THRESHOLD).astype(int)
    return {
        "roc_auc": float(roc_auc_score(y_true, scores)),
        "pr_auc": float(average_precision_score(y_true, scores)),
        "accuracy": float(accuracy_score(y_true, predicted)),
        "precision": float(precision_score(y_true, predicted, zero_division=0)),
        "recall": float(recall_score(y_true, predicted, zero_division=0)),
        "f1": float(f1_score(y_true, predicted, zero_division=0)),
    }


def train_models(features: pd.DataFrame) -> TrainingResult:
    """Stratified 80/20 split; fit the gradient-boosting candidate and the baseline."""
    y = features[LABEL].to_numpy().astype(int)
    if len(np.unique(y)) < 2:
        raise ValueError("training data has a single class; cannot train a classifier")
    x = features[list(FEATURE_COLUMNS)].astype(float)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=TEST_SIZE, stratify=y, random_state=RANDOM_STATE
    )
    model = HistGradientBoostingClassifier(random_state=RANDOM_STATE)
    model.fit(x_train, y_train)
    scores = model.predict_proba(x_test)[:, 1]
    baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    baseline.fit(x_train, y_train)
    baseline_scores = baseline.predict_proba(x_test)[:, 1]
    return TrainingResult(
        model=model,
        metrics=classification_metrics(y_test, scores),
        baseline_metrics=classification_metrics(y_test, baseline_scores),
        test_scores=scores,
        train_rows=len(x_train),
        test_rows=len(x_test),
    )


def predict_scores(model, features: pd.DataFrame) -> np.ndarray:
    """Churn probability per row of a feature frame."""
    return model.predict_proba(features[list(FEATURE_COLUMNS)].astype(float))[:, 1]
