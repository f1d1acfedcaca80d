import { StackValidationPolicy } from "@pulumi/policy";
import { monitorAttachment, TYPES, unquote, withDefaults } from "../lib";

interface Config {
    adminRoles: string[];
}
const DEFAULTS: Config = { adminRoles: ["ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN", "USERADMIN", "ORGADMIN"] };

/**
 * No CI identity acts as an administrator role (issue #10): every provider of the stack acts
 * as a role of its own environment. What only ACCOUNTADMIN can do - creating resource
 * monitors and assigning them to warehouses - belongs to the bootstrap
 * (bootstrap/<stack>/05_resource_monitor.sql), so the stack declares neither.
 */
export const noAdministratorRoles: StackValidationPolicy = {
    name: "snowflake-no-administrator-roles",
    description: "No Snowflake provider acts as ACCOUNTADMIN, SECURITYADMIN, SYSADMIN, USERADMIN or ORGADMIN; resource monitors and their assignment belong to the bootstrap, not the stack.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            adminRoles: { type: "array", items: { type: "string" }, default: DEFAULTS.adminRoles, description: "Roles no provider may act as." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { adminRoles } = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        for (const r of args.resources) {
            if (r.type === "pulumi:providers:snowflake" && typeof r.props.role === "string" && adminRoles.includes(unquote(r.props.role).toUpperCase())) {
                reportViolation(`Snowflake provider ${r.name} acts as ${r.props.role}; allowed: the environment's own roles from the bootstrap.`, r.urn);
            }
            if (r.type === TYPES.resourceMonitor) {
                reportViolation(`${r.type} ${r.name}: resource monitors are created by the bootstrap (only ACCOUNTADMIN can), not by the stack.`, r.urn);
            }
            if (r.type === TYPES.execute && monitorAttachment(r.props.execute) !== undefined) {
                reportViolation(`${r.type} ${r.name} assigns a resource monitor; only ACCOUNTADMIN can, so the bootstrap does.`, r.urn);
            }
        }
    },
};
