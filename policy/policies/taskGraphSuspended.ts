import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, withDefaults } from "../lib";

interface Config {
    /** True only in prd (per-stack config). */
    allowStarted: boolean;
}
const DEFAULTS: Config = { allowStarted: false };

/**
 * The original system resumed its schedule everywhere (SPEC §8): only prd's root runs on its
 * schedule. The root decides whether a graph runs on schedule; children and the finalizer run
 * only when the root runs, and only if they are resumed: `EXECUTE TASK` on a suspended root
 * skips suspended children, so the manual test run of dev/sit/uat would run the root alone.
 * Hence roots (no `afters`, no `finalize`) follow `allowStarted`, and every other task must be
 * started in every stack. Provider v1.2.1 resumes a child only while its root is suspended
 * and restores the root's state afterwards (pkg/resources/task.go), so this is safe to apply.
 */
export const taskGraphSuspended: ResourceValidationPolicy = {
    name: "snowflake-task-graph-suspended-outside-production",
    description: "Root tasks are started (scheduled) only where the stack's policy config allows it (prd); child tasks and finalizers are always started.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowStarted: { type: "boolean", default: DEFAULTS.allowStarted, description: "Whether this stack's root tasks may be started." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.task) return;
        const { allowStarted } = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        const p = args.props;
        const isRoot = !(Array.isArray(p.afters) && p.afters.length > 0) && !p.finalize;
        if (isRoot && p.started === true && !allowStarted) {
            reportViolation(`Task ${p.name} is started in a stack where task graphs must stay suspended (started: false on the root).`);
        }
        if (!isRoot && p.started !== true) {
            reportViolation(
                `${p.finalize ? "Finalizer" : "Child task"} ${p.name} is not started; EXECUTE TASK on the root would skip it. Set started: true (only the root follows the schedule).`,
            );
        }
    },
};
