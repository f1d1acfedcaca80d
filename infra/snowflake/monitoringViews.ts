/**
 * SQL of the monitoring views and of the alerts' conditions and actions. Pure functions
 * (like predictionViews.ts) so the tests can check every column they name against
 * columns.ts and run the drift formula on a fixture.
 *
 * The drift formula is fixed and shared with ml/src/churn_ml/drift.py: 10 equal-width bins
 * on [0, 1], bin = LEAST(FLOOR(score * 10), 9), actual a_i = count_i / n and expected e_i =
 * SCORE_BASELINE.EXPECTED_FRACTION, both floored at 0.0001, PSI = SUM((a_i - e_i) * LN(a_i / e_i)).
 */
import { fqn, ML_OBJECTS, SCHEMAS, TABLES } from "./names";

export const MONITORING_VIEWS = {
    pipelineRunHistory: "PIPELINE_RUN_HISTORY",
    modelVersionHistory: "MODEL_VERSION_HISTORY",
    predictionDrift: "PREDICTION_DRIFT",
} as const;

/** Floor of both fractions: an empty bin would otherwise make LN(a / e) infinite. */
export const FRACTION_FLOOR = 0.0001;
/** Number of equal-width score bins on [0, 1]. */
export const SCORE_BINS = 10;

/** The pipeline's finalizer writes one row with this STEP per run (ml/src/churn_ml/steps.py). */
export const PIPELINE_STEP = "PIPELINE";
export const FAILED_STATUS = "FAILED";

/** One row per task graph run: the finalizer's outcome plus per-step counts. */
export function pipelineRunHistorySql(mlDatabase: string): string {
    const summary = (column: string) => `MAX(CASE WHEN STEP = '${PIPELINE_STEP}' THEN ${column} END)`;
    return [
        "SELECT",
        "    RUN_ID,",
        "    MIN(STARTED_AT) AS STARTED_AT,",
        "    MAX(FINISHED_AT) AS FINISHED_AT,",
        // A run whose finalizer has not written yet is still running (or was cut off).
        `    COALESCE(${summary("STATUS")}, 'RUNNING') AS STATUS,`,
        `    ${summary("DURATION_SECONDS")} AS DURATION_SECONDS,`,
        `    ${summary("MODEL_VERSION")} AS MODEL_VERSION,`,
        "    SUM(CASE WHEN STEP = 'FEATURE_ENGINEERING' THEN ROWS_REJECTED ELSE 0 END) AS ROWS_REJECTED,",
        "    SUM(CASE WHEN STEP = 'BATCH_INFERENCE' THEN ROWS_PROCESSED ELSE 0 END) AS ROWS_SCORED,",
        `    SUM(CASE WHEN STEP <> '${PIPELINE_STEP}' AND STATUS = '${FAILED_STATUS}' THEN 1 ELSE 0 END) AS FAILED_STEPS,`,
        `    ${summary("MESSAGE")} AS MESSAGE`,
        `FROM ${fqn(mlDatabase, SCHEMAS.pipelines, TABLES.runLog)}`,
        "GROUP BY RUN_ID",
    ].join("\n");
}

/** Held-out metrics of every model version with the validation gate's decision on it. */
export function modelVersionHistorySql(mlDatabase: string): string {
    return [
        "SELECT",
        "    M.MODEL_NAME,",
        "    M.MODEL_VERSION,",
        "    M.RUN_ID,",
        "    M.TRAINED_AT,",
        "    M.ALGORITHM,",
        "    M.TRAIN_ROWS,",
        "    M.TEST_ROWS,",
        "    M.ROC_AUC,",
        "    M.PR_AUC,",
        "    M.ACCURACY,",
        "    M.PRECISION,",
        "    M.RECALL,",
        "    M.F1,",
        "    M.BASELINE_ROC_AUC,",
        "    M.FEATURE_VIEW_VERSION,",
        "    G.PROMOTED,",
        "    G.CHAMPION_VERSION_BEFORE,",
        "    G.CHAMPION_ROC_AUC,",
        "    G.MIN_ROC_AUC,",
        "    G.MAX_AUC_REGRESSION,",
        "    G.REASON AS GATE_REASON,",
        "    G.DECIDED_AT",
        `FROM ${fqn(mlDatabase, SCHEMAS.pipelines, TABLES.modelMetrics)} M`,
        `LEFT JOIN ${fqn(mlDatabase, SCHEMAS.pipelines, TABLES.gateDecisions)} G`,
        "    ON G.RUN_ID = M.RUN_ID AND G.MODEL_NAME = M.MODEL_NAME AND G.CANDIDATE_VERSION = M.MODEL_VERSION",
    ].join("\n");
}

/**
 * PSI per prediction day and model version against that version's baseline. The bins are
 * driven from SCORE_BASELINE's 10 rows, so a bin without predictions still counts (with
 * a_i floored at 0.0001); a version without a baseline has no drift row.
 */
