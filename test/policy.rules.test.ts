/**
 * Each policy of the pack, without the Pulumi CLI: one compliant and at least one
 * non-compliant case, through policy/runner.ts.
 */
import { Policy, PolicyPackConfig } from "@pulumi/policy";
import { RecordedResource } from "../tools/evaluate";
import { runPolicies, Violation } from "../policy/runner";
import { POLICIES } from "../policy/policies";
import { TYPES } from "../policy/lib";
import { warehouseAutoSuspend } from "../policy/policies/warehouseAutoSuspend";
import { noGrantsToPrivilegedRoles } from "../policy/policies/noGrantsToPrivilegedRoles";
import { noOwnershipToPublic } from "../policy/policies/noOwnershipToPublic";
import { taskGraphSuspended } from "../policy/policies/taskGraphSuspended";
import { taskResilience } from "../policy/policies/taskResilience";
import { statefulResourcesProtected } from "../policy/policies/statefulResourcesProtected";
import { stackProtectedFromDestroy } from "../policy/policies/stackProtectedFromDestroy";
import { environmentTags } from "../policy/policies/environmentTags";
import { alertsOnSmallWarehouse } from "../policy/policies/alertsOnSmallWarehouse";
import { predictionRetention } from "../policy/policies/predictionRetention";
import { noAdministratorRoles } from "../policy/policies/noAdministratorRoles";
import { productionEnvironmentReviewers } from "../policy/policies/productionEnvironmentReviewers";
import { mainBranchProtection } from "../policy/policies/mainBranchProtection";

let n = 0;
function res(type: string, inputs: Record<string, any>, extra: Partial<RecordedResource> = {}): RecordedResource {
    const name = `r${++n}`;
    return { urn: `urn:pulumi:dev::snowflake-mlops::${type}::${name}`, type, name, custom: true, inputs, dependencies: [], protect: false, retainOnDelete: true, deleteBeforeReplace: false, ...extra };
}

async function check(policy: Policy, resources: RecordedResource[], config: PolicyPackConfig = {}): Promise<string[]> {
    const violations: Violation[] = await runPolicies([policy as any], resources, config);
    violations.forEach((v) => expect(v.policy).toBe(policy.name));
    return violations.map((v) => v.message);
}

const warehouse = (inputs: Record<string, any> = {}) => res(TYPES.warehouse, { name: "DEV_WH_XS", autoSuspend: 60, initiallySuspended: true, ...inputs });
const monitor = (inputs: Record<string, any> = {}) =>
    res(TYPES.resourceMonitor, { name: "DEV_ML_MONITOR", creditQuota: 20, frequency: "MONTHLY", notifyTriggers: [75, 90], suspendTrigger: 100, ...inputs });
const attach = (sql = 'ALTER WAREHOUSE "DEV_WH_XS" SET RESOURCE_MONITOR = "DEV_ML_MONITOR"') => res(TYPES.execute, { execute: sql, revert: "x" });

describe("the pack", () => {
    it("has at least ten policies, each with a unique name, a description and an enforcement level", () => {
        expect(POLICIES.length).toBeGreaterThanOrEqual(10);
        expect(new Set(POLICIES.map((p) => p.name)).size).toBe(POLICIES.length);
        for (const p of POLICIES) {
            expect(p.description.length).toBeGreaterThan(20);
            expect(["advisory", "mandatory"]).toContain(p.enforcementLevel);
        }
    });
});

describe(warehouseAutoSuspend.name, () => {
    it("accepts a suspended warehouse within the limit", async () => {
        expect(await check(warehouseAutoSuspend, [warehouse()], { [warehouseAutoSuspend.name]: { maxAutoSuspendSeconds: 120 } })).toEqual([]);
    });
    it("rejects a missing or too long auto-suspend and a warehouse created running", async () => {
        expect(await check(warehouseAutoSuspend, [warehouse({ autoSuspend: undefined })])).toEqual(["Warehouse DEV_WH_XS: autoSuspend is not set; allowed: 1-600 seconds."]);
        expect(await check(warehouseAutoSuspend, [warehouse({ autoSuspend: 300 })], { [warehouseAutoSuspend.name]: { maxAutoSuspendSeconds: 120 } })).toEqual([
            "Warehouse DEV_WH_XS: autoSuspend is 300; allowed: 1-120 seconds.",
        ]);
        expect(await check(warehouseAutoSuspend, [warehouse({ initiallySuspended: false })])).toEqual([
            "Warehouse DEV_WH_XS: initiallySuspended must be true so a new warehouse costs nothing until used.",
        ]);
    });
});

