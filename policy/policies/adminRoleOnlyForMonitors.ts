import { StackValidationPolicy } from "@pulumi/policy";
import { monitorAttachment, TYPES, unquote, withDefaults } from "../lib";

interface Config {
    adminRoles: string[];
}
const DEFAULTS: Config = { adminRoles: ["ACCOUNTADMIN", "ORGADMIN"] };

/**
 * The program never runs as ACCOUNTADMIN (SPEC §4) except for what only ACCOUNTADMIN can
 * do: creating resource monitors and attaching them to warehouses. Anything else on a
 * provider acting as an admin role would be owned by it.
 */
export const adminRoleOnlyForMonitors: StackValidationPolicy = {
    name: "snowflake-admin-role-only-for-resource-monitors",
    description: "Providers acting as ACCOUNTADMIN or ORGADMIN manage only resource monitors and their attachment to warehouses.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            adminRoles: { type: "array", items: { type: "string" }, default: DEFAULTS.adminRoles, description: "Roles whose providers are restricted." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { adminRoles } = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        for (const r of args.resources) {
            const role = r.provider?.type === "pulumi:providers:snowflake" ? r.provider.props.role : undefined;
            if (typeof role !== "string" || !adminRoles.includes(unquote(role).toUpperCase())) continue;
            const allowed = r.type === TYPES.resourceMonitor || (r.type === TYPES.execute && monitorAttachment(r.props.execute) !== undefined);
            if (!allowed) reportViolation(`${r.type} ${r.name} is managed as ${role}; only resource monitors and their attachment may be.`, r.urn);
        }
    },
};
