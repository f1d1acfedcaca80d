/**
 * The original system's objects (tools/adopt/originalSystem.ts, from the inventory) held
 * against each stack's resources: exactly the differences docs/adopt-existing.md promises
 * (adopted, added, changed with the property, left behind), and no replacement of anything
 * that holds data after the import. The GitHub objects of every environment are held against
 * the administrator's project admin/github (stack `github`), the rest against the environment
 * stacks.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../tools/plan/cli";
import { adoptionReport, AdoptionReport, githubAdoptionReport } from "../tools/adopt/compare";
import { GUIDE, REGENERATE, withGuideTables } from "../tools/adopt/guideTables";
import { STATEFUL_FORCE_NEW, STATEFUL_TYPES } from "../tools/adopt/forceNew";
import { Env, isGithubObject, originalObjects } from "../tools/adopt/originalSystem";
import { previewProblems } from "../tools/adopt/previewCheck";
import { replacementsAfterImport } from "../tools/adopt/safety";
import { renderRebuildSql } from "../tools/adopt/render";
import { evaluated, stackValue, STACKS, T } from "./support/stacks";
import { evaluatedAdmin } from "./support/adminGithub";
import { ENVIRONMENT_SECRETS } from "../stacks/githubGovernance";

const REPOSITORY = stackValue("prd", "githubRepository");
const reports = new Map<string, Promise<AdoptionReport>>();
/** An environment stack's report, or admin/github's for "github". */
function report(stack: string): Promise<AdoptionReport> {
    if (!reports.has(stack)) {
        reports.set(stack, stack === "github" ? evaluatedAdmin().then((ev) => githubAdoptionReport(ev, REPOSITORY)) : evaluated(stack).then((ev) => adoptionReport(ev, stackValue(stack, "githubRepository"))));
    }
    return reports.get(stack)!;
}
const envOfStack = (stack: string) => stack.toUpperCase() as Env;

const adoptedNamed = (r: AdoptionReport, label: string) => {
    const found = r.adopted.find((a) => a.original.label === label);
    if (!found) throw new Error(`${r.stack}: ${label} is not adopted`);
    return found;
};
const changesOf = (r: AdoptionReport, label: string) => Object.fromEntries(adoptedNamed(r, label).changes.map((c) => [c.property, `${c.from} -> ${c.to}`]));
const leftLabels = (r: AdoptionReport) => r.leftBehind.map((l) => l.label);

test("the guide's tables are what the tool reports for every stack", async () => {
    // One stack at a time: an evaluation replaces the SDK's global mocks and config.
    const all: AdoptionReport[] = [];
    for (const stack of ["github", ...STACKS]) all.push(await report(stack));
    const text = fs.readFileSync(path.join(__dirname, "..", GUIDE), "utf8");
    const expected = withGuideTables(text, all);
    if (text !== expected) throw new Error(`${GUIDE} is out of date with the program: run ${REGENERATE}`);
});

test("every original object is held against exactly one program: GitHub objects against admin/github, the others against their environment's stack", async () => {
    const github = await report("github");
    const placed = (r: AdoptionReport) => [...r.adopted.map((a) => a.original), ...r.leftBehind].map((o) => `${o.type} ${o.id} ${o.label}`);
    for (const stack of STACKS) {
        const r = await report(stack);
        for (const o of originalObjects(envOfStack(stack), REPOSITORY)) {
            const key = `${o.type} ${o.id} ${o.label}`;
            const where = [placed(r).includes(key) ? stack : undefined, placed(github).includes(key) ? "github" : undefined].filter(Boolean);
            expect([key, where]).toEqual([key, [isGithubObject(o) ? "github" : stack]]);
        }
        // The environment stacks register no GitHub resource: nothing of theirs is on GitHub.
        expect([...r.adopted.map((a) => a.resource), ...r.added].filter((x) => x.type.startsWith("github:"))).toEqual([]);
    }
});

