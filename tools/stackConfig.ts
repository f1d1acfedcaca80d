/**
 * Reads a stack's configuration the way the Pulumi CLI hands it to the program: project
 * defaults from Pulumi.yaml, overridden by Pulumi.<stack>.yaml; scalars as strings,
 * lists as JSON. Used by the offline plan and the tests, which run without the CLI.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

export const REPO_ROOT = path.resolve(__dirname, "..");

interface ProjectConfigKey {
    items?: { type: string };
    type?: string;
    description?: string;
    default?: unknown;
    secret?: boolean;
}

export interface ProjectFile {
    name: string;
    config: Record<string, ProjectConfigKey>;
}

/** A YAML file's document; a syntax error names the file (js-yaml's message has line and column). */
function loadYamlFile(file: string): unknown {
    try {
        return yaml.load(fs.readFileSync(file, "utf8"));
    } catch (err) {
        if (err instanceof yaml.YAMLException) throw new Error(`${file}: YAML syntax error: ${err.message}`);
        throw err;
    }
}

export function readProjectFile(root = REPO_ROOT): ProjectFile {
    return loadYamlFile(path.join(root, "Pulumi.yaml")) as ProjectFile;
}

export function stackFilePath(stack: string, root = REPO_ROOT): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}

/** The raw `config:` map of a stack file (keys as written, e.g. `snowflake-mlops:env`). */
export function readStackFile(stack: string, root = REPO_ROOT): Record<string, unknown> {
    const file = stackFilePath(stack, root);
    if (!fs.existsSync(file)) throw new Error(`No stack file ${path.basename(file)} for stack "${stack}"`);
    const doc = (loadYamlFile(file) ?? {}) as { config?: Record<string, unknown> };
    return doc.config ?? {};
}

function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

export interface StackConfig {
    /** Full key (`project:key`) to raw string value. */
    values: Record<string, string>;
    /** Full keys whose values are secrets. */
    secretKeys: string[];
}

/**
 * Project defaults + stack values, with `overrides` applied last (a value of `undefined`
 * removes the key, to test a missing key). Secure values (`{secure: ...}`) cannot be
 * decrypted without the CLI and are left out.
 */
export function loadStackConfig(stack: string, overrides: Record<string, unknown> = {}, root = REPO_ROOT): StackConfig {
    const project = readProjectFile(root);
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, spec] of Object.entries(project.config ?? {})) {
        const full = `${project.name}:${key}`;
        if (spec.default !== undefined) values[full] = encode(spec.default);
        if (spec.secret) secretKeys.push(full);
    }
    for (const [key, value] of Object.entries(readStackFile(stack, root))) {
        if (value !== null && typeof value === "object" && "secure" in (value as object)) continue;
        values[key.includes(":") ? key : `${project.name}:${key}`] = encode(value);
    }
    for (const [key, value] of Object.entries(overrides)) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        if (value === undefined) delete values[full];
        else values[full] = encode(value);
    }
    return { values, secretKeys };
}
