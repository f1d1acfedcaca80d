from datetime import datetime

import numpy as np
import pandas as pd

from churn_ml.inference import PREDICTION_DTYPES, build_predictions
from churn_ml.store import LocalStore

COLUMNS = ["CUSTOMER_ID", "PREDICTION", "PREDICTION_TIMESTAMP", "MODEL_VERSION",
           "CONFIDENCE_SCORE", "RUN_ID"]


def _predictions(run_id="RUN1"):
    return build_predictions(pd.Series(["1", "2", "3"]), np.array([0.1234567, 0.5, 0.99999]),
                             "V1", run_id, datetime(2026, 11, 27, 17, 0))


def test_output_schema_exact_columns_and_dtypes():
    frame = _predictions()
    assert list(frame.columns) == COLUMNS
    assert {c: str(t) for c, t in frame.dtypes.items()} == PREDICTION_DTYPES
    assert frame["PREDICTION"].tolist() == [0, 1, 1]
    assert frame["CONFIDENCE_SCORE"].tolist() == [0.1235, 0.5, 1.0]
    assert frame["CONFIDENCE_SCORE"].between(0, 1).all()


def test_rerun_of_same_run_id_does_not_duplicate(tmp_path):
    store = LocalStore(tmp_path)
    assert store.append_predictions(_predictions()) == 3
    assert store.append_predictions(_predictions()) == 0
    assert store.append_predictions(_predictions("RUN2")) == 3
    stored = store.read_predictions()
    assert len(stored) == 6
    assert not stored.duplicated(["RUN_ID", "CUSTOMER_ID"]).any()
    assert list(stored.columns) == COLUMNS
