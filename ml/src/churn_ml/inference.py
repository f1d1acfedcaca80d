"""Batch scoring into the PREDICTIONS layout (pure)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from churn_ml.schema import PREDICTIONS, TABLE_COLUMNS
from churn_ml.training import THRESHOLD, predict_scores

PREDICTION_DTYPES: dict[str, str] = {
    "CUSTOMER_ID": "object",
    "PREDICTION": "int64",
    "PREDICTION_TIMESTAMP": "datetime64[ns]",
    "MODEL_VERSION": "object",
    "CONFIDENCE_SCORE": "float64",
    "RUN_ID": "object",
}


def build_predictions(
    customer_ids: pd.Series,
    scores: np.ndarray,
    model_version: str,
    run_id: str,
    predicted_at: datetime,
) -> pd.DataFrame:
    """One row per customer: PREDICTION = score >= 0.5, CONFIDENCE_SCORE = P(churn)."""
    scores = np.asarray(scores, dtype=float)
    frame = pd.DataFrame(
        {
            "CUSTOMER_ID": customer_ids.astype(str).to_numpy(dtype=object),
            "PREDICTION": (scores >= THRESHOLD).astype("int64"),
            "PREDICTION_TIMESTAMP": pd.Timestamp(predicted_at).tz_localize(None),
            "MODEL_VERSION": model_version,
            "CONFIDENCE_SCORE": np.round(scores, 4),
            "RUN_ID": run_id,
        }
    )
    return frame.astype(PREDICTION_DTYPES)[list(TABLE_COLUMNS[PREDICTIONS])]


def score_features(model, features: pd.DataFrame) -> np.ndarray:
    return predict_scores(model, features)


def new_rows_only(predictions: pd.DataFrame, existing_ids_for_run: set[str]) -> pd.DataFrame:
    """Drop rows whose (RUN_ID, CUSTOMER_ID) is already stored: reruns append nothing twice."""
    fresh = ~predictions["CUSTOMER_ID"].isin(existing_ids_for_run)
    return predictions[fresh].drop_duplicates(["RUN_ID", "CUSTOMER_ID"]).reset_index(drop=True)
