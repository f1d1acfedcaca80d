import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";

export interface ProtectedBranchArgs {
    /** Repository name (without owner); the provider resolves it to the node id. */
    repository: pulumi.Input<string>;
    /** Branch name or pattern to protect, Ruby fnmatch with FNM_PATHNAME (e.g. main; from fnmatchPattern in ./branchPatterns). */
    pattern: pulumi.Input<string>;
    /** Approving reviews a pull request needs before it can merge (at least 1). */
    requiredApprovals: number;
    /** New commits dismiss earlier approvals, so what merges is what was approved. */
    dismissStaleReviews: boolean;
    /** A code owner (.github/CODEOWNERS) must be among the approvers. */
    requireCodeOwnerReviews: boolean;
    /** The last push must be approved by someone other than its author (no self-approved late commit). */
    requireLastPushApproval: boolean;
    /** Check (job) names that must pass; empty = no required checks. */
    requiredStatusChecks: string[];
    /** All review conversations must be resolved before merging. */
    requireConversationResolution: boolean;
    /** The rules apply to administrators too. */
    enforceAdmins: boolean;
}

/**
 * Protection of one deploy branch: merges only through reviewed pull requests, never a
 * force push or a deletion (both would rewrite what the stack was deployed from).
 */
export class ProtectedBranch extends pulumi.ComponentResource {
    readonly protection: github.BranchProtection;

    constructor(name: string, args: ProtectedBranchArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:github:ProtectedBranch", name, {}, opts);
        this.protection = new github.BranchProtection(
            `${name}-protection`,
            {
                repositoryId: args.repository,
                pattern: args.pattern,
                enforceAdmins: args.enforceAdmins,
                allowsForcePushes: false,
                allowsDeletions: false,
                requireConversationResolution: args.requireConversationResolution,
                requiredPullRequestReviews: [
                    {
                        requiredApprovingReviewCount: args.requiredApprovals,
                        dismissStaleReviews: args.dismissStaleReviews,
                        requireCodeOwnerReviews: args.requireCodeOwnerReviews,
                        requireLastPushApproval: args.requireLastPushApproval,
                    },
                ],
                // Strict: the branch must be up to date with its base, so the checks ran
                // against what will actually be merged.
                requiredStatusChecks: args.requiredStatusChecks.length > 0 ? [{ strict: true, contexts: args.requiredStatusChecks }] : [],
            },
            { parent: this },
        );
        this.registerOutputs({ pattern: this.protection.pattern });
    }
}
