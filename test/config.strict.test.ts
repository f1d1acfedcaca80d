/** Ordinary mistakes in stack files are errors that say what to write instead (issue 14). */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../stacks/config";
import { closestKey, unknownKeyProblems } from "../stacks/configSchema";
import { deployBranchTable, overlappingStacks } from "../tools/environments";
import { main as plan } from "../tools/plan/cli";
import { readStackFile, REPO_ROOT } from "../tools/stackConfig";
import { regenerate } from "../tools/docsTables";
import { evaluateWith } from "./support/stacks";

async function failure(stack: string, overrides: Record<string, unknown>): Promise<ConfigError & { registeredResources: unknown[] }> {
    try {
        await evaluateWith(stack, { overrides });
    } catch (err) {
        return err as ConfigError & { registeredResources: unknown[] };
    }
    throw new Error("expected the stack to be rejected");
}

/** A scratch copy of the files a test needs from the repository root. */
function scratchRoot(files: string[]): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "strict-config-"));
    for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
    }
    return root;
}
const STACK_FILES = ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.sit.yaml", "Pulumi.uat.yaml", "Pulumi.prd.yaml"];

describe("unknown keys", () => {
    test.each([
        ["recentPredictionDays", 14, "recentPredictionsDays"],
        ["warehouseSzie", "SMALL", "warehouseSize"],
        ["minRocAUC", "0.8", "minRocAuc"],
    ])("%s is an error naming the closest declared key", async (typo, value, meant) => {
        const err = await failure("dev", { [typo]: value });
        expect(err.name).toBe("ConfigError");
        expect(err.message).toContain(`snowflake-mlops:${typo}: unknown key; did you mean snowflake-mlops:${meant}?`);
        expect(err.message).toContain("Pulumi.dev.yaml");
        expect(err.registeredResources).toEqual([]);
    });

    test("a key far from every declared key lists where the keys are", () => {
        expect(unknownKeyProblems("p", ["colour"], ["warehouseSize", "env"])).toEqual(["p:colour: unknown key; allowed: the keys declared in Pulumi.yaml"]);
        expect(closestKey("envv", ["env", "deployBranch"])).toBe("env");
    });
});

describe("every problem of a file in one message", () => {
    test("missing env and githubEnvironment hide nothing else", async () => {
        const err = await failure("sit", { env: undefined, githubEnvironment: undefined, warehouseSize: "HUGE", recentPredictionDays: 3 });
        const keys = err.problems.map((p) => p.split(":")[1]);
        expect(keys).toEqual(expect.arrayContaining(["env", "githubEnvironment", "warehouseSize", "recentPredictionDays"]));
        expect(err.message).toMatch(/^Invalid configuration in Pulumi\.sit\.yaml \(4 problems\):/);
    });

    test("a stack file without env, githubEnvironment or deployBranch does not break the checks of the others", () => {
        const root = scratchRoot(STACK_FILES);
        const dev = path.join(root, "Pulumi.dev.yaml");
        fs.writeFileSync(dev, fs.readFileSync(dev, "utf8").replace(/^ {2}snowflake-mlops:(env|githubEnvironment|deployBranch):.*\n/gm, ""));
        const table = deployBranchTable(root);
        expect(table.map((r) => r.stack)).toEqual(["sit", "uat", "prd"]);
        expect(overlappingStacks("sit", "development", table)).toEqual([]);
        expect(overlappingStacks("uat", "main", table)).toEqual(["prd"]);
    });
});

describe("YAML syntax errors and --help", () => {
    test("a stack file with a YAML syntax error is named, with the line", () => {
        const root = scratchRoot(STACK_FILES);
        fs.appendFileSync(path.join(root, "Pulumi.uat.yaml"), "  snowflake-mlops:costCenter: [unclosed\n");
        expect(() => readStackFile("uat", root)).toThrow(/Pulumi\.uat\.yaml: YAML syntax error: .*\(\d+:\d+\)/s);
    });

    test("plan -- --help prints the usage instead of an unknown stack", async () => {
        const text = await plan(["--help"]);
        expect(text).toMatch(/^usage: npm run plan -- <stack>\.\.\. \| --all \| --diff <from-stack> <to-stack>/);
        expect(text).toContain("--all --out DIR");
        await expect(plan(["-h"])).resolves.toBe(text);
    });
});

describe("npm run docs:tables", () => {
    test("says up to date and leaves the files alone when nothing changed; updated otherwise", () => {
        const root = scratchRoot([...STACK_FILES, "README.md", path.join("docs", "operations.md")]);
        const readme = path.join(root, "README.md");
        const before = fs.statSync(readme).mtimeMs;
        expect(regenerate(root)).toEqual(["README.md: generated sections up to date", "docs/operations.md: generated sections up to date"]);
        expect(fs.statSync(readme).mtimeMs).toBe(before);
        fs.writeFileSync(readme, fs.readFileSync(readme, "utf8").replace("| dev | DEV |", "| dev | XXX |"));
        expect(regenerate(root)[0]).toBe("README.md: generated sections updated");
        expect(fs.readFileSync(readme, "utf8")).toContain("| dev | DEV |");
    });
});
