import { StackValidationPolicy } from "@pulumi/policy";
import { monitorAttachment, TYPES } from "../lib";

/**
 * A warehouse without a resource monitor has no credit cap. The monitor is attached either
 * through Warehouse.resourceMonitor or, as this project does (only ACCOUNTADMIN may attach
 * monitors), by an Execute `ALTER WAREHOUSE ... SET RESOURCE_MONITOR`; either way the
 * monitor must be declared in the same stack.
 */
export const warehouseResourceMonitor: StackValidationPolicy = {
    name: "snowflake-warehouse-resource-monitor",
    description: "Every warehouse is capped by a resource monitor declared in the same stack.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const monitors = new Set(args.resources.filter((r) => r.type === TYPES.resourceMonitor).map((r) => r.props.name as string));
        const attached = new Map<string, string>();
        for (const r of args.resources.filter((x) => x.type === TYPES.execute)) {
            const a = monitorAttachment(r.props.execute);
            if (a) attached.set(a.warehouse, a.monitor);
        }
        for (const w of args.resources.filter((r) => r.type === TYPES.warehouse)) {
            const name = w.props.name as string;
            const monitor = (w.props.resourceMonitor as string | undefined) || attached.get(name);
            if (!monitor) {
                reportViolation(`Warehouse ${name} has no resource monitor (neither resourceMonitor nor an ALTER WAREHOUSE ... SET RESOURCE_MONITOR).`, w.urn);
            } else if (!monitors.has(monitor.replace(/"/g, ""))) {
                reportViolation(`Warehouse ${name} is attached to resource monitor ${monitor}, which this stack does not declare.`, w.urn);
            }
        }
    },
};
