import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";

export interface DeploymentEnvironmentArgs {
    /** Repository name (without owner) that holds the environment. */
    repository: pulumi.Input<string>;
    /** GitHub environment name (dev, sit, uat, production); the deploy job's `environment:`. */
    environment: pulumi.Input<string>;
    /**
     * The one branch pattern allowed to deploy into this environment, in the policy's own
     * language (Ruby fnmatch with FNM_PATHNAME: infra/github/branchPatterns.ts `fnmatchPattern`);
     * undefined admits every branch (preview environments, which hold read-only credentials).
     */
    branchPattern?: pulumi.Input<string>;
    /** Numeric ids of users who may approve a deployment; empty = no approval step. */
    reviewerUserIds: pulumi.Input<number>[];
    /** Numeric ids of teams who may approve a deployment. */
    reviewerTeamIds: pulumi.Input<number>[];
    /** Whether the person who triggered a deployment is barred from approving it. */
    preventSelfReview: boolean;
    /** Whether repository administrators may deploy without the reviewers' approval. */
    canAdminsBypass: boolean;
}

/**
 * A GitHub deployment environment whose branch policy admits exactly one branch pattern,
 * so that no other branch can deploy with this environment's variables and secrets (or,
 * without a pattern, an environment any branch may use).
 */
export class DeploymentEnvironment extends pulumi.ComponentResource {
    readonly environment: github.RepositoryEnvironment;
    readonly branchPolicy?: github.RepositoryEnvironmentDeploymentPolicy;

    constructor(name: string, args: DeploymentEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:github:DeploymentEnvironment", name, {}, opts);
        const hasReviewers = args.reviewerUserIds.length + args.reviewerTeamIds.length > 0;
        this.environment = new github.RepositoryEnvironment(
            `${name}-environment`,
            {
                repository: args.repository,
                environment: args.environment,
                reviewers: hasReviewers ? [{ users: args.reviewerUserIds, teams: args.reviewerTeamIds }] : [],
                preventSelfReview: args.preventSelfReview,
                canAdminsBypass: args.canAdminsBypass,
                // Custom policies only: "protected branches" would admit every protected
                // branch, i.e. also the other stacks' branches. On private repositories custom
                // policies need a paid plan (docs/operations.md, "GitHub plan limits").
                deploymentBranchPolicy: args.branchPattern === undefined ? undefined : { protectedBranches: false, customBranchPolicies: true },
            },
            { parent: this },
        );
        if (args.branchPattern !== undefined) {
            this.branchPolicy = new github.RepositoryEnvironmentDeploymentPolicy(
                `${name}-branch-policy`,
                { repository: args.repository, environment: this.environment.environment, branchPattern: args.branchPattern },
                { parent: this },
            );
        }
        this.registerOutputs({ environment: this.environment.environment, branchPattern: this.branchPolicy?.branchPattern });
    }
}