describe(noGrantsToPrivilegedRoles.name, () => {
    const grant = (role: string) => res(TYPES.grantPrivileges, { accountRoleName: role, privileges: ["USAGE"], onAccount: true });
    it("accepts grants to the environment's role", async () => {
        expect(await check(noGrantsToPrivilegedRoles, [grant("ML_DEV_ROLE"), res(TYPES.grantAccountRole, { roleName: "ML_DEV_ROLE", parentRoleName: "PULUMI_DEPLOY_ROLE" })])).toEqual([]);
    });
    it("rejects privileges to PUBLIC or ACCOUNTADMIN and role grants involving ORGADMIN", async () => {
        expect(await check(noGrantsToPrivilegedRoles, [grant("PUBLIC"), grant('"ACCOUNTADMIN"')])).toEqual([
            "Privileges granted to PUBLIC; allowed: any role except ACCOUNTADMIN, ORGADMIN, PUBLIC.",
            'Privileges granted to "ACCOUNTADMIN"; allowed: any role except ACCOUNTADMIN, ORGADMIN, PUBLIC.',
        ]);
        expect(await check(noGrantsToPrivilegedRoles, [res(TYPES.grantAccountRole, { roleName: "ML_DEV_ROLE", parentRoleName: "ORGADMIN" })])).toEqual([
            "Role grant with parentRoleName ORGADMIN; allowed: any role except ACCOUNTADMIN, ORGADMIN, PUBLIC.",
        ]);
        expect(await check(noGrantsToPrivilegedRoles, [res(TYPES.grantAccountRole, { roleName: "ACCOUNTADMIN", userName: "X" })])).toHaveLength(1);
    });
});

describe(noOwnershipToPublic.name, () => {
    it("accepts ownership to a role, rejects ownership to PUBLIC", async () => {
        expect(await check(noOwnershipToPublic, [res(TYPES.grantOwnership, { accountRoleName: "ML_DEV_ROLE" })])).toEqual([]);
        expect(await check(noOwnershipToPublic, [res(TYPES.grantOwnership, { accountRoleName: "public" })])).toEqual([
            "Ownership granted to PUBLIC; transfer it to the environment's role instead.",
        ]);
    });
});

const task = (inputs: Record<string, any> = {}) =>
    res(TYPES.task, {
        name: "ML_RETRAINING_PIPELINE",
        started: false,
        taskAutoRetryAttempts: 2,
        suspendTaskAfterNumFailures: 3,
        userTaskTimeoutMs: 3_600_000,
        allowOverlappingExecution: "false",
        ...inputs,
    });

describe(taskGraphSuspended.name, () => {
    const child = (inputs: Record<string, any> = {}) => task({ name: "TRAINING_TASK", started: true, afters: ['"DB"."PIPELINES"."FEATURE_ENGINEERING_TASK"'], ...inputs });
    const finalizer = (inputs: Record<string, any> = {}) => task({ name: "FINALIZE_RUN_TASK", started: true, finalize: '"DB"."PIPELINES"."ML_RETRAINING_PIPELINE"', ...inputs });
    it("accepts a suspended root with started children and finalizer, and a started root where allowed", async () => {
        expect(await check(taskGraphSuspended, [task(), child(), finalizer()])).toEqual([]);
        expect(await check(taskGraphSuspended, [task({ started: true }), child(), finalizer()], { [taskGraphSuspended.name]: { allowStarted: true } })).toEqual([]);
    });
    it("rejects a started root where it is not allowed", async () => {
        expect(await check(taskGraphSuspended, [task({ started: true }), child()], { [taskGraphSuspended.name]: { allowStarted: false } })).toEqual([
            "Task ML_RETRAINING_PIPELINE is started in a stack where task graphs must stay suspended (started: false on the root).",
        ]);
    });
    it("rejects a suspended child or finalizer, in every stack", async () => {
        for (const allowStarted of [false, true]) {
            expect(await check(taskGraphSuspended, [task({ started: allowStarted }), child({ started: false }), finalizer({ started: undefined })], { [taskGraphSuspended.name]: { allowStarted } })).toEqual([
                "Child task TRAINING_TASK is not started; EXECUTE TASK on the root would skip it. Set started: true (only the root follows the schedule).",
                "Finalizer FINALIZE_RUN_TASK is not started; EXECUTE TASK on the root would skip it. Set started: true (only the root follows the schedule).",
            ]);
        }
    });
});

