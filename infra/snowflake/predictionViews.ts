/**
 * SQL of the prediction views (SPEC §3). Pure functions so the statements can be
 * parsed, run on an emulator and compared with independently computed numbers.
 */
import { fqn, SCHEMAS, TABLES } from "./names";

/**
 * Predictions of the last `days` days. The pipeline writes UTC timestamps, so the window is
 * measured with SYSDATE() (UTC): CURRENT_TIMESTAMP() follows the session time zone.
 */
export function recentPredictionsSql(mlDatabase: string, days: number): string {
    return [
        "SELECT CUSTOMER_ID, PREDICTION, PREDICTION_TIMESTAMP, MODEL_VERSION, CONFIDENCE_SCORE, RUN_ID",
        `FROM ${fqn(mlDatabase, SCHEMAS.output, TABLES.predictions)}`,
        `WHERE PREDICTION_TIMESTAMP >= DATEADD(DAY, -${days}, SYSDATE())`,
    ].join("\n");
}

/** Per day and model version: total, churn and retained counts, average/min/max confidence. */
export function predictionStatsSql(mlDatabase: string): string {
    return [
        "SELECT",
        "    TO_DATE(PREDICTION_TIMESTAMP) AS PREDICTION_DATE,",
        "    MODEL_VERSION,",
        "    COUNT(*) AS TOTAL_PREDICTIONS,",
        "    SUM(CASE WHEN PREDICTION = 1 THEN 1 ELSE 0 END) AS CHURN_PREDICTIONS,",
        "    SUM(CASE WHEN PREDICTION = 0 THEN 1 ELSE 0 END) AS RETAINED_PREDICTIONS,",
        "    AVG(CONFIDENCE_SCORE) AS AVG_CONFIDENCE,",
        "    MIN(CONFIDENCE_SCORE) AS MIN_CONFIDENCE,",
        "    MAX(CONFIDENCE_SCORE) AS MAX_CONFIDENCE",
        `FROM ${fqn(mlDatabase, SCHEMAS.output, TABLES.predictions)}`,
        "GROUP BY TO_DATE(PREDICTION_TIMESTAMP), MODEL_VERSION",
    ].join("\n");
}
