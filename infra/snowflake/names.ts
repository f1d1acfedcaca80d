/**
 * Every Snowflake object name the platform uses, derived from the environment code.
 * The names are the original system's (SPEC §3), so users' queries keep working; this is
 * the only place they are spelled.
 */
export const SCHEMAS = {
    rawPublic: "PUBLIC",
    pipelines: "PIPELINES",
    features: "FEATURES",
    output: "OUTPUT",
} as const;

export const TABLES = {
    customers: "CUSTOMERS",
    predictions: "PREDICTIONS",
    runLog: "PIPELINE_RUN_LOG",
    modelMetrics: "MODEL_METRICS",
    gateDecisions: "GATE_DECISIONS",
    dataQuality: "DATA_QUALITY_RESULTS",
    scoreBaseline: "SCORE_BASELINE",
} as const;

export const VIEWS = {
    recentPredictions: "RECENT_PREDICTIONS",
    predictionStats: "PREDICTION_STATS",
} as const;

export const STAGES = {
    mlCode: "ML_CODE_STAGE",
    models: "MODELS_STAGE",
} as const;

/** Model Registry and Feature Store objects the pipeline creates at run time (SPEC §3). */
export const ML_OBJECTS = {
    model: "CHURN_MODEL",
    entity: "CUSTOMER",
    featureView: "CUSTOMER_FEATURES",
} as const;

export interface EnvironmentNames {
    rawDatabase: string;
    mlDatabase: string;
    mlRole: string;
    /** Resource monitor capping the warehouse's credits. */
    monitor: string;
    /** Email notification integration of the alerts. */
    integration: string;
    /** The alerts' own XSMALL warehouse, so a check never wakes the environment's warehouse. */
    alertWarehouse: string;
}

export function environmentNames(env: string): EnvironmentNames {
    return {
        rawDatabase: `${env}_RAW_DB`,
        mlDatabase: `${env}_ML_DB`,
        mlRole: `ML_${env}_ROLE`,
        monitor: `${env}_ML_MONITOR`,
        integration: `${env}_ML_ALERTS`,
        alertWarehouse: `${env}_WH_ALERTS`,
    };
}

/** `"DB"."SCHEMA"."OBJECT"`, the form grants, task `afters` and SQL use. */
export function fqn(...parts: string[]): string {
    return parts.map((p) => `"${p}"`).join(".");
}
