/**
 * The churn pipeline each stack declares (SPEC §5): Python procedures built from ml/,
 * the task graph that runs them, who owns it, and what differs per environment.
 */
import * as fs from "fs";
import * as path from "path";
import { RecordedResource } from "../tools/evaluate";
import { importsOf, packagesFor, PythonModule } from "../infra/snowflake/mlCodeBundle";
import { evaluated, named, ofType, stackValue, STACKS, T } from "./support/stacks";

const providerRole = (ev: { resources: RecordedResource[] }, r: RecordedResource) => ev.resources.find((p) => p.urn === r.provider)?.inputs.role;
const pins = (file: string) =>
    Object.fromEntries(
        fs.readFileSync(path.join(__dirname, "..", "ml", file), "utf8")
            .split("\n")
            .map((l) => l.replace(/#.*/, "").trim())
            .filter((l) => l && !l.startsWith("-r"))
            .map((l) => l.split("==")),
    );

describe.each(STACKS)("stack %s: pipeline", (stack) => {
    const env = stack.toUpperCase();
    const ml = `${env}_ML_DB`;
    const role = `ML_${env}_ROLE`;
    const started = stack === "prd";

    test("one procedure per step in PIPELINES, owned by the ML role, Python 3.11, packages pinned from ml/", async () => {
        const ev = await evaluated(stack);
        const procedures = ofType(ev, T.procedure).filter((p) => p.inputs.database === ml);
        expect(procedures.map((p) => p.inputs.name).sort()).toEqual([
            "APPLY_VALIDATION_GATE",
            "ENGINEER_FEATURES",
            "FINALIZE_PIPELINE_RUN",
            "SCORE_CUSTOMERS",
            "START_PIPELINE_RUN",
            "TRAIN_AND_REGISTER_MODEL",
        ]);
        const runtime = pins("requirements.txt");
        const snowflakeOnly = pins("requirements-snowflake.txt");
        for (const p of procedures) {
            expect(providerRole(ev, p)).toBe(role);
            expect(p.inputs).toMatchObject({ schema: "PIPELINES", runtimeVersion: "3.11", returnType: "VARCHAR", executeAs: "CALLER" });
            expect(p.inputs.snowparkPackage).toBe(snowflakeOnly["snowflake-snowpark-python"]);
            expect(p.inputs.packages).toEqual([
                `joblib==${runtime.joblib}`,
                `matplotlib==${runtime.matplotlib}`,
                `numpy==${runtime.numpy}`,
                `pandas==${runtime.pandas}`,
                `scikit-learn==${runtime["scikit-learn"]}`,
                `snowflake-ml-python==${snowflakeOnly["snowflake-ml-python"]}`,
            ]);
        }
    });

    test("a change to ml/ replaces each procedure delete-first", async () => {
        // A replaced procedure keeps its name and signature, and the provider's Create has no
        // OR REPLACE: create-before-delete would fail with "already exists".
        const ev = await evaluated(stack);
        const procedures = ofType(ev, T.procedure);
        expect(procedures.length).toBeGreaterThan(0);
        for (const p of procedures) expect({ name: p.inputs.name, deleteBeforeReplace: p.deleteBeforeReplace }).toEqual({ name: p.inputs.name, deleteBeforeReplace: true });
    });

    test("the root task waits directly for the ML role's EXECUTE TASK grant (it is resumed on create)", async () => {
        const ev = await evaluated(stack);
        const root = named(ev, T.task, "ML_RETRAINING_PIPELINE");
        const executeTask = ev.resources.filter((r) => r.type === T.grant && r.inputs.accountRoleName === role && r.inputs.onAccount === true && (r.inputs.privileges ?? []).includes("EXECUTE TASK"));
        expect(executeTask).toHaveLength(1);
        expect(root.dependencies).toContain(executeTask[0].urn);
    });

    test("each procedure's handler is a def with the session and the declared arguments", async () => {
        const ev = await evaluated(stack);
        const gate = named(ev, T.procedure, "APPLY_VALIDATION_GATE");
        expect(gate.inputs.arguments).toEqual([
            { argName: "MIN_ROC_AUC", argDataType: "FLOAT" },
            { argName: "MAX_AUC_REGRESSION", argDataType: "FLOAT" },
        ]);
        expect(gate.inputs.handler).toBe("run_apply_validation_gate");
        expect(gate.inputs.procedureDefinition).toContain("def run_apply_validation_gate(session, min_roc_auc, max_auc_regression):");
        expect(gate.inputs.procedureDefinition).toContain("    from churn_ml.procedures import apply_validation_gate");
    });

    test("the code is ml/ itself: a change to ml/ is a change to the stack", async () => {
        const ev = await evaluated(stack);
        const steps = fs.readFileSync(path.join(__dirname, "..", "ml", "src", "churn_ml", "steps.py"), "utf8");
        const definition = named(ev, T.procedure, "TRAIN_AND_REGISTER_MODEL").inputs.procedureDefinition;
        expect(definition).toContain(`"churn_ml.steps": ${JSON.stringify(steps)},`);
        // The local-only modules (CLI, benchmark, YAML config reader) stay out of Snowflake.
        expect(definition).not.toContain('"churn_ml.local_run"');
        expect(definition).not.toContain('"churn_ml.bench"');
    });

    test("the task graph: root on the configured cron, then features, training, gate, inference; finalizer", async () => {
        const ev = await evaluated(stack);
        const tasks = ofType(ev, T.task);
        const fq = (name: string) => `"${ml}"."PIPELINES"."${name}"`;
        const root = named(ev, T.task, "ML_RETRAINING_PIPELINE");
        expect(root.inputs.schedule).toEqual({ usingCron: stackValue(stack, "pipelineSchedule") });
        expect(root.inputs.afters).toBeUndefined();
        const order = stack === "prd"
            ? ["ML_RETRAINING_PIPELINE", "FEATURE_ENGINEERING_TASK", "TRAINING_TASK", "VALIDATION_GATE_TASK", "BATCH_INFERENCE_TASK"]
            : ["ML_RETRAINING_PIPELINE", "LOAD_SAMPLE_DATA_TASK", "FEATURE_ENGINEERING_TASK", "TRAINING_TASK", "VALIDATION_GATE_TASK", "BATCH_INFERENCE_TASK"];
        for (let i = 1; i < order.length; i++) {
            const task = named(ev, T.task, order[i]);
            expect({ task: order[i], afters: task.inputs.afters }).toEqual({ task: order[i], afters: [fq(order[i - 1])] });
            expect(task.inputs.schedule).toBeUndefined();
        }
        const finalizer = named(ev, T.task, "FINALIZE_RUN_TASK");
        expect(finalizer.inputs.finalize).toBe(fq("ML_RETRAINING_PIPELINE"));
        // The finalizer changes after the last child, never in parallel with it (NOTES: sibling races).
        expect(finalizer.dependencies).toContain(named(ev, T.task, order[order.length - 1]).urn);
        expect(tasks).toHaveLength(order.length + 1);
    });

    test("each task calls its procedure with the stack's settings", async () => {
        const ev = await evaluated(stack);
        const sql = (task: string) => named(ev, T.task, task).inputs.sqlStatement;
        const customers = `'${env}_RAW_DB.PUBLIC.CUSTOMERS'`;
        expect(sql("ML_RETRAINING_PIPELINE")).toBe(`CALL "${ml}"."PIPELINES"."START_PIPELINE_RUN"()`);
        expect(sql("FEATURE_ENGINEERING_TASK")).toBe(`CALL "${ml}"."PIPELINES"."ENGINEER_FEATURES"(${customers})`);
        expect(sql("TRAINING_TASK")).toBe(`CALL "${ml}"."PIPELINES"."TRAIN_AND_REGISTER_MODEL"()`);
        expect(sql("VALIDATION_GATE_TASK")).toBe(
            `CALL "${ml}"."PIPELINES"."APPLY_VALIDATION_GATE"(${Number(stackValue(stack, "minRocAuc"))}, ${Number(stackValue(stack, "maxAucRegression"))})`,
        );
        expect(sql("BATCH_INFERENCE_TASK")).toBe(`CALL "${ml}"."PIPELINES"."SCORE_CUSTOMERS"(${customers})`);
        expect(sql("FINALIZE_RUN_TASK")).toBe(`CALL "${ml}"."PIPELINES"."FINALIZE_PIPELINE_RUN"()`);
    });

    test(`children and finalizer started in every stack, the root ${started ? "started" : "suspended"}; retries, failure suspension, timeout, no overlap`, async () => {
        const ev = await evaluated(stack);
        const root = named(ev, T.task, "ML_RETRAINING_PIPELINE");
        expect(root.inputs).toMatchObject({
            started,
            allowOverlappingExecution: "false",
            taskAutoRetryAttempts: Number(stackValue(stack, "taskRetryAttempts")),
            suspendTaskAfterNumFailures: Number(stackValue(stack, "taskSuspendAfterFailures")),
        });
        // EXECUTE TASK on a suspended root runs only the resumed tasks of its graph: outside prd
        // the documented manual run needs every child and the finalizer started.
        const others = ofType(ev, T.task).filter((t) => t.urn !== root.urn);
        expect(others.map((t) => t.inputs.name).sort()).toEqual(
            ["BATCH_INFERENCE_TASK", "FEATURE_ENGINEERING_TASK", "FINALIZE_RUN_TASK", "TRAINING_TASK", "VALIDATION_GATE_TASK", ...(stack === "prd" ? [] : ["LOAD_SAMPLE_DATA_TASK"])].sort(),
        );
        for (const task of others) expect({ task: task.inputs.name, started: task.inputs.started }).toEqual({ task: task.inputs.name, started: true });
        for (const task of ofType(ev, T.task)) {
            expect(task.inputs).toMatchObject({
                userTaskTimeoutMs: Number(stackValue(stack, "taskTimeoutMinutes")) * 60_000,
                warehouse: stackValue(stack, "warehouseName"),
                queryTag: `mlplatform-${stack}-pipeline`,
            });
        }
    });

    test("all tasks share one schema and one owner, the ML role, which holds EXECUTE TASK", async () => {
        const ev = await evaluated(stack);
        const tasks = ofType(ev, T.task);
        expect(new Set(tasks.map((t) => `${t.inputs.database}.${t.inputs.schema}`))).toEqual(new Set([`${ml}.PIPELINES`]));
        expect(new Set(tasks.map((t) => providerRole(ev, t)))).toEqual(new Set([role]));
        const accountGrant = ofType(ev, T.grant).find((g) => g.inputs.accountRoleName === role && g.inputs.onAccount);
        expect(accountGrant?.inputs.privileges).toContain("EXECUTE TASK");
        // Every task runs on a warehouse: none is serverless, so no EXECUTE MANAGED TASK.
        for (const task of tasks) expect(task.inputs.warehouse).toBe(stackValue(stack, "warehouseName"));
        expect(accountGrant?.inputs.privileges).not.toContain("EXECUTE MANAGED TASK");
        // The role comes from the bootstrap (the provider logs in as it at the first preview),
        // so the provider waits for nothing the stack creates (test/freshAccount.test.ts).
        const pipelineProvider = ofType(ev, T.provider).find((p) => p.inputs.role === role)!;
        expect(pipelineProvider.dependencies).toEqual([]);
    });

    test(stack === "prd" ? "no synthetic data in production" : "synthetic customers from config, through an owner's-rights loader", async () => {
        const ev = await evaluated(stack);
        const loaders = ofType(ev, T.procedure).filter((p) => p.inputs.name === "LOAD_SAMPLE_CUSTOMERS");
        if (stack === "prd") {
            expect(loaders).toEqual([]);
            expect(ofType(ev, T.task).map((t) => t.inputs.name)).not.toContain("LOAD_SAMPLE_DATA_TASK");
            return;
        }
        expect(loaders).toHaveLength(1);
        expect(loaders[0].inputs).toMatchObject({ database: `${env}_RAW_DB`, schema: "PUBLIC", executeAs: "OWNER" });
        expect(providerRole(ev, loaders[0])).toBe(`PULUMI_${env}_DEPLOY_ROLE`);
        expect(named(ev, T.task, "LOAD_SAMPLE_DATA_TASK").inputs.sqlStatement).toBe(`CALL "${env}_RAW_DB"."PUBLIC"."LOAD_SAMPLE_CUSTOMERS"(${stackValue(stack, "sampleRows")}, 42)`);
    });

    if (stack !== "prd") {
        test("the sample loader takes no table argument: it writes its own environment's CUSTOMERS, and only this environment's ML role may call it", async () => {
            const ev = await evaluated(stack);
            const loader = named(ev, T.procedure, "LOAD_SAMPLE_CUSTOMERS");
            // Owner's rights, so the caller must not choose what it writes: two numbers, no name.
            expect(loader.inputs.arguments).toEqual([
                { argName: "ROW_COUNT", argDataType: "NUMBER" },
                { argName: "SEED", argDataType: "NUMBER" },
            ]);
            const definition: string = loader.inputs.procedureDefinition;
            expect(definition).toContain("def run_load_sample_customers(session, row_count, seed):");
            expect(definition).toContain(`    return load_sample_customers(session, row_count, seed, target_table="${env}_RAW_DB.PUBLIC.CUSTOMERS")`);
            // No other environment's raw database appears in its code.
            for (const other of STACKS.filter((s) => s !== stack)) expect(definition).not.toContain(`${other.toUpperCase()}_RAW_DB`);
            // The only privilege on it goes to this environment's ML role.
            const onLoader = ofType(ev, T.grant).filter((g) => g.inputs.onSchemaObject?.objectName?.includes("LOAD_SAMPLE_CUSTOMERS"));
            expect(onLoader.map((g) => [g.inputs.accountRoleName, g.inputs.privileges, g.inputs.onSchemaObject.objectName])).toEqual([
                [role, ["USAGE"], `"${env}_RAW_DB"."PUBLIC"."LOAD_SAMPLE_CUSTOMERS"(NUMBER, NUMBER)`],
            ]);
        });
    }
});

describe("ml code bundle", () => {
    test("imports are found at any indentation, including names imported from the package", () => {
        expect(importsOf("import json\nfrom churn_ml import steps, gate\n\ndef f():\n    from snowflake.ml.registry import Registry\n")).toEqual([
            "json",
            "churn_ml",
            "churn_ml.steps",
            "churn_ml.gate",
            "snowflake.ml.registry",
        ]);
    });

    test("an import no procedure package provides is refused with the file and the fix", () => {
        const module: PythonModule = { name: "churn_ml.x", file: "ml/src/churn_ml/x.py", source: "import requests\n" };
        expect(() => packagesFor([module])).toThrow("ml/src/churn_ml/x.py imports requests, which no procedure package provides");
    });
});
