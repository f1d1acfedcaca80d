"""Every SQL text the Snowflake side of churn_ml sends, in one place.

Only tables and columns declared by the Pulumi program are named here
(schema.py lists them), so a test can parse each statement and check it.
``?`` marks a bound parameter (Session.sql(query, params=[...])).
"""

from __future__ import annotations

from churn_ml.schema import (
    CUSTOMER_COLUMNS,
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


# Rows per MERGE of the sample loader: 500 rows x 14 columns = 7,000 bound values, far from
# the 16,384 rows Snowflake allows in one VALUES clause and the 1 MB it recommends per
# statement (docs.snowflake.com/en/user-guide/query-size-limits).
MERGE_CHUNK_ROWS = 500


def merge_new_customers(target_table: str, row_count: int) -> str:
    """MERGE ``row_count`` bound rows (CUSTOMER_COLUMNS order) into ``target_table``,
    inserting only CUSTOMER_IDs not present yet; answers "number of rows inserted".

    The rows arrive as bound VALUES, not through a DataFrame: the sample loader is an
    owner's-rights procedure, and Snowflake refuses named temporary objects there
    ("Creating named temp objects is not supported in an owner's rights stored procedure",
    docs.snowflake.com/en/developer-guide/stored-procedure/python/procedure-python-limitations),
    while Session.create_dataframe(pandas) loads through a named temporary table
    (snowpark 1.26.0 session.py: write_pandas(..., table_type="temporary"))."""
    columns = ", ".join(CUSTOMER_COLUMNS)
    row = "(" + ", ".join(["?"] * len(CUSTOMER_COLUMNS)) + ")"
    values = ", ".join([row] * row_count)
    inserted = ", ".join(f"S.{c}" for c in CUSTOMER_COLUMNS)
    return (
        f"MERGE INTO {target_table} AS T "
        f"USING (SELECT * FROM (VALUES {values}) AS V ({columns})) AS S "
        "ON T.CUSTOMER_ID = S.CUSTOMER_ID "
        f"WHEN NOT MATCHED THEN INSERT ({columns}) VALUES ({inserted})"
    )


def all_statements(ml_db: str = "DEV_ML_DB", raw_db: str = "RAW_DB") -> list[str]:
    """Every statement, for checks against the declared tables."""
    return [
        TASK_GRAPH_RUN_ID,
        select_run_log(ml_db),
        select_prediction_ids(ml_db),
        select_score_baseline(ml_db),
        select_promoted_versions(ml_db),
        merge_new_customers(f"{raw_db}.PUBLIC.CUSTOMERS", 2),
    ]
