import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, withDefaults } from "../lib";

interface Config {
    minRetryAttempts: number;
    maxTimeoutMs: number;
}
const DEFAULTS: Config = { minRetryAttempts: 1, maxTimeoutMs: 24 * 60 * 60 * 1000 };

/**
 * Every task is retried, timed out and never overlaps (SPEC §5). Snowflake takes retries,
 * suspension after failures and overlap only on the root task and applies them to the whole
 * graph, so those are required on roots (no `afters`, no `finalize`); every task needs its
 * own timeout, and no child may ask for overlap.
 */
export const taskResilience: ResourceValidationPolicy = {
    name: "snowflake-task-resilience",
    description: "Root tasks retry, suspend after repeated failures and forbid overlap; every task has a timeout.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minRetryAttempts: { type: "integer", minimum: 0, default: DEFAULTS.minRetryAttempts, description: "Least taskAutoRetryAttempts on a root task." },
            maxTimeoutMs: { type: "integer", minimum: 1, default: DEFAULTS.maxTimeoutMs, description: "Longest userTaskTimeoutMs." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.task) return;
        const { minRetryAttempts, maxTimeoutMs } = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        const p = args.props;
        const isRoot = !(Array.isArray(p.afters) && p.afters.length > 0) && !p.finalize;
        if (typeof p.userTaskTimeoutMs !== "number" || p.userTaskTimeoutMs <= 0 || p.userTaskTimeoutMs > maxTimeoutMs) {
            reportViolation(`Task ${p.name}: userTaskTimeoutMs is ${p.userTaskTimeoutMs ?? "not set"}; allowed: 1-${maxTimeoutMs}.`);
        }
        if (isRoot) {
            if (typeof p.taskAutoRetryAttempts !== "number" || p.taskAutoRetryAttempts < minRetryAttempts) {
                reportViolation(`Root task ${p.name}: taskAutoRetryAttempts is ${p.taskAutoRetryAttempts ?? "not set"}; allowed: at least ${minRetryAttempts}.`);
            }
            if (typeof p.suspendTaskAfterNumFailures !== "number" || p.suspendTaskAfterNumFailures < 1) {
                reportViolation(`Root task ${p.name}: suspendTaskAfterNumFailures is ${p.suspendTaskAfterNumFailures ?? "not set"}; allowed: at least 1.`);
            }
            if (String(p.allowOverlappingExecution) !== "false") {
                reportViolation(`Root task ${p.name}: allowOverlappingExecution must be "false" so runs of the graph never overlap.`);
            }
        } else if (String(p.allowOverlappingExecution) === "true") {
            reportViolation(`Task ${p.name}: allowOverlappingExecution "true"; runs of the graph must never overlap.`);
        }
    },
};
