import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, withDefaults } from "../lib";

interface Config {
    /** Outside prd the monitor must suspend at its limit; prd is only notified. */
    requireSuspend: boolean;
}
const DEFAULTS: Config = { requireSuspend: true };

export const resourceMonitorLimits: ResourceValidationPolicy = {
    name: "snowflake-resource-monitor-limits",
    description: "Resource monitors have a positive credit quota, a reset frequency, notify triggers, and (where required) suspend at 100 % or below.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireSuspend: { type: "boolean", default: DEFAULTS.requireSuspend, description: "Whether the monitor must suspend its warehouses at its limit." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.resourceMonitor) return;
        const { requireSuspend } = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        const { name, creditQuota, frequency, notifyTriggers, suspendTrigger, suspendImmediateTrigger } = args.props;
        if (typeof creditQuota !== "number" || creditQuota < 1) reportViolation(`Resource monitor ${name}: creditQuota is ${creditQuota ?? "not set"}; allowed: at least 1.`);
        if (!frequency) reportViolation(`Resource monitor ${name}: frequency is not set, so usage never resets.`);
        if (!Array.isArray(notifyTriggers) || notifyTriggers.length === 0) reportViolation(`Resource monitor ${name}: no notifyTriggers; nobody hears before the limit.`);
        const suspendsAt = [suspendTrigger, suspendImmediateTrigger].filter((t): t is number => typeof t === "number");
        if (requireSuspend && !suspendsAt.some((t) => t <= 100)) {
            reportViolation(`Resource monitor ${name}: does not suspend its warehouses at or below 100 % of the quota (suspendTrigger ${suspendTrigger ?? "not set"}).`);
        }
    },
};
