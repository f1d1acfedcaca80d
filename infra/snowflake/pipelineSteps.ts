/**
 * The churn pipeline as data (SPEC §5): its stored procedures and the task graph that
 * calls them. The components build resources from this; tests and docs read it.
 */
export interface ProcedureArgument {
    name: string;
    type: "VARCHAR" | "FLOAT" | "NUMBER";
}

export interface PipelineProcedure {
    /** Procedure name in {ENV}_ML_DB.PIPELINES. */
    name: string;
    /** Function in ml/src/churn_ml/procedures.py that implements it (session first). */
    pythonFunction: string;
    arguments: ProcedureArgument[];
    comment: string;
}

export const PIPELINE_PROCEDURES = {
    start: { name: "START_PIPELINE_RUN", pythonFunction: "start_pipeline_run", arguments: [], comment: "Records the start of a task graph run." },
    features: {
        name: "ENGINEER_FEATURES",
        pythonFunction: "engineer_features",
        arguments: [{ name: "SOURCE_TABLE", type: "VARCHAR" }],
        comment: "Validates CUSTOMERS, computes features, registers the CUSTOMER entity and CUSTOMER_FEATURES view.",
    },
    training: {
        name: "TRAIN_AND_REGISTER_MODEL",
        pythonFunction: "train_and_register_model",
        arguments: [],
        comment: "Trains the classifier and a logistic baseline, logs a new CHURN_MODEL version with its metrics.",
    },
    gate: {
        name: "APPLY_VALIDATION_GATE",
        pythonFunction: "apply_validation_gate",
        arguments: [
            { name: "MIN_ROC_AUC", type: "FLOAT" },
            { name: "MAX_AUC_REGRESSION", type: "FLOAT" },
        ],
        comment: "Makes the new version the default only if it meets the minimum and does not regress.",
    },
    inference: {
        name: "SCORE_CUSTOMERS",
        pythonFunction: "score_customers",
        arguments: [{ name: "SOURCE_TABLE", type: "VARCHAR" }],
        comment: "Scores customers with the champion and appends to OUTPUT.PREDICTIONS.",
    },
    finalize: { name: "FINALIZE_PIPELINE_RUN", pythonFunction: "finalize_pipeline_run", arguments: [], comment: "Records the run's outcome in the run log, whatever happened before." },
} satisfies Record<string, PipelineProcedure>;

/**
 * Synthetic customers for dev, sit and uat; lives with the raw data and is owned by the deploy
 * role. It runs with its owner's rights, so it takes no table argument (issue 10): the table
 * it writes is bound into its code when it is declared (`SAMPLE_LOADER_TABLE_ARGUMENT`), always
 * its own environment's CUSTOMERS, and no caller can point it anywhere else.
 */
export const SAMPLE_LOADER: PipelineProcedure = {
    name: "LOAD_SAMPLE_CUSTOMERS",
    pythonFunction: "load_sample_customers",
    arguments: [
        { name: "ROW_COUNT", type: "NUMBER" },
        { name: "SEED", type: "NUMBER" },
    ],
    comment: "Inserts deterministic synthetic customers missing from this environment's CUSTOMERS (never in production).",
};

/** Keyword argument of `load_sample_customers` (ml/src/churn_ml/procedures.py) that the loader's code binds. */
export const SAMPLE_LOADER_TABLE_ARGUMENT = "target_table";

/** Seed of the synthetic customers: fixed, so every load yields the same rows (idempotent). */
export const SAMPLE_SEED = 42;

export const TASKS = {
    root: "ML_RETRAINING_PIPELINE",
    sampleData: "LOAD_SAMPLE_DATA_TASK",
    features: "FEATURE_ENGINEERING_TASK",
    training: "TRAINING_TASK",
    gate: "VALIDATION_GATE_TASK",
    inference: "BATCH_INFERENCE_TASK",
    finalize: "FINALIZE_RUN_TASK",
} as const;
