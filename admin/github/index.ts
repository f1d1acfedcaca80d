/**
 * Entry point of the administrator-only GitHub program (admin/github/Pulumi.yaml). The
 * composition lives in stacks/githubGovernance.ts; the environment stacks' facts come from
 * their own stack files, so the branch, environment and reviewers of each stack are still
 * written once.
 */
import { declareAdminGithub } from "./program";

export const environments = declareAdminGithub();