describe(taskResilience.name, () => {
    const child = (inputs: Record<string, any> = {}) => res(TYPES.task, { name: "TRAINING_TASK", started: false, afters: ['"DB"."PIPELINES"."FEATURE_ENGINEERING_TASK"'], userTaskTimeoutMs: 3_600_000, ...inputs });
    it("accepts a resilient root and a child with a timeout", async () => {
        expect(await check(taskResilience, [task(), child(), child({ name: "FINALIZE_RUN_TASK", afters: undefined, finalize: '"DB"."PIPELINES"."ML_RETRAINING_PIPELINE"' })])).toEqual([]);
    });
    it("rejects a root without retries, suspension or overlap protection, and tasks without timeout", async () => {
        expect(await check(taskResilience, [task({ taskAutoRetryAttempts: 0, suspendTaskAfterNumFailures: undefined, allowOverlappingExecution: "true", userTaskTimeoutMs: undefined })])).toEqual([
            "Task ML_RETRAINING_PIPELINE: userTaskTimeoutMs is not set; allowed: 1-86400000.",
            "Root task ML_RETRAINING_PIPELINE: taskAutoRetryAttempts is 0; allowed: at least 1.",
            "Root task ML_RETRAINING_PIPELINE: suspendTaskAfterNumFailures is not set; allowed: at least 1.",
            'Root task ML_RETRAINING_PIPELINE: allowOverlappingExecution must be "false" so runs of the graph never overlap.',
        ]);
        expect(await check(taskResilience, [child({ userTaskTimeoutMs: 0, allowOverlappingExecution: "true" })])).toEqual([
            "Task TRAINING_TASK: userTaskTimeoutMs is 0; allowed: 1-86400000.",
            'Task TRAINING_TASK: allowOverlappingExecution "true"; runs of the graph must never overlap.',
        ]);
    });
});

describe(statefulResourcesProtected.name, () => {
    const db = (extra: Partial<RecordedResource>) => res(TYPES.database, { name: "PRD_ML_DB" }, extra);
    const table = (extra: Partial<RecordedResource>) => res(TYPES.table, { name: "PREDICTIONS" }, extra);
    const prd = { [statefulResourcesProtected.name]: { requireProtect: true } };
    it("accepts retained data everywhere and protected data where required", async () => {
        expect(await check(statefulResourcesProtected, [db({}), table({})])).toEqual([]);
        expect(await check(statefulResourcesProtected, [db({ protect: true }), table({ protect: true })], prd)).toEqual([]);
    });
    it("rejects unprotected data in prd and data that is not retained on delete", async () => {
        expect(await check(statefulResourcesProtected, [db({}), table({ protect: true })], prd)).toEqual(["Database PRD_ML_DB is not protected; set the resource option protect in this stack."]);
        expect(await check(statefulResourcesProtected, [table({ retainOnDelete: false })])).toEqual(["Table PREDICTIONS is not retainOnDelete; a replace or destroy would drop its data."]);
    });
});

describe(stackProtectedFromDestroy.name, () => {
    const prd = { [stackProtectedFromDestroy.name]: { required: true } };
    const procedure = (extra: Partial<RecordedResource>) => res("snowflake:index/procedurePython:ProcedurePython", { name: "TRAIN_AND_REGISTER_MODEL" }, extra);
    it("accepts protected resources and unprotected procedures where required, anything elsewhere", async () => {
        expect(await check(stackProtectedFromDestroy, [warehouse({}), procedure({})])).toEqual([]);
        expect(await check(stackProtectedFromDestroy, [{ ...warehouse(), protect: true }, res("pulumi:providers:snowflake", { role: "R" }, { protect: true }), procedure({})], prd)).toEqual([]);
    });
    it("rejects any other unprotected resource where required, providers included", async () => {
        const w = warehouse();
        const p = res("pulumi:providers:snowflake", { role: "R" });
        expect(await check(stackProtectedFromDestroy, [w, p, procedure({ protect: true })], prd)).toEqual([
            `${TYPES.warehouse} ${w.name} is not protected; in this stack every resource must be (set protectAllResources), so pulumi destroy deletes nothing.`,
            `pulumi:providers:snowflake ${p.name} is not protected; in this stack every resource must be (set protectAllResources), so pulumi destroy deletes nothing.`,
        ]);
    });
});

