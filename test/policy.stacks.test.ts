/**
 * The whole pack over the resources of the four real stacks (evaluated from their stack
 * files under mocks, once each), and a deliberately bad dev stack.
 */
import { Evaluation, RecordedResource } from "../tools/evaluate";
import { formatViolations, mandatory, policyConfigFor, runPolicies } from "../policy/runner";
import { POLICIES } from "../policy/policies";
import { TYPES } from "../policy/lib";
import { evaluated, STACKS } from "./support/stacks";

const evaluations = new Map<string, Evaluation>();
beforeAll(async () => {
    for (const stack of STACKS) evaluations.set(stack, await evaluated(stack));
});

describe.each(STACKS.map((s) => [s]))("stack %s", (stack) => {
    it("has no mandatory violation under its policy config", async () => {
        const violations = await runPolicies(POLICIES, evaluations.get(stack)!.resources, policyConfigFor(stack));
        expect(formatViolations(mandatory(violations))).toBe("");
    });

    it("gives the policies real resources to judge: warehouse, providers, tags, tables, task graph", () => {
        const types = evaluations.get(stack)!.resources.map((r) => r.type);
        const count = (t: string) => types.filter((x) => x === t).length;
        expect([TYPES.warehouse, "pulumi:providers:snowflake", TYPES.database, TYPES.table, TYPES.tagAssociation, TYPES.grantPrivileges, TYPES.task].filter((t) => count(t) === 0)).toEqual([]);
        // GitHub environments and protection are the administrator's stack (admin/github,
        // test/github.governance.test.ts), not any environment stack's.
        const resources = evaluations.get(stack)!.resources;
        expect(resources.filter((r) => r.type === TYPES.repositoryEnvironment || r.type === TYPES.branchProtection)).toEqual([]);
    });

    it("has a policy config for exactly the pack's policies", () => {
        expect(Object.keys(policyConfigFor(stack)).sort()).toEqual(POLICIES.map((p) => p.name).sort());
    });
});

describe("a deliberately bad dev stack", () => {
    /** The real dev stack with a started root, a suspended child, a warehouse without auto-suspend and a grant to PUBLIC. */
    function badDev(): RecordedResource[] {
        const resources: RecordedResource[] = JSON.parse(JSON.stringify(evaluations.get("dev")!.resources));
        const warehouse = resources.find((r) => r.type === TYPES.warehouse)!;
        delete warehouse.inputs.autoSuspend;
        const grant = resources.find((r) => r.type === TYPES.grantPrivileges)!;
        grant.inputs.accountRoleName = "PUBLIC";
        const root = resources.find((r) => r.type === TYPES.task && !r.inputs.afters?.length && !r.inputs.finalize);
        // ... and a suspended child, which a manual EXECUTE TASK of the root would skip.
        resources.find((r) => r.type === TYPES.task && r.inputs.name === "TRAINING_TASK")!.inputs.started = false;
        if (root) {
            root.inputs.started = true;
        } else {
            // Until the lead's task graph lands the stack has no task: add its root, started.
            resources.push({
                ...warehouse,
                urn: warehouse.urn.replace(/::[^:]+::[^:]+$/, `::${TYPES.task}::pipeline-root`),
                type: TYPES.task,
                name: "pipeline-root",
                inputs: { name: "ML_RETRAINING_PIPELINE", started: true, taskAutoRetryAttempts: 2, suspendTaskAfterNumFailures: 3, userTaskTimeoutMs: 3_600_000, allowOverlappingExecution: "false" },
            });
        }
        return resources;
    }

    it("is rejected with each policy's name in the message", async () => {
        const report = formatViolations(mandatory(await runPolicies(POLICIES, badDev(), policyConfigFor("dev"))));
        expect(report.split("\n").sort()).toEqual(
            [
                "[mandatory] snowflake-warehouse-auto-suspend: Warehouse DEV_WH_XS: autoSuspend is not set; allowed: 1-120 seconds.",
                "[mandatory] snowflake-no-grants-to-privileged-roles: Privileges granted to PUBLIC; allowed: any role except ACCOUNTADMIN, ORGADMIN, PUBLIC.",
                "[mandatory] snowflake-task-graph-suspended-outside-production: Task ML_RETRAINING_PIPELINE is started in a stack where task graphs must stay suspended (started: false on the root).",
                "[mandatory] snowflake-task-graph-suspended-outside-production: Child task TRAINING_TASK is not started; EXECUTE TASK on the root would skip it. Set started: true (only the root follows the schedule).",
            ].sort(),
        );
    });
});