describe.each(["github", ...STACKS])("adoption by %s", (stack) => {
    const originalsOf = (r: AdoptionReport) =>
        stack === "github" ? STACKS.flatMap((s) => originalObjects(envOfStack(s), REPOSITORY).filter(isGithubObject)) : originalObjects(r.env!, REPOSITORY).filter((o) => !isGithubObject(o));
    const evaluation = () => (stack === "github" ? evaluatedAdmin() : evaluated(stack));

    test("every original object is adopted or left behind, once; every resource is adopted or added, once", async () => {
        const r = await report(stack);
        const ev = await evaluation();
        const originals = originalsOf(r);
        const accounted = [...r.adopted.map((a) => a.original), ...originals.filter((o) => r.leftBehind.some((l) => l.id === o.id && l.type === o.type && l.label === o.label))];
        expect(new Set(accounted).size).toBe(accounted.length);
        expect(accounted.length).toBe(originals.length);
        const managed = ev.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:")).map((x) => x.urn);
        const sorted = [...r.adopted.map((a) => a.resource.urn), ...r.added.map((x) => x.urn)].sort();
        expect(sorted).toEqual([...managed].sort());
    });

    test("every left-behind object says how it goes or why it stays", async () => {
        const r = await report(stack);
        for (const l of r.leftBehind) if (!l.cleanup && !l.keep) throw new Error(`${stack}: ${l.label} is left behind silently`);
    });

    test("after the import, the preview replaces nothing that holds data (matching values)", async () => {
        expect(replacementsAfterImport(await report(stack))).toEqual([]);
    });
});

