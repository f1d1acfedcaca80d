import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, withDefaults } from "../lib";

interface Config {
    /** True only in prd (per-stack config). */
    allowStarted: boolean;
}
const DEFAULTS: Config = { allowStarted: false };

/** The original system resumed its schedule everywhere (SPEC §8): only prd runs on schedule. */
export const taskGraphSuspended: ResourceValidationPolicy = {
    name: "snowflake-task-graph-suspended-outside-production",
    description: "Tasks are not started (scheduled) except in the stack whose policy config allows it (prd).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowStarted: { type: "boolean", default: DEFAULTS.allowStarted, description: "Whether this stack's tasks may be started." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.task) return;
        const { allowStarted } = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        if (args.props.started === true && !allowStarted) {
            reportViolation(`Task ${args.props.name} is started in a stack where task graphs must stay suspended (started: false).`);
        }
    },
};