export function predictionDriftSql(mlDatabase: string): string {
    const predictions = fqn(mlDatabase, SCHEMAS.output, TABLES.predictions);
    const baseline = fqn(mlDatabase, SCHEMAS.pipelines, TABLES.scoreBaseline);
    return [
        "WITH SCORED AS (",
        "    SELECT TO_DATE(PREDICTION_TIMESTAMP) AS PREDICTION_DATE, MODEL_VERSION,",
        `        LEAST(FLOOR(CONFIDENCE_SCORE * ${SCORE_BINS}), ${SCORE_BINS - 1}) AS BIN_INDEX`,
        `    FROM ${predictions}`,
        "),",
        "TOTALS AS (",
        "    SELECT PREDICTION_DATE, MODEL_VERSION, COUNT(*) AS PREDICTIONS",
        "    FROM SCORED GROUP BY PREDICTION_DATE, MODEL_VERSION",
        "),",
        "BIN_COUNTS AS (",
        "    SELECT PREDICTION_DATE, MODEL_VERSION, BIN_INDEX, COUNT(*) AS BIN_PREDICTIONS",
        "    FROM SCORED GROUP BY PREDICTION_DATE, MODEL_VERSION, BIN_INDEX",
        "),",
        "FRACTIONS AS (",
        "    SELECT T.PREDICTION_DATE, T.MODEL_VERSION, T.PREDICTIONS, B.BIN_INDEX,",
        // FLOAT, not NUMBER: integer division in Snowflake keeps only 6 decimals.
        `        GREATEST(CAST(COALESCE(C.BIN_PREDICTIONS, 0) AS FLOAT) / T.PREDICTIONS, ${FRACTION_FLOOR}) AS ACTUAL_FRACTION,`,
        `        GREATEST(B.EXPECTED_FRACTION, ${FRACTION_FLOOR}) AS EXPECTED_FRACTION`,
        "    FROM TOTALS T",
        `    JOIN ${baseline} B`,
        `        ON B.MODEL_VERSION = T.MODEL_VERSION AND B.MODEL_NAME = '${ML_OBJECTS.model}'`,
        "    LEFT JOIN BIN_COUNTS C",
        "        ON C.PREDICTION_DATE = T.PREDICTION_DATE AND C.MODEL_VERSION = T.MODEL_VERSION AND C.BIN_INDEX = B.BIN_INDEX",
        ")",
        "SELECT PREDICTION_DATE, MODEL_VERSION, MAX(PREDICTIONS) AS PREDICTIONS, COUNT(*) AS BINS,",
        "    SUM((ACTUAL_FRACTION - EXPECTED_FRACTION) * LN(ACTUAL_FRACTION / EXPECTED_FRACTION)) AS PSI",
        "FROM FRACTIONS",
        "GROUP BY PREDICTION_DATE, MODEL_VERSION",
    ].join("\n");
}

/**
 * The alert's own schedule, in UTC like the run log. SCHEDULED_TIME() is when this check was
 * scheduled, LAST_SUCCESSFUL_SCHEDULED_TIME() when the last check that ran its action without
 * error was (NULL before the first); both TIMESTAMP_LTZ, callable only inside an alert, by a
 * role granted the SNOWFLAKE database role ALERT_VIEWER
 * (docs.snowflake.com/en/sql-reference/functions/scheduled_time,
 * .../last_successful_scheduled_time). Windows built from them tile time without gaps or
 * overlaps, however late a check runs or how many were skipped.
 */
export const ALERT_SCHEDULED_TIME = "SNOWFLAKE.ALERT.SCHEDULED_TIME()";
export const ALERT_LAST_SUCCESSFUL_SCHEDULED_TIME = "SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME()";
/**
 * The failure window ends this long before the check's scheduled time: the finalizer stamps
 * FINISHED_AT before its INSERT commits, so a row stamped just before a check could become
 * visible just after it and fall between two windows.
 */
export const FAILURE_ALERT_SETTLE_MINUTES = 5;

const utc = (ltz: string) => `CONVERT_TIMEZONE('UTC', ${ltz})::TIMESTAMP_NTZ`;

/**
 * Alert condition: a run of the graph finished FAILED in the window of this check: after the
 * last successful check's window (or one interval back, before the first check) and up to this
 * check's scheduled time, both shifted back by FAILURE_ALERT_SETTLE_MINUTES. Consecutive windows
 * meet exactly, so each failure is mailed once; a check whose action failed is repeated by the
 * next one, whose window then starts where the last successful one ended.
 */
export function pipelineFailureConditionSql(mlDatabase: string, intervalMinutes: number): string {
    const windowStart = `DATEADD(MINUTE, -${FAILURE_ALERT_SETTLE_MINUTES}, ${utc(`COALESCE(${ALERT_LAST_SUCCESSFUL_SCHEDULED_TIME}, DATEADD(MINUTE, -${intervalMinutes}, ${ALERT_SCHEDULED_TIME}))`)})`;
    const windowEnd = `DATEADD(MINUTE, -${FAILURE_ALERT_SETTLE_MINUTES}, ${utc(ALERT_SCHEDULED_TIME)})`;
    return [
        "SELECT RUN_ID, FINISHED_AT, MESSAGE",
        `FROM ${fqn(mlDatabase, SCHEMAS.pipelines, TABLES.runLog)}`,
        `WHERE STEP = '${PIPELINE_STEP}' AND STATUS = '${FAILED_STATUS}'`,
        `    AND FINISHED_AT > ${windowStart}`,
        `    AND FINISHED_AT <= ${windowEnd}`,
    ].join("\n");
}

/** Alert condition: predictions of the check's scheduled day (UTC) drift above `threshold` for some model version. */
export function predictionDriftConditionSql(mlDatabase: string, threshold: number): string {
    return [
        "SELECT PREDICTION_DATE, MODEL_VERSION, PSI",
        `FROM ${fqn(mlDatabase, SCHEMAS.output, MONITORING_VIEWS.predictionDrift)}`,
        `WHERE PREDICTION_DATE = ${utc(ALERT_SCHEDULED_TIME)}::DATE AND PSI > ${threshold}`,
    ].join("\n");
}

const quote = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** Alert action: one email through the notification integration. */
export function sendEmailSql(integration: string, recipients: string[], subject: string, body: string): string {
    return `CALL SYSTEM$SEND_EMAIL(${[integration, recipients.join(","), subject, body].map(quote).join(", ")})`;
}
