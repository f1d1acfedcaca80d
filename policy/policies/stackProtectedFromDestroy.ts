import { ResourceValidationPolicy } from "@pulumi/policy";
import { withDefaults } from "../lib";

interface Config {
    /** True in prd: `pulumi destroy` must delete nothing there. */
    required: boolean;
    /** Types that ordinary deploys replace, which protect would block (stacks/protection.ts). */
    exemptTypes: string[];
}
const DEFAULTS: Config = { required: false, exemptTypes: ["snowflake:index/procedurePython:ProcedurePython"] };

/**
 * Under the real engine `pulumi destroy` deletes every unprotected resource it can reach
 * before it stops at protected ones. Where required (prd) every resource, providers and
 * components included, is protected; the exempt types are reached by no destroy because a
 * protected resource depends on them (checked by test/platform.destroy.test.ts).
 */
export const stackProtectedFromDestroy: ResourceValidationPolicy = {
    name: "stack-protected-from-destroy",
    description: "Where required (prd), every resource is protected, so `pulumi destroy` deletes nothing; only types ordinary deploys replace are exempt.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            required: { type: "boolean", default: DEFAULTS.required, description: "Whether every resource must be protected." },
            exemptTypes: { type: "array", items: { type: "string" }, default: DEFAULTS.exemptTypes, description: "Resource types that may stay unprotected." },
        },
    },
    validateResource: (args, reportViolation) => {
        const c = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        if (!c.required || args.opts.protect || c.exemptTypes.includes(args.type) || args.type === "pulumi:pulumi:Stack") return;
        reportViolation(`${args.type} ${args.name} is not protected; in this stack every resource must be (set protectAllResources), so pulumi destroy deletes nothing.`);
    },
};
