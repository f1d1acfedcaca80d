import { ResourceValidationPolicy } from "@pulumi/policy";
import { FORBIDDEN_ROLES } from "../../stacks/configSchema";
import { TYPES, unquote, withDefaults } from "../lib";

interface Config {
    forbiddenRoles: string[];
}
const DEFAULTS: Config = { forbiddenRoles: [...FORBIDDEN_ROLES] };

/**
 * Privileges granted to PUBLIC reach every user; ACCOUNTADMIN and ORGADMIN are managed by
 * people, never by a stack (SPEC §4). Granting one of those roles to anyone is as bad.
 */
export const noGrantsToPrivilegedRoles: ResourceValidationPolicy = {
    name: "snowflake-no-grants-to-privileged-roles",
    description: "Nothing is granted to, and no role is granted to or from, ACCOUNTADMIN, ORGADMIN or PUBLIC.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            forbiddenRoles: { type: "array", items: { type: "string" }, default: DEFAULTS.forbiddenRoles, description: "Roles no grant may involve." },
        },
    },
    validateResource: (args, reportViolation) => {
        const { forbiddenRoles } = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        const forbidden = (role: unknown) => typeof role === "string" && forbiddenRoles.includes(unquote(role).toUpperCase());
        if (args.type === TYPES.grantPrivileges && forbidden(args.props.accountRoleName)) {
            reportViolation(`Privileges granted to ${args.props.accountRoleName}; allowed: any role except ${forbiddenRoles.join(", ")}.`);
        }
        if (args.type === TYPES.grantAccountRole) {
            for (const key of ["roleName", "parentRoleName"]) {
                if (forbidden(args.props[key])) reportViolation(`Role grant with ${key} ${args.props[key]}; allowed: any role except ${forbiddenRoles.join(", ")}.`);
            }
        }
    },
};
