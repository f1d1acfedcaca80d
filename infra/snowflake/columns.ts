/**
 * Column definitions of the tables the program declares. Shared by the table resources,
 * the views' SQL and the tests, and matched by the writers in ml/ (which set every value
 * themselves: a column `default` crashes the 1.3.0 provider, see NOTES).
 */
export interface Column {
    name: string;
    type: string;
    nullable: boolean;
    comment: string;
}

const col = (name: string, type: string, comment: string, nullable = true): Column => ({ name, type, nullable, comment });

/** `{ENV}_RAW_DB.PUBLIC.CUSTOMERS` (SPEC §3). */
export const CUSTOMERS_COLUMNS: Column[] = [
    col("CUSTOMER_ID", "VARCHAR(50)", "Customer identifier", false),
    col("CUSTOMER_NAME", "VARCHAR(200)", "Customer name"),
    col("AGE", "NUMBER(38,0)", "Age in years"),
    col("ACCOUNT_BALANCE", "NUMBER(18,2)", "Account balance"),
    col("TENURE_MONTHS", "NUMBER(38,0)", "Months as a customer"),
    col("NUM_PRODUCTS", "NUMBER(38,0)", "Number of bank products held"),
    col("HAS_CREDIT_CARD", "BOOLEAN", "Holds a credit card"),
    col("IS_ACTIVE_MEMBER", "BOOLEAN", "Active member"),
    col("CREDIT_SCORE", "NUMBER(38,0)", "Credit score"),
    col("GEOGRAPHY", "VARCHAR(50)", "Country"),
    col("GENDER", "VARCHAR(20)", "Gender"),
    col("ESTIMATED_SALARY", "NUMBER(18,2)", "Estimated yearly salary"),
    col("TARGET_LABEL", "NUMBER(38,0)", "1 churned, 0 retained"),
    col("LAST_UPDATED", "TIMESTAMP_NTZ(9)", "Last change of the row"),
];

/** `{ENV}_ML_DB.OUTPUT.PREDICTIONS` (SPEC §3, plus RUN_ID so a rerun never duplicates rows). */
export const PREDICTIONS_COLUMNS: Column[] = [
    col("CUSTOMER_ID", "VARCHAR(50)", "Customer scored", false),
    col("PREDICTION", "NUMBER(38,0)", "1 = predicted to churn", false),
    col("PREDICTION_TIMESTAMP", "TIMESTAMP_NTZ(9)", "When the score was computed", false),
    col("MODEL_VERSION", "VARCHAR(100)", "CHURN_MODEL version that scored", false),
    col("CONFIDENCE_SCORE", "NUMBER(5,4)", "Churn probability", false),
    col("RUN_ID", "VARCHAR(100)", "Task graph run that wrote the row", false),
];

/** Pipeline bookkeeping in `{ENV}_ML_DB.PIPELINES`, written by ml/. */
export const RUN_LOG_COLUMNS: Column[] = [
    col("RUN_ID", "VARCHAR(100)", "Task graph run (graph run group id)", false),
    col("STEP", "VARCHAR(100)", "START, FEATURE_ENGINEERING, TRAINING, VALIDATION_GATE, BATCH_INFERENCE or PIPELINE", false),
    col("STATUS", "VARCHAR(20)", "STARTED, SUCCEEDED, FAILED or SKIPPED", false),
    col("STARTED_AT", "TIMESTAMP_NTZ(9)", "Step start"),
    col("FINISHED_AT", "TIMESTAMP_NTZ(9)", "Step end"),
    col("DURATION_SECONDS", "FLOAT", "Step duration"),
    col("ROWS_PROCESSED", "NUMBER(38,0)", "Rows read or written"),
    col("ROWS_REJECTED", "NUMBER(38,0)", "Rows kept out by validation"),
    col("MODEL_VERSION", "VARCHAR(100)", "Model version involved"),
    col("MESSAGE", "VARCHAR(4000)", "Outcome or error"),
    col("DETAILS", "VARCHAR(16777216)", "JSON details"),
];

export const MODEL_METRICS_COLUMNS: Column[] = [
    col("RUN_ID", "VARCHAR(100)", "Run that trained the version", false),
    col("MODEL_NAME", "VARCHAR(100)", "Registry model", false),
    col("MODEL_VERSION", "VARCHAR(100)", "Registry version", false),
    col("TRAINED_AT", "TIMESTAMP_NTZ(9)", "Training time"),
    col("ALGORITHM", "VARCHAR(100)", "Estimator"),
    col("TRAIN_ROWS", "NUMBER(38,0)", "Training rows"),
    col("TEST_ROWS", "NUMBER(38,0)", "Held-out rows"),
    col("ROC_AUC", "FLOAT", "Held-out ROC AUC"),
    col("PR_AUC", "FLOAT", "Held-out PR AUC"),
    col("ACCURACY", "FLOAT", "Held-out accuracy"),
    col("PRECISION", "FLOAT", "Held-out precision"),
    col("RECALL", "FLOAT", "Held-out recall"),
    col("F1", "FLOAT", "Held-out F1"),
    col("BASELINE_ROC_AUC", "FLOAT", "Logistic-regression baseline ROC AUC"),
    col("FEATURE_VIEW_VERSION", "VARCHAR(100)", "CUSTOMER_FEATURES version used"),
];

export const GATE_DECISIONS_COLUMNS: Column[] = [
    col("RUN_ID", "VARCHAR(100)", "Run of the decision", false),
    col("MODEL_NAME", "VARCHAR(100)", "Registry model", false),
    col("CANDIDATE_VERSION", "VARCHAR(100)", "Version trained in the run"),
    col("CHAMPION_VERSION_BEFORE", "VARCHAR(100)", "Default version before the decision"),
    col("CANDIDATE_ROC_AUC", "FLOAT", "Candidate held-out ROC AUC"),
    col("CHAMPION_ROC_AUC", "FLOAT", "Champion held-out ROC AUC"),
    col("MIN_ROC_AUC", "FLOAT", "Environment minimum"),
    col("MAX_AUC_REGRESSION", "FLOAT", "Allowed regression against the champion"),
    col("PROMOTED", "BOOLEAN", "Candidate became the default version"),
    col("REASON", "VARCHAR(1000)", "Why"),
    col("DECIDED_AT", "TIMESTAMP_NTZ(9)", "Decision time"),
];

export const DATA_QUALITY_COLUMNS: Column[] = [
    col("RUN_ID", "VARCHAR(100)", "Run of the check", false),
    col("CHECKED_AT", "TIMESTAMP_NTZ(9)", "Check time"),
    col("SOURCE_TABLE", "VARCHAR(500)", "Table checked"),
    col("CHECK_NAME", "VARCHAR(100)", "Validation rule"),
    col("FAILED_ROWS", "NUMBER(38,0)", "Rows failing the rule"),
    col("TOTAL_ROWS", "NUMBER(38,0)", "Rows checked"),
];

export const SCORE_BASELINE_COLUMNS: Column[] = [
    col("MODEL_NAME", "VARCHAR(100)", "Registry model", false),
    col("MODEL_VERSION", "VARCHAR(100)", "Registry version", false),
    col("BIN_INDEX", "NUMBER(38,0)", "Score bin 0-9 (width 0.1)", false),
    col("BIN_LOWER", "FLOAT", "Bin lower bound"),
    col("BIN_UPPER", "FLOAT", "Bin upper bound"),
    col("EXPECTED_FRACTION", "FLOAT", "Share of held-out scores in the bin"),
];
