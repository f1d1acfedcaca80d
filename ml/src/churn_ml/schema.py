"""Names and column layouts shared with the Pulumi program (SPEC §3).

One source of truth: every table the pipeline reads or writes is listed here
with its columns in declaration order, UPPER CASE.
"""

from __future__ import annotations

MODEL_NAME = "CHURN_MODEL"
ENTITY_NAME = "CUSTOMER"
ENTITY_KEY = "CUSTOMER_ID"
FEATURE_VIEW_NAME = "CUSTOMER_FEATURES"
LABEL = "TARGET_LABEL"

GEOGRAPHIES = ("France", "Germany", "Spain")
GENDERS = ("Female", "Male")

# Raw input {RAW_DB}.PUBLIC.CUSTOMERS: column -> logical type.
CUSTOMER_COLUMNS: dict[str, str] = {
    "CUSTOMER_ID": "string",
    "CUSTOMER_NAME": "string",
    "AGE": "int",
    "ACCOUNT_BALANCE": "decimal",
    "TENURE_MONTHS": "int",
    "NUM_PRODUCTS": "int",
    "HAS_CREDIT_CARD": "bool",
    "IS_ACTIVE_MEMBER": "bool",
    "CREDIT_SCORE": "int",
    "GEOGRAPHY": "string",
    "GENDER": "string",
    "ESTIMATED_SALARY": "decimal",
    "TARGET_LABEL": "int",
    "LAST_UPDATED": "timestamp",
}

# Pipeline step names as written to PIPELINE_RUN_LOG.STEP, in graph order.
STEP_START = "START"
STEP_FEATURES = "FEATURE_ENGINEERING"
STEP_TRAINING = "TRAINING"
STEP_GATE = "VALIDATION_GATE"
STEP_INFERENCE = "BATCH_INFERENCE"
STEP_PIPELINE = "PIPELINE"
GRAPH_STEPS = (STEP_START, STEP_FEATURES, STEP_TRAINING, STEP_GATE, STEP_INFERENCE)

STATUS_STARTED = "STARTED"
STATUS_SUCCEEDED = "SUCCEEDED"
STATUS_FAILED = "FAILED"
STATUS_SKIPPED = "SKIPPED"

# Output tables: logical name -> (schema, columns).
PREDICTIONS = "PREDICTIONS"
PIPELINE_RUN_LOG = "PIPELINE_RUN_LOG"
MODEL_METRICS = "MODEL_METRICS"
GATE_DECISIONS = "GATE_DECISIONS"
DATA_QUALITY_RESULTS = "DATA_QUALITY_RESULTS"
SCORE_BASELINE = "SCORE_BASELINE"

TABLE_SCHEMAS: dict[str, str] = {
    PREDICTIONS: "OUTPUT",
    PIPELINE_RUN_LOG: "PIPELINES",
    MODEL_METRICS: "PIPELINES",
    GATE_DECISIONS: "PIPELINES",
    DATA_QUALITY_RESULTS: "PIPELINES",
    SCORE_BASELINE: "PIPELINES",
}

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    PREDICTIONS: (
        "CUSTOMER_ID",
        "PREDICTION",
        "PREDICTION_TIMESTAMP",
        "MODEL_VERSION",
        "CONFIDENCE_SCORE",
        "RUN_ID",
    ),
    PIPELINE_RUN_LOG: (
        "RUN_ID",
        "STEP",
        "STATUS",
        "STARTED_AT",
        "FINISHED_AT",
        "DURATION_SECONDS",
        "ROWS_PROCESSED",
        "ROWS_REJECTED",
        "MODEL_VERSION",
        "MESSAGE",
        "DETAILS",
    ),
    MODEL_METRICS: (
        "RUN_ID",
        "MODEL_NAME",
        "MODEL_VERSION",
        "TRAINED_AT",
        "ALGORITHM",
        "TRAIN_ROWS",
        "TEST_ROWS",
        "ROC_AUC",
        "PR_AUC",
        "ACCURACY",
        "PRECISION",
        "RECALL",
        "F1",
        "BASELINE_ROC_AUC",
        "FEATURE_VIEW_VERSION",
    ),
    GATE_DECISIONS: (
        "RUN_ID",
        "MODEL_NAME",
        "CANDIDATE_VERSION",
        "CHAMPION_VERSION_BEFORE",
        "CANDIDATE_ROC_AUC",
        "CHAMPION_ROC_AUC",
        "MIN_ROC_AUC",
        "MAX_AUC_REGRESSION",
        "PROMOTED",
        "REASON",
        "DECIDED_AT",
    ),
    DATA_QUALITY_RESULTS: (
        "RUN_ID",
        "CHECKED_AT",
        "SOURCE_TABLE",
        "CHECK_NAME",
        "FAILED_ROWS",
        "TOTAL_ROWS",
    ),
    SCORE_BASELINE: (
        "MODEL_NAME",
        "MODEL_VERSION",
        "BIN_INDEX",
        "BIN_LOWER",
        "BIN_UPPER",
        "EXPECTED_FRACTION",
    ),
}

MESSAGE_MAX = 4000
REASON_MAX = 1000
