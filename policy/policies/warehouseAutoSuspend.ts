import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, withDefaults } from "../lib";

interface Config {
    maxAutoSuspendSeconds: number;
}
const DEFAULTS: Config = { maxAutoSuspendSeconds: 600 };

/** An idle warehouse burns credits until it suspends; a new one must not start running. */
export const warehouseAutoSuspend: ResourceValidationPolicy = {
    name: "snowflake-warehouse-auto-suspend",
    description: "Warehouses auto-suspend within the stack's limit, auto-resume, and are created suspended.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxAutoSuspendSeconds: { type: "integer", minimum: 60, default: DEFAULTS.maxAutoSuspendSeconds, description: "Longest idle time before suspension, seconds." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.warehouse) return;
        const { maxAutoSuspendSeconds } = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        const { name, autoSuspend, initiallySuspended } = args.props;
        if (typeof autoSuspend !== "number" || autoSuspend <= 0 || autoSuspend > maxAutoSuspendSeconds) {
            reportViolation(`Warehouse ${name}: autoSuspend is ${autoSuspend ?? "not set"}; allowed: 1-${maxAutoSuspendSeconds} seconds.`);
        }
        if (initiallySuspended !== true) {
            reportViolation(`Warehouse ${name}: initiallySuspended must be true so a new warehouse costs nothing until used.`);
        }
    },
};
