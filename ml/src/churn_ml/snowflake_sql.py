"""Every SQL text the Snowflake side of churn_ml sends, in one place.

Only tables and columns declared by the Pulumi program are named here
(schema.py lists them), so a test can parse each statement and check it.
``?`` marks a bound parameter (Session.sql(query, params=[...])).
"""

from __future__ import annotations

from churn_ml.schema import (
    GATE_DECISIONS,
    PIPELINE_RUN_LOG,
    PREDICTIONS,
    SCORE_BASELINE,
    TABLE_COLUMNS,
    TABLE_SCHEMAS,
)

TASK_GRAPH_RUN_ID = "SELECT SYSTEM$TASK_RUNTIME_INFO('CURRENT_TASK_GRAPH_RUN_GROUP_ID')"


def qualified(ml_db: str, table: str) -> str:
    return f"{ml_db}.{TABLE_SCHEMAS[table]}.{table}"


def select_run_log(ml_db: str) -> str:
    columns = ", ".join(TABLE_COLUMNS[PIPELINE_RUN_LOG])
    return (
        f"SELECT {columns} FROM {qualified(ml_db, PIPELINE_RUN_LOG)} "
        "WHERE RUN_ID = ? ORDER BY FINISHED_AT"
    )


def select_prediction_ids(ml_db: str) -> str:
    return f"SELECT CUSTOMER_ID FROM {qualified(ml_db, PREDICTIONS)} WHERE RUN_ID = ?"


def select_score_baseline(ml_db: str) -> str:
    return (
        f"SELECT BIN_INDEX, EXPECTED_FRACTION FROM {qualified(ml_db, SCORE_BASELINE)} "
        "WHERE MODEL_NAME = ? AND MODEL_VERSION = ? ORDER BY BIN_INDEX"
    )


def select_promoted_versions(ml_db: str) -> str:
    """Versions the gate promoted (the registry makes a first version default by itself)."""
    return (
        f"SELECT CANDIDATE_VERSION FROM {qualified(ml_db, GATE_DECISIONS)} "
        "WHERE MODEL_NAME = ? AND PROMOTED = TRUE"
    )


def all_statements(ml_db: str = "DEV_ML_DB") -> list[str]:
    """Every statement, for checks against the declared tables."""
    return [
        TASK_GRAPH_RUN_ID,
        select_run_log(ml_db),
        select_prediction_ids(ml_db),
        select_score_baseline(ml_db),
        select_promoted_versions(ml_db),
    ]
