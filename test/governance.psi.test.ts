/**
 * The PREDICTION_DRIFT view's SQL, run on a small fixture, equals a straightforward
 * TypeScript computation of the fixed PSI formula (the Python one in ml/ is tested on its
 * side). The SQL runs in SQLite (Python's sqlite3, which has LN and FLOOR) with Snowflake's
 * LEAST, GREATEST and TO_DATE supplied as functions and the three-part names shortened.
 */
import { execFileSync } from "child_process";
import { FRACTION_FLOOR, pipelineRunHistorySql, predictionDriftSql, SCORE_BINS } from "../infra/snowflake/monitoringViews";

const DB = "DEV_ML_DB";

/** Runs `sql` over the given tables in SQLite; returns column names and rows. */
function runSql(sql: string, tables: Record<string, Record<string, unknown>[]>): { columns: string[]; rows: unknown[][] } {
    const script = `
import json, sqlite3, sys
req = json.load(sys.stdin)
db = sqlite3.connect(":memory:")
db.create_function("LEAST", 2, min)
db.create_function("GREATEST", 2, max)
db.create_function("TO_DATE", 1, lambda ts: ts[:10])
for name, rows in req["tables"].items():
    cols = list(rows[0].keys())
    db.execute(f"CREATE TABLE {name} ({', '.join(cols)})")
    db.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' for _ in cols)})", [[r[c] for c in cols] for r in rows])
cur = db.execute(req["sql"])
print(json.dumps({"columns": [d[0] for d in cur.description], "rows": cur.fetchall()}))
`;
    const local = sql.replace(/"[^"]+"\."[^"]+"\."([^"]+)"/g, "$1");
    return JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify({ sql: local, tables }) }).toString());
}

/** The formula, written out plainly. */
function psi(scores: number[], expected: number[]): number {
    const counts = new Array(SCORE_BINS).fill(0);
    for (const s of scores) counts[Math.min(Math.floor(s * SCORE_BINS), SCORE_BINS - 1)]++;
    let total = 0;
    for (let i = 0; i < SCORE_BINS; i++) {
        const a = Math.max(counts[i] / scores.length, FRACTION_FLOOR);
        const e = Math.max(expected[i], FRACTION_FLOOR);
        total += (a - e) * Math.log(a / e);
    }
    return total;
}

const BASELINES: Record<string, number[]> = {
    // v1 has two empty bins; v2 is uniform.
    v1: [0.3, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05, 0, 0],
    v2: new Array(10).fill(0.1),
};
const SCORES: Record<string, number[]> = {
    "2026-11-01|v1": [0.05, 0.05, 0.12, 0.3, 0.3, 0.95, 1.0, 0.0, 0.8999],
    "2026-11-02|v1": [0.01, 0.02, 0.03, 0.04, 0.5],
    "2026-11-02|v2": [0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0.05, 0.05],
    // A version without a baseline has no drift row.
    "2026-11-02|v3": [0.5],
};

describe("PREDICTION_DRIFT", () => {
    const predictions = Object.entries(SCORES).flatMap(([key, scores]) => {
        const [day, version] = key.split("|");
        return scores.map((score, i) => ({
            CUSTOMER_ID: `C${i}`,
            PREDICTION: score >= 0.5 ? 1 : 0,
            PREDICTION_TIMESTAMP: `${day} 0${i % 10}:00:00`,
            MODEL_VERSION: version,
            CONFIDENCE_SCORE: score,
            RUN_ID: `run-${day}`,
        }));
    });
    const baseline = Object.entries(BASELINES).flatMap(([version, fractions]) =>
        fractions.map((f, i) => ({ MODEL_NAME: "CHURN_MODEL", MODEL_VERSION: version, BIN_INDEX: i, BIN_LOWER: i / 10, BIN_UPPER: (i + 1) / 10, EXPECTED_FRACTION: f })),
    );
    // Another model's baseline under the same version name must not count.
    baseline.push({ MODEL_NAME: "OTHER_MODEL", MODEL_VERSION: "v1", BIN_INDEX: 0, BIN_LOWER: 0, BIN_UPPER: 0.1, EXPECTED_FRACTION: 1 });

    const result = runSql(predictionDriftSql(DB), { PREDICTIONS: predictions, SCORE_BASELINE: baseline });

    it("has the columns the drift alert reads", () => {
        expect(result.columns).toEqual(["PREDICTION_DATE", "MODEL_VERSION", "PREDICTIONS", "BINS", "PSI"]);
    });

    it("equals the formula per day and model version, empty bins included", () => {
        const rows = result.rows.map(([day, version, n, bins, value]) => ({ key: `${day}|${version}`, n, bins, value: value as number }));
        expect(rows.map((r) => [r.key, r.n, r.bins]).sort()).toEqual(
            ["2026-11-01|v1", "2026-11-02|v1", "2026-11-02|v2"].map((k) => [k, SCORES[k].length, 10]).sort(),
        );
        for (const r of rows) {
            const expected = psi(SCORES[r.key], BASELINES[r.key.split("|")[1]]);
            expect(r.value).toBeCloseTo(expected, 12);
        }
        // The fixture really exercises the floors: a large PSI where bins are empty on one side.
        expect(Math.max(...rows.map((r) => r.value))).toBeGreaterThan(1);
    });
});

describe("PIPELINE_RUN_HISTORY", () => {
    const row = (RUN_ID: string, STEP: string, STATUS: string, extra: Record<string, unknown> = {}) => ({
        RUN_ID,
        STEP,
        STATUS,
        STARTED_AT: "2026-11-01 02:00:00",
        FINISHED_AT: "2026-11-01 02:10:00",
        DURATION_SECONDS: 600,
        ROWS_PROCESSED: 0,
        ROWS_REJECTED: 0,
        MODEL_VERSION: null,
        MESSAGE: null,
        DETAILS: null,
        ...extra,
    });
    it("has one row per run with the finalizer's status, RUNNING before it wrote", () => {
        const log = [
            row("r1", "FEATURE_ENGINEERING", "SUCCEEDED", { ROWS_REJECTED: 3 }),
            row("r1", "BATCH_INFERENCE", "FAILED", { ROWS_PROCESSED: 0 }),
            row("r1", "PIPELINE", "FAILED", { MESSAGE: "BATCH_INFERENCE failed", MODEL_VERSION: "v1" }),
            row("r2", "FEATURE_ENGINEERING", "SUCCEEDED"),
        ];
        const { columns, rows } = runSql(pipelineRunHistorySql(DB), { PIPELINE_RUN_LOG: log });
        const byRun = Object.fromEntries(rows.map((r) => [r[0], Object.fromEntries(columns.map((c, i) => [c, r[i]]))]));
        expect(Object.keys(byRun).sort()).toEqual(["r1", "r2"]);
        expect(byRun.r1).toMatchObject({ STATUS: "FAILED", MODEL_VERSION: "v1", ROWS_REJECTED: 3, FAILED_STEPS: 1, MESSAGE: "BATCH_INFERENCE failed" });
        expect(byRun.r2).toMatchObject({ STATUS: "RUNNING", FAILED_STEPS: 0 });
    });
});