describe.each(STACKS)("adoption of the original %s environment", (stack) => {
    test("objects every original environment holds are adopted; their changes are the ones the guide names", async () => {
        const r = await report(stack);
        const env = r.env;
        for (const label of [`${env}_RAW_DB`, `${env}_ML_DB`, `${env}_RAW_DB.PUBLIC`, `${env}_ML_DB.PIPELINES`, `${env}_ML_DB.FEATURES`, `${env}_ML_DB.OUTPUT`, `${env}_ML_DB.PIPELINES.ML_CODE_STAGE`, `${env}_ML_DB.PIPELINES.MODELS_STAGE`]) {
            expect(adoptedNamed(r, label).importId).toBeDefined();
        }
        // The ML role is adopted where the stack declares it; if the bootstrap creates it instead,
        // it is reported with the reason never to drop it.
        const ev = await evaluated(stack);
        if (ev.resources.some((x) => x.type === T.role && x.inputs.name === `ML_${env}_ROLE`)) expect(adoptedNamed(r, `ML_${env}_ROLE`).importId).toBe(`"ML_${env}_ROLE"`);
        else expect(r.leftBehind.find((l) => l.label === `ML_${env}_ROLE`)?.keep).toContain("never drop it");
        const customers = changesOf(r, `${env}_RAW_DB.PUBLIC.CUSTOMERS`);
        for (const c of ["CREDIT_SCORE", "GEOGRAPHY", "GENDER", "ESTIMATED_SALARY"]) expect(customers[`columns.${c}`]).toMatch(/^\(absent\) -> added .* NULL$/);
        expect(customers.changeTracking).toBe("false -> true");
        expect(customers["columns.LAST_UPDATED.default"]).toBe("CURRENT_TIMESTAMP() -> (dropped)");
        const predictions = changesOf(r, `${env}_ML_DB.OUTPUT.PREDICTIONS`);
        expect(predictions["columns.RUN_ID"]).toBe("(absent) -> added VARCHAR(100) NOT NULL");
        expect(predictions["columns.MODEL_VERSION.type"]).toBe("VARCHAR(50) -> VARCHAR(100)");
        expect(predictions["columns.CONFIDENCE_SCORE.nullable"]).toBe("NULL -> NOT NULL");
        // The original sets no retention in dev and sit (inventory §5.2); the stack sets its own.
        const retention = stackValue(stack, "predictionRetentionDays");
        if (env === "DEV" || env === "SIT") expect(predictions.dataRetentionTimeInDays).toBe(`(unset) -> ${retention}`);
        else if (Number(retention) === (env === "UAT" ? 3 : 7)) expect(predictions.dataRetentionTimeInDays).toBeUndefined();
        // The root task is adopted and reprogrammed; its old children are left behind with their DROP.
        const root = changesOf(r, `${env}_ML_DB.PIPELINES.ML_RETRAINING_PIPELINE`);
        expect(root.schedule).toMatch(/^\{"minutes":1440\} -> /);
        expect(root.sqlStatement).toContain("START_PIPELINE_RUN");
        expect(root.started === undefined).toBe(stackValue(stack, "pipelineStarted") === "true");
        for (const child of ["TASK_FEATURE_ENG", "TASK_TRAINING", "TASK_INFERENCE"]) {
            const left = r.leftBehind.find((l) => l.label === `${env}_ML_DB.PIPELINES.ML_RETRAINING_PIPELINE$${child}`);
            expect(left?.cleanup).toContain(`DROP TASK IF EXISTS ${env}_ML_DB.PIPELINES."ML_RETRAINING_PIPELINE$${child}"`);
        }
        expect(leftLabels(r)).toEqual(expect.arrayContaining([`ML_${env}_ROLE granted to ML_CICD_ROLE`, `Feature view CUSTOMER_FEATURES v1 (${env}_ML_DB.FEATURES."CUSTOMER_FEATURES$V1")`]));
        expect(leftLabels(r).some((l) => l.startsWith("workflow snowflake_ml_deploy.yml"))).toBe(true);
        // Shared objects go with the last environment only.
        expect(leftLabels(r).includes("ML_CICD_ROLE (shared by all environments)")).toBe(env === "PRD");
    });

    test("no adopted table loses a column", async () => {
        const r = await report(stack);
        for (const a of r.adopted) for (const c of a.changes) expect(c.to).not.toContain("DROPPED");
    });

    test("after the import, the preview replaces no database, schema, table or stage (matching values)", async () => {
        const r = await report(stack);
        expect(replacementsAfterImport(r)).toEqual([]);
        expect(r.adopted.filter((a) => (STATEFUL_TYPES as readonly string[]).includes(a.resource.type)).length).toBeGreaterThanOrEqual(10);
        // Every stateful type the stack declares has its force-new inputs on record.
        const ev = await evaluated(stack);
        const stateful = ev.resources.filter((x) => (STATEFUL_TYPES as readonly string[]).includes(x.type));
        for (const x of stateful) expect(STATEFUL_FORCE_NEW[x.type]?.length).toBeGreaterThan(0);
        // And nothing is lost even to a replacement nobody foresaw: retained on delete, protected in prd.
        const protect = stackValue(stack, "protectStatefulResources") === "true";
        for (const x of stateful) {
            expect(x.retainOnDelete).toBe(true);
            expect(x.protect).toBe(protect);
        }
    });
});

