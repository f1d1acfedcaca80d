"""Snowflake stored-procedure handlers (the contract with the Pulumi program).

Each handler takes the Snowpark session first, finds the task graph's run id
(a new uuid outside a task), runs one step over a SnowparkStore and returns a
JSON summary. Imports stay within stdlib, numpy, pandas, scikit-learn, joblib,
matplotlib (lazily, for the evaluation figures) and (lazily) snowflake.*: the
procedures declare exactly those packages.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from churn_ml import steps
from churn_ml.sample_data import generate_customers
from churn_ml.snowflake_sql import TASK_GRAPH_RUN_ID
from churn_ml.snowpark_store import SnowparkStore


def current_run_id(session: Any) -> str:
    """The task graph run group id, or a fresh uuid when not running in a task."""
    try:
        rows = session.sql(TASK_GRAPH_RUN_ID).collect()
        value = rows[0][0] if rows else None
    except Exception:
        value = None
    return str(value) if value else uuid.uuid4().hex


def _json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, default=str, sort_keys=True)


def start_pipeline_run(session: Any) -> str:
    return _json(steps.start_pipeline_run(SnowparkStore(session), current_run_id(session)))


def engineer_features(session: Any, source_table: str) -> str:
    return _json(
        steps.engineer_features(SnowparkStore(session), current_run_id(session), source_table)
    )


def train_and_register_model(session: Any) -> str:
    return _json(steps.train_and_register_model(SnowparkStore(session), current_run_id(session)))


def apply_validation_gate(session: Any, min_roc_auc: float, max_auc_regression: float) -> str:
    return _json(
        steps.apply_validation_gate(
            SnowparkStore(session), current_run_id(session), min_roc_auc, max_auc_regression
        )
    )


def score_customers(session: Any, source_table: str) -> str:
    return _json(
        steps.score_customers(SnowparkStore(session), current_run_id(session), source_table)
    )


def finalize_pipeline_run(session: Any) -> str:
    return _json(steps.finalize_pipeline_run(SnowparkStore(session), current_run_id(session)))


def load_sample_customers(session: Any, row_count: int, seed: int, target_table: str) -> str:
    """Insert generated customers whose CUSTOMER_ID is not in ``target_table`` yet."""
    frame = generate_customers(int(row_count), int(seed))
    inserted = SnowparkStore(session).merge_customers(frame, target_table)
    return _json({"target_table": target_table, "rows_generated": len(frame),
                  "rows_inserted": inserted, "seed": int(seed)})
