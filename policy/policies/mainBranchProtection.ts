import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, withDefaults } from "../lib";

interface Config {
    branch: string;
    minApprovals: number;
}
const DEFAULTS: Config = { branch: "main", minApprovals: 2 };

/** `main` deploys prd (SPEC §6): two approvals, admins included, history never rewritten or deleted. */
export const mainBranchProtection: ResourceValidationPolicy = {
    name: "github-main-branch-protection",
    description: "The production branch needs two approvals, includes admins, and allows no force push or deletion.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            branch: { type: "string", default: DEFAULTS.branch, description: "Branch pattern that deploys production." },
            minApprovals: { type: "integer", minimum: 1, default: DEFAULTS.minApprovals, description: "Least approving reviews." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.branchProtection) return;
        const c = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        if (args.props.pattern !== c.branch) return;
        const reviews = (args.props.requiredPullRequestReviews ?? [])[0] ?? {};
        const approvals = reviews.requiredApprovingReviewCount;
        if (typeof approvals !== "number" || approvals < c.minApprovals) {
            reportViolation(`Branch ${c.branch}: ${approvals ?? "no"} required approvals; required: at least ${c.minApprovals}.`);
        }
        if (args.props.allowsForcePushes === true) reportViolation(`Branch ${c.branch}: force pushes must not be allowed.`);
        if (args.props.allowsDeletions === true) reportViolation(`Branch ${c.branch}: deletion must not be allowed.`);
        if (args.props.enforceAdmins !== true) reportViolation(`Branch ${c.branch}: enforceAdmins must be true (admins follow the same rules).`);
    },
};