describe("differences specific to one environment", () => {
    test("dev: the role's ALL on the ML database narrows to USAGE; the rest is revoked and the declared part granted again", async () => {
        const r = await report("dev");
        const grant = r.adopted.find((a) => a.original.label === "ML_DEV_ROLE: ALL on database DEV_ML_DB")!;
        expect(grant.changes).toEqual([{ property: "privileges", from: "ALL", to: "USAGE" }]);
        expect(grant.importId).toBe('"ML_DEV_ROLE"|false|false|USAGE|OnAccountObject|DATABASE|"DEV_ML_DB"');
        const left = r.leftBehind.find((l) => l.label === "ML_DEV_ROLE: ALL beyond USAGE on DATABASE DEV_ML_DB");
        expect(left?.cleanup).toBe("REVOKE ALL PRIVILEGES ON DATABASE DEV_ML_DB FROM ROLE ML_DEV_ROLE; GRANT USAGE ON DATABASE DEV_ML_DB TO ROLE ML_DEV_ROLE;");
        expect(r.adopted.some((a) => a.original.label === "ML_DEV_ROLE: USAGE, OPERATE, MONITOR on warehouse DEV_WH_XS" && a.changes.length === 0)).toBe(true);
    });

    test("uat: UAT_VALIDATION_METRICS and UAT_TEST_SUMMARY are left behind; RECENT_PREDICTIONS is adopted", async () => {
        const r = await report("uat");
        expect(leftLabels(r)).toEqual(expect.arrayContaining(["UAT_ML_DB.OUTPUT.UAT_VALIDATION_METRICS", "UAT_ML_DB.OUTPUT.UAT_TEST_SUMMARY"]));
        expect(r.leftBehind.find((l) => l.label === "UAT_ML_DB.OUTPUT.UAT_VALIDATION_METRICS")?.keep).toContain("empty");
        expect(changesOf(r, "UAT_ML_DB.OUTPUT.RECENT_PREDICTIONS").statement).toContain("last 3 days");
    });

    test("prd: PREDICTIONS_HISTORY and ML_CICD_ROLE are left behind; the narrower production grants are adopted with what they add and drop", async () => {
        const r = await report("prd");
        expect(leftLabels(r)).toEqual(expect.arrayContaining(["PRD_ML_DB.OUTPUT.PREDICTIONS_HISTORY", "ML_CICD_ROLE (shared by all environments)"]));
        expect(adoptedNamed(r, "ML_PRD_ROLE: USAGE on database PRD_ML_DB").changes).toEqual([]);
        const output = adoptedNamed(r, "ML_PRD_ROLE: USAGE, CREATE TABLE on schema PRD_ML_DB.OUTPUT");
        expect(output.changes[0].property).toBe("privileges");
        expect(r.leftBehind.find((l) => l.label === "ML_PRD_ROLE: CREATE TABLE on SCHEMA PRD_ML_DB.OUTPUT")?.cleanup).toBe("REVOKE CREATE TABLE ON SCHEMA PRD_ML_DB.OUTPUT FROM ROLE ML_PRD_ROLE;");
        expect(adoptedNamed(r, "PRD_ML_DB.OUTPUT.PREDICTION_STATS").importId).toBe('"PRD_ML_DB"."OUTPUT"."PREDICTION_STATS"');
    });
});

