/** Evaluates the administrator-only GitHub program (admin/github) under mocks, with its own stack file. */
import { Evaluation, EvaluateOptions } from "../../tools/evaluate";
import { adminConfig, evaluateAdminGithub } from "../../tools/adminGithub";

export { adminConfig };

let cached: Promise<Evaluation> | undefined;

/** The admin program with the real stack files (cached per test file). */
export function evaluatedAdmin(): Promise<Evaluation> {
    cached ??= evaluateAdmin();
    return cached;
}

/** The admin program with overrides of the environment stacks' config, e.g. `{ prd: { productionReviewerUsers: [...] } }`. */
export function evaluateAdmin(overrides: Partial<Record<string, Record<string, unknown>>> = {}, options: Omit<EvaluateOptions, "program"> = {}): Promise<Evaluation> {
    return evaluateAdminGithub(overrides, options);
}
