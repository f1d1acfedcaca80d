/**
 * The administrator-only GitHub program (admin/github) as the tools evaluate it: its project,
 * its one stack (`github`, admin/github/Pulumi.github.yaml) and its configuration as the CLI
 * hands it over (Pulumi.yaml defaults, then the stack file). The adoption tool and the tests
 * evaluate it through tools/evaluate.ts's `program` option, like an environment stack.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { evaluateStack, Evaluation, EvaluateOptions } from "./evaluate";
import { REPO_ROOT } from "./stackConfig";
import { ADMIN_PROJECT, declareAdminGithub } from "../admin/github/program";

export const ADMIN_DIR = path.join(REPO_ROOT, "admin", "github");
/** The one stack of admin/github (its stack file is Pulumi.github.yaml). */
export const ADMIN_STACK = "github";

/** Pulumi.yaml defaults + Pulumi.github.yaml, as the CLI would hand them to the program. */
export function adminConfig(): Record<string, string> {
    const project = yaml.load(fs.readFileSync(path.join(ADMIN_DIR, "Pulumi.yaml"), "utf8")) as { name: string; config: Record<string, { default?: string }> };
    const stack = yaml.load(fs.readFileSync(path.join(ADMIN_DIR, `Pulumi.${ADMIN_STACK}.yaml`), "utf8")) as { config: Record<string, string> };
    if (project.name !== ADMIN_PROJECT) throw new Error(`${path.join(ADMIN_DIR, "Pulumi.yaml")}: project ${project.name}, but admin/github/program.ts reads the config of ${ADMIN_PROJECT}`);
    const values: Record<string, string> = {};
    for (const [key, spec] of Object.entries(project.config)) if (spec.default !== undefined) values[`${project.name}:${key}`] = String(spec.default);
    return { ...values, ...stack.config };
}

/** The admin program with overrides of the environment stacks' config, e.g. `{ prd: { productionReviewerUsers: [...] } }`. */
export function evaluateAdminGithub(overrides: Partial<Record<string, Record<string, unknown>>> = {}, options: Omit<EvaluateOptions, "program"> = {}): Promise<Evaluation> {
    return evaluateStack(ADMIN_STACK, { ...options, program: { project: ADMIN_PROJECT, config: adminConfig(), run: () => declareAdminGithub(overrides) } });
}