describe("the GitHub settings of the original, adopted by admin/github", () => {
    test("the hand-made production environment is imported and reconfigured: the program's reviewers, no admin bypass, no self-review", async () => {
        const r = await report("github");
        const production = adoptedNamed(r, "GitHub environment production");
        expect(production.resource.name).toBe("prd-deploy-environment");
        expect(production.importId).toBe("snowflake-mlops:production");
        expect(changesOf(r, "GitHub environment production")).toEqual({
            reviewers: "2 recommended (ML Lead, DevOps Engineer, Product Owner) -> 2 user(s), 1 team(s) of productionReviewer* (replace the hand-set ones)",
            canAdminsBypass: "true -> false",
            preventSelfReview: "false -> true",
        });
        // Its main policy is adopted too (imported with --github-policy-id, see the import-file test).
        expect(adoptedNamed(r, "deployment branch policy main of production").resource.name).toBe("prd-deploy-branch-policy");
    });

    test("the development and main branch protections set up by hand are recreated, not imported (an import would force a replacement)", async () => {
        const r = await report("github");
        for (const [label, name, changed] of [
            ["branch protection development", "sit-deploy-branch-protection", "requiredStatusChecks"],
            ["branch protection main", "prd-deploy-branch-protection", "requiredStatusChecks"],
        ]) {
            const protection = adoptedNamed(r, label);
            expect(protection.resource.name).toBe(name);
            expect(protection.importId).toBeUndefined();
            expect(protection.note).toContain("delete the hand-made rule right before the admin/github pulumi up");
            expect(protection.original.certainty).toBe("manual");
            expect(protection.changes.map((c) => c.property)).toContain(changed);
        }
    });

    test("the hand-made release/** rule differs from the program's release/**/* and is deleted first: as the older rule it would take priority", async () => {
        const r = await report("github");
        const declared = r.added.filter((x) => x.type === "github:index/branchProtection:BranchProtection").map((x) => x.inputs.pattern);
        expect(declared).toEqual(["release/**/*"]);
        const left = r.leftBehind.find((l) => l.label === "branch protection release/**");
        expect(left?.cleanup).toContain("right before the admin/github pulumi up: an older rule matching the same branches takes priority");
    });

    test("left behind on GitHub: the non-production environment, the old role secrets; the production key is overwritten at the prd switch, not deleted", async () => {
        const r = await report("github");
        expect(leftLabels(r)).toEqual(
            expect.arrayContaining(["GitHub environment non-production", "production secret SNOWFLAKE_PRD_ROLE", ...STACKS.map((s) => `repository secret SNOWFLAKE_${s.toUpperCase()}_ROLE`)]),
        );
        expect(r.leftBehind.find((l) => l.label === "repository secret SNOWFLAKE_DEV_ROLE")?.cleanup).toContain("after the dev switch");
        const key = r.leftBehind.find((l) => l.label === "production secret SNOWFLAKE_PRIVATE_KEY")!;
        expect(ENVIRONMENT_SECRETS).toContain("SNOWFLAKE_PRIVATE_KEY");
        expect(key.cleanup).toBeUndefined();
        expect(key.keep).toContain("at the prd switch, not before");
        expect(key.keep).toContain("PULUMI_PRD_DEPLOY_USER");
    });

    test("a production environment declared under another name would be replaced, which deletes its secrets", async () => {
        const r = structuredClone(await report("github"));
        const production = r.adopted.find((a) => a.original.label === "GitHub environment production")!;
        production.resource.inputs.environment = "prd";
        expect(replacementsAfterImport(r).map((x) => `${x.label} ${x.input} ${x.source}`)).toEqual([
            "GitHub environment production environment github/resource_github_repository_environment.go:43 (github v6.13.0)",
        ]);
    });
});

test("a table the up would leave in another column order is rebuilt in the declared order, its rows copied by name", async () => {
    const r = await report("prd");
    const customers = adoptedNamed(r, "PRD_RAW_DB.PUBLIC.CUSTOMERS");
    const sql = renderRebuildSql(r);
    const reordered = customers.changes.some((c) => c.property === "columns (order)");
    expect(sql.includes("CUSTOMERS_BEFORE_ADOPTION")).toBe(reordered);
    if (!reordered) return;
    const declared = (customers.resource.inputs.columns as { name: string }[]).map((c) => c.name);
    const created = /CREATE TABLE <ENV>_RAW_DB\.PUBLIC\.CUSTOMERS \(\n([\s\S]*?)\n\)/.exec(sql)![1].split(",\n").map((l) => l.trim().split(" ")[0]);
    expect(created).toEqual(declared);
    const copied = /INSERT INTO <ENV>_RAW_DB\.PUBLIC\.CUSTOMERS \(([^)]*)\)/.exec(sql)![1].split(", ");
    expect(copied).toEqual(declared.filter((c) => !["CREDIT_SCORE", "GEOGRAPHY", "GENDER", "ESTIMATED_SALARY"].includes(c)));
    expect(sql).toContain("ALTER TABLE <ENV>_RAW_DB.PUBLIC.CUSTOMERS RENAME TO <ENV>_RAW_DB.PUBLIC.CUSTOMERS_BEFORE_ADOPTION;");
    expect(sql).toContain("CHANGE_TRACKING = TRUE");
});

