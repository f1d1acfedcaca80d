import { StackValidationPolicy } from "@pulumi/policy";
import { TYPES, unquote, withDefaults } from "../lib";

interface Config {
    /** Warehouse sizes an alert may run on. */
    allowedSizes: string[];
    /** Longest auto-suspend of an alert's warehouse, in seconds. */
    maxAutoSuspendSeconds: number;
}
const DEFAULTS: Config = { allowedSizes: ["XSMALL"], maxAutoSuspendSeconds: 60 };

/**
 * Every check of an alert resumes its warehouse and keeps it up until auto-suspend: an hourly
 * alert on prd's LARGE warehouse (8 credits/h, 300 s) billed ~480 credits a month, more than
 * prd's quota (issue 9 §7). So an alert runs on a warehouse the stack declares, of an allowed
 * size, that suspends quickly; and only alerts run there, so no heavier workload keeps it up.
 */
export const alertsOnSmallWarehouse: StackValidationPolicy = {
    name: "snowflake-alerts-on-small-warehouse",
    description: "Alerts run on a small, quickly suspending warehouse of their own that the stack declares, never on the environment's warehouse.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedSizes: { type: "array", items: { type: "string" }, default: DEFAULTS.allowedSizes, description: "Sizes an alert's warehouse may have." },
            maxAutoSuspendSeconds: { type: "integer", minimum: 60, default: DEFAULTS.maxAutoSuspendSeconds, description: "Longest auto-suspend of an alert's warehouse." },
        },
    },
    validateStack: (args, reportViolation) => {
        const c = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        const warehouses = new Map(args.resources.filter((r) => r.type === TYPES.warehouse).map((w) => [String(w.props.name), w]));
        const tasksOn = new Set(args.resources.filter((r) => r.type === TYPES.task).map((t) => unquote(String(t.props.warehouse))));
        for (const alert of args.resources.filter((r) => r.type === TYPES.alert)) {
            const name = unquote(String(alert.props.warehouse));
            const w = warehouses.get(name);
            const what = `Alert ${alert.props.name} runs on warehouse ${name}`;
            if (!w) {
                reportViolation(`${what}, which this stack does not declare; declare a warehouse for the alerts.`, alert.urn);
                continue;
            }
            if (!c.allowedSizes.includes(String(w.props.warehouseSize))) {
                reportViolation(`${what} of size ${w.props.warehouseSize}; allowed: ${c.allowedSizes.join(", ")}.`, alert.urn);
            }
            if (typeof w.props.autoSuspend !== "number" || w.props.autoSuspend > c.maxAutoSuspendSeconds) {
                reportViolation(`${what}, which auto-suspends after ${w.props.autoSuspend ?? "(not set)"} s; allowed: at most ${c.maxAutoSuspendSeconds} s.`, alert.urn);
            }
            if (tasksOn.has(name)) reportViolation(`${what}, which the task graph also uses; give the alerts a warehouse of their own.`, alert.urn);
        }
    },
};
