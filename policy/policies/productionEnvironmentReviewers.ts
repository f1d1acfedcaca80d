import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES, withDefaults } from "../lib";

interface Config {
    environment: string;
    minReviewerUsers: number;
}
const DEFAULTS: Config = { environment: "production", minReviewerUsers: 2 };

/** Production deploys wait for people (SPEC §6): two users or a team, no self-review, no admin bypass. */
export const productionEnvironmentReviewers: ResourceValidationPolicy = {
    name: "github-production-environment-reviewers",
    description: "The production GitHub environment needs at least two reviewers (or a team), prevents self-review and admin bypass.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environment: { type: "string", default: DEFAULTS.environment, description: "Name of the production GitHub environment." },
            minReviewerUsers: { type: "integer", minimum: 1, default: DEFAULTS.minReviewerUsers, description: "Least reviewer users when no team reviews." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.repositoryEnvironment) return;
        const c = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        if (args.props.environment !== c.environment) return;
        const reviewers: { users?: unknown[]; teams?: unknown[] }[] = args.props.reviewers ?? [];
        const users = reviewers.reduce((n, r) => n + (r.users?.length ?? 0), 0);
        const teams = reviewers.reduce((n, r) => n + (r.teams?.length ?? 0), 0);
        if (users < c.minReviewerUsers && teams < 1) {
            reportViolation(`Environment ${c.environment}: ${users} reviewer user(s) and ${teams} team(s); required: at least ${c.minReviewerUsers} users or one team.`);
        }
        // canAdminsBypass defaults to true in the provider: it must be set false explicitly.
        if (args.props.canAdminsBypass !== false) reportViolation(`Environment ${c.environment}: canAdminsBypass must be false.`);
        if (args.props.preventSelfReview !== true) reportViolation(`Environment ${c.environment}: preventSelfReview must be true.`);
    },
};