describe(environmentTags.name, () => {
    const assoc = (tag: string, value: string, objectType: string, ids: string[]) =>
        res(TYPES.tagAssociation, { tagId: `"DEV_ML_DB"."PIPELINES"."${tag}"`, tagValue: value, objectType, objectIdentifiers: ids });
    const allTags = (objectType: string, id: string, env = "DEV") => [assoc("ENVIRONMENT", env, objectType, [id]), assoc("COST_CENTER", "ML", objectType, [id]), assoc("OWNER", "ml", objectType, [id])];
    const config = { [environmentTags.name]: { environment: "DEV" } };
    it("accepts databases and warehouses with all three tags", async () => {
        expect(await check(environmentTags, [warehouse(), res(TYPES.database, { name: "DEV_ML_DB" }), ...allTags("WAREHOUSE", '"DEV_WH_XS"'), ...allTags("DATABASE", '"DEV_ML_DB"')], config)).toEqual([]);
    });
    it("rejects a missing tag and another environment's value", async () => {
        expect(await check(environmentTags, [warehouse(), res(TYPES.database, { name: "DEV_ML_DB" }), ...allTags("WAREHOUSE", '"DEV_WH_XS"', "PRD")], config)).toEqual([
            "WAREHOUSE DEV_WH_XS has ENVIRONMENT PRD; required: DEV.",
            "DATABASE DEV_ML_DB lacks tag(s) ENVIRONMENT, COST_CENTER, OWNER.",
        ]);
    });
});

describe(alertsOnSmallWarehouse.name, () => {
    const alert = (warehouseName: string) => res(TYPES.alert, { name: "ML_PIPELINE_FAILED_ALERT", warehouse: warehouseName });
    const alertsWarehouse = warehouse({ name: "PRD_WH_ALERTS", warehouseSize: "XSMALL", autoSuspend: 60 });
    const main = warehouse({ name: "PRD_WH_L", warehouseSize: "LARGE", autoSuspend: 300 });
    const graphTask = task({ warehouse: "PRD_WH_L" });
    it("accepts alerts on their own XSMALL warehouse that suspends after 60 s", async () => {
        expect(await check(alertsOnSmallWarehouse, [main, alertsWarehouse, graphTask, alert("PRD_WH_ALERTS")])).toEqual([]);
    });
    it("rejects alerts on the environment's LARGE warehouse, and on an undeclared one", async () => {
        expect(await check(alertsOnSmallWarehouse, [main, alertsWarehouse, graphTask, alert('"PRD_WH_L"'), alert("ELSEWHERE")])).toEqual([
            "Alert ML_PIPELINE_FAILED_ALERT runs on warehouse PRD_WH_L of size LARGE; allowed: XSMALL.",
            "Alert ML_PIPELINE_FAILED_ALERT runs on warehouse PRD_WH_L, which auto-suspends after 300 s; allowed: at most 60 s.",
            "Alert ML_PIPELINE_FAILED_ALERT runs on warehouse PRD_WH_L, which the task graph also uses; give the alerts a warehouse of their own.",
            "Alert ML_PIPELINE_FAILED_ALERT runs on warehouse ELSEWHERE, which this stack does not declare; declare a warehouse for the alerts.",
        ]);
    });
});

describe(predictionRetention.name, () => {
    const predictions = (days?: number) => res(TYPES.table, { name: "PREDICTIONS", dataRetentionTimeInDays: days });
    const config = { [predictionRetention.name]: { minRetentionDays: 7 } };
    it("accepts the stack's minimum and ignores other tables", async () => {
        expect(await check(predictionRetention, [predictions(7), res(TYPES.table, { name: "CUSTOMERS" })], config)).toEqual([]);
    });
    it("rejects a shorter or missing retention", async () => {
        expect(await check(predictionRetention, [predictions(3), predictions(undefined)], config)).toEqual([
            "Table PREDICTIONS: dataRetentionTimeInDays is 3; required: at least 7.",
            "Table PREDICTIONS: dataRetentionTimeInDays is not set; required: at least 7.",
        ]);
    });
});

