import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, unquote } from "../lib";

/** An object owned by PUBLIC can be altered or dropped by every user of the account. */
export const noOwnershipToPublic: ResourceValidationPolicy = {
    name: "snowflake-no-ownership-to-public",
    description: "Ownership of objects is never transferred to PUBLIC.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.grantOwnership) return;
        const role = args.props.accountRoleName;
        if (typeof role === "string" && unquote(role).toUpperCase() === "PUBLIC") {
            reportViolation("Ownership granted to PUBLIC; transfer it to the environment's role instead.");
        }
    },
};
