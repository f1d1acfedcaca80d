/** Evaluates the administrator-only GitHub program (admin/github) under mocks, with its own stack file. */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { evaluateStack, Evaluation, EvaluateOptions } from "../../tools/evaluate";
import { ADMIN_PROJECT, declareAdminGithub } from "../../admin/github/program";

const ADMIN_DIR = path.resolve(__dirname, "..", "..", "admin", "github");

/** Pulumi.yaml defaults + Pulumi.github.yaml, as the CLI would hand them to the program. */
export function adminConfig(): Record<string, string> {
    const project = yaml.load(fs.readFileSync(path.join(ADMIN_DIR, "Pulumi.yaml"), "utf8")) as { name: string; config: Record<string, { default?: string }> };
    const stack = yaml.load(fs.readFileSync(path.join(ADMIN_DIR, "Pulumi.github.yaml"), "utf8")) as { config: Record<string, string> };
    const values: Record<string, string> = {};
    for (const [key, spec] of Object.entries(project.config)) if (spec.default !== undefined) values[`${project.name}:${key}`] = String(spec.default);
    return { ...values, ...stack.config };
}

let cached: Promise<Evaluation> | undefined;

/** The admin program with the real stack files (cached per test file). */
export function evaluatedAdmin(): Promise<Evaluation> {
    cached ??= evaluateAdmin();
    return cached;
}

/** The admin program with overrides of the environment stacks' config, e.g. `{ prd: { productionReviewerUsers: [...] } }`. */
export function evaluateAdmin(overrides: Partial<Record<string, Record<string, unknown>>> = {}, options: Omit<EvaluateOptions, "program"> = {}): Promise<Evaluation> {
    return evaluateStack("github", { ...options, program: { project: ADMIN_PROJECT, config: adminConfig(), run: () => declareAdminGithub(overrides) } });
}