describe(noAdministratorRoles.name, () => {
    const deploy = res("pulumi:providers:snowflake", { role: "PULUMI_DEV_DEPLOY_ROLE" });
    it("accepts providers acting as the environment's own roles", async () => {
        expect(await check(noAdministratorRoles, [deploy, res("pulumi:providers:snowflake", { role: "ML_DEV_ROLE" }), { ...warehouse(), provider: deploy.urn }])).toEqual([]);
    });
    it("rejects a provider acting as an administrator role, and monitors or their assignment in the stack", async () => {
        const admins = ["ACCOUNTADMIN", '"SECURITYADMIN"', "sysadmin"].map((role) => res("pulumi:providers:snowflake", { role }));
        expect(await check(noAdministratorRoles, admins)).toEqual([
            `Snowflake provider ${admins[0].name} acts as ACCOUNTADMIN; allowed: the environment's own roles from the bootstrap.`,
            `Snowflake provider ${admins[1].name} acts as "SECURITYADMIN"; allowed: the environment's own roles from the bootstrap.`,
            `Snowflake provider ${admins[2].name} acts as sysadmin; allowed: the environment's own roles from the bootstrap.`,
        ]);
        const m = monitor();
        const a = attach();
        expect(await check(noAdministratorRoles, [deploy, { ...m, provider: deploy.urn }, { ...a, provider: deploy.urn }])).toEqual([
            `${TYPES.resourceMonitor} ${m.name}: resource monitors are created by the bootstrap (only ACCOUNTADMIN can), not by the stack.`,
            `${TYPES.execute} ${a.name} assigns a resource monitor; only ACCOUNTADMIN can, so the bootstrap does.`,
        ]);
    });
});

describe(productionEnvironmentReviewers.name, () => {
    const env = (inputs: Record<string, any>) =>
        res(TYPES.repositoryEnvironment, { environment: "production", reviewers: [{ users: [1, 2], teams: [] }], preventSelfReview: true, canAdminsBypass: false, ...inputs });
    it("accepts two users or a team, and ignores other environments", async () => {
        expect(await check(productionEnvironmentReviewers, [env({}), env({ reviewers: [{ users: [], teams: [9] }] }), env({ environment: "dev", reviewers: [], canAdminsBypass: true })])).toEqual([]);
    });
    it("rejects one reviewer, admin bypass (also by default) and self-review", async () => {
        expect(await check(productionEnvironmentReviewers, [env({ reviewers: [{ users: [1] }], canAdminsBypass: undefined, preventSelfReview: false })])).toEqual([
            "Environment production: 1 reviewer user(s) and 0 team(s); required: at least 2 users or one team.",
            "Environment production: canAdminsBypass must be false.",
            "Environment production: preventSelfReview must be true.",
        ]);
    });
});

describe(mainBranchProtection.name, () => {
    const protection = (inputs: Record<string, any>) =>
        res(TYPES.branchProtection, { pattern: "main", enforceAdmins: true, allowsForcePushes: false, allowsDeletions: false, requiredPullRequestReviews: [{ requiredApprovingReviewCount: 2 }], ...inputs });
    it("accepts two approvals without force push or deletion, and ignores other branches", async () => {
        expect(await check(mainBranchProtection, [protection({}), protection({ pattern: "development", requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1 }] })])).toEqual([]);
    });
    it("rejects one approval, force pushes, deletion and admins exempted", async () => {
        expect(await check(mainBranchProtection, [protection({ requiredPullRequestReviews: [{ requiredApprovingReviewCount: 1 }], allowsForcePushes: true, allowsDeletions: true, enforceAdmins: false })])).toEqual([
            "Branch main: 1 required approvals; required: at least 2.",
            "Branch main: force pushes must not be allowed.",
            "Branch main: deletion must not be allowed.",
            "Branch main: enforceAdmins must be true (admins follow the same rules).",
        ]);
        expect(await check(mainBranchProtection, [protection({ requiredPullRequestReviews: undefined })])).toEqual(["Branch main: no required approvals; required: at least 2."]);
    });
});