describe("the safety check can fail", () => {
    test("a stage the old workflow created without a directory table would be replaced", async () => {
        const r = structuredClone(await report("dev"));
        const stage = r.adopted.find((a) => a.original.label === "DEV_ML_DB.PIPELINES.ML_CODE_STAGE")!;
        delete stage.original.properties.directory;
        expect(replacementsAfterImport(r)).toEqual([
            { resource: stage.resource.name, label: "DEV_ML_DB.PIPELINES.ML_CODE_STAGE", input: "directory", original: "", declared: "ENABLE = true", source: "pkg/resources/stage.go:81" },
        ]);
    });

    test("a table declared in another schema would be replaced", async () => {
        const r = structuredClone(await report("prd"));
        const table = r.adopted.find((a) => a.original.label === "PRD_ML_DB.OUTPUT.PREDICTIONS")!;
        table.resource.inputs.schema = "PIPELINES";
        expect(replacementsAfterImport(r).map((x) => `${x.label} ${x.input}`)).toEqual(["PRD_ML_DB.OUTPUT.PREDICTIONS schema"]);
    });
});

describe("the preview gate (pulumi preview --json)", () => {
    const urn = (type: string, name: string) => `urn:pulumi:prd::snowflake-mlops::mlplatform:snowflake:X$${type}::${name}`;
    const cols = (...names: string[]) => names.map((name) => ({ name, type: "VARCHAR(10)" }));

    test("passes updates and creates, fails replacements and deletions of what holds data and dropped columns", () => {
        expect(
            previewProblems({
                steps: [
                    { op: "update", urn: urn(T.table, "t"), oldState: { inputs: { columns: cols("A") } }, newState: { inputs: { columns: cols("A", "B") } } },
                    { op: "create", urn: urn(T.task, "task") },
                    { op: "replace", urn: urn(T.task, "task2") },
                ],
            }),
        ).toEqual([]);
        expect(
            previewProblems({
                steps: [
                    { op: "replace", urn: urn(T.stage, "s"), replaceReasons: ["directory"] },
                    { op: "delete", urn: urn(T.database, "d") },
                    { op: "update", urn: urn(T.table, "t"), oldState: { outputs: { columns: cols("A", "B") } }, newState: { inputs: { columns: cols("A") } } },
                    { op: "replace", urn: "urn:pulumi:github::snowflake-mlops-github::mlplatform:github:DeploymentEnvironment$github:index/repositoryEnvironment:RepositoryEnvironment::prd-deploy-environment", replaceReasons: ["environment"] },
                ],
            }),
        ).toEqual([
            "replace of snowflake:index/stage:Stage s (because of directory): it would drop what the object holds",
            "delete of snowflake:index/database:Database d: it would drop what the object holds",
            "update of table t drops column(s) B and their data",
            "replace of github:index/repositoryEnvironment:RepositoryEnvironment prd-deploy-environment (because of environment): it would drop what the object holds",
        ]);
        expect(() => previewProblems([])).toThrow("not the output of pulumi preview --json");
    });

    test("npm run plan -- --import <stack> --check-preview refuses a losing preview and accepts a clean one", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-"));
        const bad = path.join(dir, "bad.json");
        const good = path.join(dir, "good.json");
        fs.writeFileSync(bad, JSON.stringify({ steps: [{ op: "create-replacement", urn: urn(T.table, "p") }] }));
        fs.writeFileSync(good, JSON.stringify({ steps: [{ op: "same", urn: urn(T.table, "p") }] }));
        await expect(main(["--import", "prd", "--check-preview", bad])).rejects.toThrow("Do not run pulumi up on prd: the preview would lose data:\n  - create-replacement of snowflake:index/table:Table p");
        await expect(main(["--import", "prd", "--check-preview", good])).resolves.toBe("prd: the preview replaces, deletes and drops nothing that holds data.");
        await expect(main(["--import", "prd", "--check-preview", path.join(dir, "missing.json")])).rejects.toThrow(/--check-preview .*missing\.json: ENOENT/);
    });
});
