import { ResourceValidationPolicy } from "@pulumi/policy";
import { retainOnDelete, TYPES, withDefaults } from "../lib";

interface Config {
    /** True in prd: a preview or up may never delete data there. */
    requireProtect: boolean;
}
const DEFAULTS: Config = { requireProtect: false };

const STATEFUL = [TYPES.database, TYPES.table] as string[];

/**
 * With explicit names a replace is delete-before-create: a replaced table is dropped
 * first. Databases and tables therefore keep their data on delete everywhere, and are
 * protected where the stack says so (SPEC §3).
 */
export const statefulResourcesProtected: ResourceValidationPolicy = {
    name: "snowflake-stateful-resources-protected",
    description: "Databases and tables are retainOnDelete in every stack and protect where required (prd).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireProtect: { type: "boolean", default: DEFAULTS.requireProtect, description: "Whether databases and tables must be `protect`ed." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!STATEFUL.includes(args.type)) return;
        const { requireProtect } = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        const what = `${args.type.split(":").pop()} ${args.props.name}`;
        if (requireProtect && !args.opts.protect) reportViolation(`${what} is not protected; set the resource option protect in this stack.`);
        if (retainOnDelete(args.opts) === false) reportViolation(`${what} is not retainOnDelete; a replace or destroy would drop its data.`);
    },
};
