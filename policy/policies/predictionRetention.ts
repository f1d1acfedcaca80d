import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, withDefaults } from "../lib";

interface Config {
    minRetentionDays: number;
    table: string;
}
const DEFAULTS: Config = { minRetentionDays: 1, table: "PREDICTIONS" };

/** Time Travel on predictions is how a bad batch is undone; each stack sets its minimum. */
export const predictionRetention: ResourceValidationPolicy = {
    name: "snowflake-prediction-retention",
    description: "The PREDICTIONS table keeps Time Travel data at least the stack's minimum number of days.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minRetentionDays: { type: "integer", minimum: 0, maximum: 90, default: DEFAULTS.minRetentionDays, description: "Least dataRetentionTimeInDays." },
            table: { type: "string", default: DEFAULTS.table, description: "Name of the predictions table." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.table) return;
        const c = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        if (args.props.name !== c.table) return;
        const days = args.props.dataRetentionTimeInDays;
        if (typeof days !== "number" || days < c.minRetentionDays) {
            reportViolation(`Table ${c.table}: dataRetentionTimeInDays is ${days ?? "not set"}; required: at least ${c.minRetentionDays}.`);
        }
    },
};
