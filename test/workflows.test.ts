/**
 * The workflows (.github/workflows) and local actions read with js-yaml and checked against
 * the single sources of truth: tools/environments.ts (the stack files), the governance the
 * administrator's program declares (admin/github), and the real inputs of the third-party
 * actions (test/data/action-inputs.json, copied from each action's action.yml).
 */
import * as fs from "fs";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import * as yaml from "js-yaml";
import * as os from "os";
import { environmentTable, PROMOTION_ORDER } from "../tools/environments";
import { routeBranch } from "../tools/stackForBranch";
import { ENVIRONMENT_SECRETS, previewEnvironmentName, REQUIRED_STATUS_CHECKS } from "../stacks/githubGovernance";
import { readStackFile } from "../tools/stackConfig";
import { evaluatedAdmin } from "./support/adminGithub";
import { targetsFor } from "../tools/driftTargets";

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const load = (file: string): any => yaml.load(fs.readFileSync(path.join(ROOT, file), "utf8"));
const workflowFiles = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const workflows: Record<string, any> = Object.fromEntries(workflowFiles.map((f) => [f, load(`.github/workflows/${f}`)]));
const localActions: Record<string, any> = Object.fromEntries(
    fs.readdirSync(path.join(ROOT, ".github", "actions")).map((dir) => [`./.github/actions/${dir}`, load(`.github/actions/${dir}/action.yml`)]),
);
const ACTION_DATA = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "data", "action-inputs.json"), "utf8")).actions as Record<
    string,
    { major: string; commit: string; source: string; runsUsing: string; inputs: Record<string, { required: boolean }> }
>;
const table = environmentTable();

const deploy = workflows["deploy.yml"];
const preview = workflows["preview.yml"];
const drift = workflows["drift.yml"];
const ci = workflows["ci.yml"];

interface Located {
    where: string;
    step: any;
    job?: any;
}

/** Every step of every job, and of every local composite action, with where it is. */
function allSteps(): Located[] {
    const steps = Object.entries(workflows).flatMap(([file, wf]) =>
        Object.entries<any>(wf.jobs).flatMap(([id, job]) => (job.steps ?? []).map((step: any) => ({ where: `${file}/${id}`, step, job }))),
    );
    return [...steps, ...Object.entries(localActions).flatMap(([name, action]) => action.runs.steps.map((step: any) => ({ where: name, step })))];
}

/** Steps a job runs, with the steps of the local composite actions it uses inlined. */
function expandedSteps(job: any): any[] {
    return (job.steps ?? []).flatMap((step: any) => (localActions[step.uses] ? [step, ...localActions[step.uses].runs.steps] : [step]));
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

    test("one deploy job per stack, in the stack's GitHub environment, one at a time (shared with drift)", () => {
        const deployJobs = Object.keys(deploy.jobs).filter((id) => id.startsWith("deploy-"));
        expect(deployJobs).toEqual(PROMOTION_ORDER.map((s) => `deploy-${s}`));
        for (const row of table) {
            const job = deploy.jobs[`deploy-${row.stack}`];
            expect(job.environment).toBe(row.githubEnvironment);
            expect(job.concurrency).toEqual({ group: `pulumi-${row.stack}`, "cancel-in-progress": false });
            const up = job.steps.find((s: any) => s.uses === "./.github/actions/deploy-stack");
            expect(up.with).toEqual({ stack: row.stack, organization: "${{ vars.PULUMI_ORGANIZATION }}", "snowflake-private-key": "${{ secrets.SNOWFLAKE_PRIVATE_KEY }}" });
        }
        expect(deploy.jobs["deploy-prd"].environment).toBe("production");
        expect(drift.jobs.drift.concurrency).toEqual({ group: "pulumi-${{ matrix.stack }}", "cancel-in-progress": false });
    });

    test("every deploy job depends on the tests of its commit", () => {
        expect(deploy.jobs.test).toEqual({ uses: "./.github/workflows/ci.yml" });
        for (const stack of PROMOTION_ORDER) expect(deploy.jobs[`deploy-${stack}`].needs).toEqual(["route", "test"]);
        // ci.yml is callable and leaves the deploy branches to deploy.yml, so each push is tested once.
        expect(ci.on).toHaveProperty("workflow_call");
        expect([...ci.on.push["branches-ignore"]].sort()).toEqual([...deploy.on.push.branches].sort());
        expect(ci.on.push.branches).toBeUndefined();
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
        ["feature/team/topic", "dev"],
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

    test("the script prints the stack and its environments for $GITHUB_OUTPUT", () => {
        const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/stackForBranch.ts", "main", "--deploy"], { cwd: ROOT, encoding: "utf8" });
        expect(result.stdout).toBe("stack=prd\nenvironment=production\npreview-environment=preview-prd\n");
        expect(result.status).toBe(0);
    });

    test("pulumi up: the org/stack name, refresh with the program run, the stack's policy pack, the deploy identity", () => {
        const up = localActions["./.github/actions/deploy-stack"].runs.steps.find((s: any) => s.uses === "pulumi/actions@v7");
        expect(up.with).toEqual({
            command: "up",
            "stack-name": "${{ inputs.organization }}/${{ inputs.stack }}",
            "pulumi-version": "3.248.0",
            refresh: true,
            policyPacks: "policy",
            policyPackConfigs: "policy/config/${{ inputs.stack }}.json",
        });
        expect(up.env).toEqual({ SNOWFLAKE_PRIVATE_KEY: "${{ inputs.snowflake-private-key }}", SNOWFLAKE_MLOPS_IDENTITY: "deploy", PULUMI_RUN_PROGRAM: "true" });
        for (const stack of PROMOTION_ORDER) expect(fs.existsSync(path.join(ROOT, "policy", "config", `${stack}.json`))).toBe(true);
    });

    test("the task graph is held around `up` and released whatever happened (procedures are replaced)", () => {
        const steps: any[] = localActions["./.github/actions/deploy-stack"].runs.steps;
        const index = (pred: (s: any) => boolean) => steps.findIndex(pred);
        const pause = index((s) => s.run === "python .github/scripts/task_graph_hold.py pause");
        const up = index((s) => s.uses === "pulumi/actions@v7");
        const resume = index((s) => s.run === "python .github/scripts/task_graph_hold.py resume");
        const verify = index((s) => s.run === "python .github/scripts/verify_task_graph.py");
        expect(pause).toBeGreaterThan(-1);
        expect([pause < up, up < resume, resume < verify]).toEqual([true, true, true]);
        expect(steps[pause].id).toBe("hold");
        expect(steps[resume].if).toBe("${{ always() && steps.hold.outputs.was-started == 'true' && steps.declared.outputs.started == 'true' }}");
    });

    test("a fork never deploys", () => {
        expect(deploy.jobs.route.if).toBe("${{ !github.event.repository.fork }}");
        for (const stack of PROMOTION_ORDER) expect(deploy.jobs[`deploy-${stack}`].if).toContain("!github.event.repository.fork");
    });
});

describe("preview.yml", () => {
    const job = preview.jobs.preview;

    test("previews the stack of the pull request's base branch in its read-only environment", () => {
        expect(Object.keys(preview.on)).toEqual(["pull_request"]);
        const route = preview.jobs.route.steps.find((s: any) => s.id === "route");
        expect(route.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
        expect(route.run).toBe('npx ts-node --transpile-only tools/stackForBranch.ts "$BASE_REF" >> "$GITHUB_OUTPUT"');
        expect(job.needs).toBe("route");
        expect(job.environment).toBe("${{ needs.route.outputs.preview-environment }}");
        expect(job.env.STACK_REF).toBe("${{ vars.PULUMI_ORGANIZATION }}/${{ needs.route.outputs.stack }}");
        const step = job.steps.find((s: any) => s.id === "preview");
        expect(step.env).toEqual({ SNOWFLAKE_PRIVATE_KEY: "${{ secrets.SNOWFLAKE_PRIVATE_KEY }}", SNOWFLAKE_MLOPS_IDENTITY: "preview" });
        expect(step.run.replace(/\\\n\s*/g, "")).toContain('pulumi preview --stack "$STACK_REF" --non-interactive --diff --policy-pack policy --policy-pack-config "policy/config/${STACK}.json" 2>&1 | tee preview.log');
    });

    test("the result is commented on the pull request when the preview fails too, by a job that runs no PR code", () => {
        const comment = preview.jobs.comment;
        expect(comment.needs).toEqual(["route", "preview"]);
        expect(comment.if).toBe("${{ !cancelled() && needs.route.result == 'success' }}");
        expect(comment.permissions).toEqual({ "pull-requests": "write" });
        expect(comment.steps).toHaveLength(1);
        const step = comment.steps[0];
        expect(step.uses).toBeUndefined();
        expect(step.env).toMatchObject({ OUTCOME: "${{ needs.preview.outputs.outcome }}", LOG: "${{ needs.preview.outputs.log }}", GH_TOKEN: "${{ github.token }}" });
        expect(step.run).toContain('gh pr comment "$PR" --repo "$GITHUB_REPOSITORY" --body-file comment.md');
        expect(step.run).toContain("**failed** (exit code");
        expect(job.outputs).toEqual({ outcome: "${{ steps.preview.outcome }}", "exit-code": "${{ steps.preview.outputs.exit-code }}", log: "${{ steps.preview.outputs.log }}" });
        // The job that runs the pull request's code gets a token that only reads.
        expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    });

    test("the comment job renders success, failure and a preview that never ran", () => {
        const run = (env: Record<string, string>) => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "comment-"));
            fs.writeFileSync(path.join(dir, "gh"), `#!/usr/bin/env bash\necho "gh $*"\n`, { mode: 0o755 });
            const result = spawnSync("bash", ["-e", "-c", preview.jobs.comment.steps[0].run], {
                cwd: dir,
                encoding: "utf8",
                env: { PATH: `${dir}:${process.env.PATH}`, PR: "12", STACK: "prd", RUN_URL: "https://run", GITHUB_REPOSITORY: "example-org/snowflake-mlops", ...env },
            });
            expect(result.stdout).toBe("gh pr comment 12 --repo example-org/snowflake-mlops --body-file comment.md\n");
            return fs.readFileSync(path.join(dir, "comment.md"), "utf8");
        };
        const log = Buffer.from("Policy violation: `github-main-branch-protection`\n").toString("base64");
        expect(run({ RESULT: "failure", OUTCOME: "failure", EXIT_CODE: "255", LOG: log })).toContain("of stack `prd` **failed** (exit code 255)");
        expect(run({ RESULT: "failure", OUTCOME: "failure", EXIT_CODE: "255", LOG: log })).toContain("Policy violation: `github-main-branch-protection`");
        expect(run({ RESULT: "success", OUTCOME: "success", EXIT_CODE: "0", LOG: "" })).toContain("of stack `prd` succeeded");
        expect(run({ RESULT: "failure", OUTCOME: "", EXIT_CODE: "", LOG: "" })).toContain("**did not run** (job failure: setup or the backend login failed)");
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

    test("never runs for pull requests from forks, never with pull_request_target", () => {
        expect(job.if).toBe("${{ !github.event.pull_request.head.repo.fork }}");
        expect(preview.jobs.route.if).toBe("${{ !github.event.pull_request.head.repo.fork }}");
        for (const wf of Object.values(workflows)) expect(Object.keys(wf.on)).not.toContain("pull_request_target");
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

    test("ci.yml runs the README's command", () => {
        expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push", "workflow_call"]);
        expect(ci.jobs.test.steps.map((s: any) => s.run).filter(Boolean)).toEqual(["bash scripts/test.sh"]);
    });
});

describe("drift.yml", () => {
    const job = drift.jobs.drift;

    test("runs daily and on demand over all four stacks, each independently, in its preview environment", () => {
        expect(drift.on.schedule).toHaveLength(1);
        expect(drift.on).toHaveProperty("workflow_dispatch");
        expect(job.strategy.matrix.stack).toEqual([...PROMOTION_ORDER]);
        expect(job.strategy["fail-fast"]).toBe(false);
        expect(job.environment).toBe("preview-${{ matrix.stack }}");
        const refresh = job.steps.find((s: any) => s.id === "refresh");
        expect(refresh.run).toBe('bash .github/scripts/drift-check.sh "$STACK_REF"');
        expect(refresh.env).toEqual({
            SNOWFLAKE_PRIVATE_KEY: "${{ secrets.SNOWFLAKE_PRIVATE_KEY }}",
            SNOWFLAKE_MLOPS_IDENTITY: "preview",
            STACK_REF: "${{ vars.PULUMI_ORGANIZATION }}/${{ matrix.stack }}",
        });
    });

    test("only drift (exit code 7) opens or updates the stack's issue", () => {
        const report = job.steps.find((s: any) => s.name === "Open or update the drift issue");
        expect(report.if).toBe("${{ failure() && steps.refresh.outputs.result == 'drift' }}");
        expect(report.run).toContain('title="Drift detected in stack ${STACK}"');
        expect(report.run).toContain('gh issue comment "$number"');
        expect(report.run).toContain('gh issue create --repo "$GITHUB_REPOSITORY" --title "$title"');
    });

    describe("the drift step decides on the CLI's exit code", () => {
        /** Runs drift-check.sh with a `pulumi` on PATH that prints its arguments and exits with `code`. */
        function runWith(code: number) {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
            fs.writeFileSync(path.join(dir, "pulumi"), `#!/usr/bin/env bash\necho "pulumi $*"\nexit ${code}\n`, { mode: 0o755 });
            const output = path.join(dir, "github_output");
            fs.writeFileSync(output, "");
            const result = spawnSync("bash", [path.join(ROOT, ".github", "scripts", "drift-check.sh"), "example-org/prd"], {
                cwd: dir,
                encoding: "utf8",
                env: { PATH: `${dir}:${process.env.PATH}`, GITHUB_OUTPUT: output },
            });
            return { status: result.status, stdout: result.stdout, outputs: fs.readFileSync(output, "utf8") };
        }

        test.each([
            [0, "clean"],
            [7, "drift"],
            [1, "error"],
            [3, "error"],
            [6, "error"],
            [255, "error"],
        ])("exit code %i is %s", (code, result) => {
            const run = runWith(code);
            expect(run.outputs).toBe(`result=${result}\nexit-code=${code}\n`);
            expect(run.status).toBe(code);
            // Only what the preview role can read back, from the program's list (tools/driftTargets.ts).
            const targets = targetsFor("example-org/prd").map((urn) => `--target ${urn}`).join(" ");
            expect(targets).toContain("--target urn:pulumi:prd::snowflake-mlops::**snowflake:index/table:Table::**");
            expect(run.stdout).toContain(`pulumi refresh --stack example-org/prd ${targets} --preview-only --expect-no-changes --run-program --non-interactive --diff`);
            if (result === "error") expect(run.stdout).toContain(`::error::pulumi refresh of example-org/prd failed with exit code ${code}: the drift check did not run (not drift)`);
        });
    });
});

describe("credentials: each job reads only its own environment's", () => {
    /** Jobs that run Pulumi for a stack, with the environment expression and the stack they act on. */
    const pulumiJobs = Object.entries(workflows).flatMap(([file, wf]) =>
        Object.entries<any>(wf.jobs)
            .filter(([, job]) => expandedSteps(job).some((s) => s.uses?.startsWith("pulumi/actions") || /^\s*(pulumi (preview|up|refresh)\b|bash \.github\/scripts\/drift-check\.sh)/m.test(s.run ?? "")))
            .map(([id, job]) => ({ where: `${file}/${id}`, job })),
    );

    test("the Pulumi jobs are the deploy, preview and drift jobs", () => {
        expect(pulumiJobs.map((j) => j.where).sort()).toEqual(["deploy.yml/deploy-dev", "deploy.yml/deploy-prd", "deploy.yml/deploy-sit", "deploy.yml/deploy-uat", "drift.yml/drift", "preview.yml/preview"]);
    });

    test("every job runs for one stack in that stack's environment, declared by admin/github", async () => {
        const ev = await evaluatedAdmin();
        const declared = new Set(ev.resources.filter((r) => r.type === "github:index/repositoryEnvironment:RepositoryEnvironment").map((r) => r.inputs.environment));
        // The environment each job can run in, per stack (drift's matrix, preview's route).
        const environmentsOf = (where: string, job: any): [string, string][] => {
            if (where.startsWith("deploy.yml/")) {
                const stack = job.steps.find((s: any) => s.uses === "./.github/actions/deploy-stack").with.stack;
                expect(where).toBe(`deploy.yml/deploy-${stack}`);
                return [[stack, job.environment]];
            }
            if (where === "drift.yml/drift") return job.strategy.matrix.stack.map((s: string) => [s, job.environment.replace("${{ matrix.stack }}", s)]);
            // preview: the route prints the preview environment of the routed stack.
            return PROMOTION_ORDER.map((s) => [s, previewEnvironmentName(s)]);
        };
        for (const { where, job } of pulumiJobs) {
            for (const [stack, environment] of environmentsOf(where, job)) {
                expect([where, declared.has(environment)]).toEqual([where, true]);
                const row = table.find((r) => r.stack === stack)!;
                expect([where, stack, environment]).toEqual([where, stack, where.startsWith("deploy.yml/") ? row.githubEnvironment : previewEnvironmentName(stack)]);
            }
        }
    });

    test("a secret a job uses is one of its environment's declared secrets, never a repository secret", () => {
        const text = (x: unknown) => JSON.stringify(x);
        for (const [file, wf] of Object.entries(workflows)) {
            for (const [id, job] of Object.entries<any>(wf.jobs)) {
                const used = [...text(job).matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
                if (used.length === 0) continue;
                expect([`${file}/${id}`, typeof job.environment]).toEqual([`${file}/${id}`, "string"]);
                for (const name of used) expect([`${file}/${id}`, (ENVIRONMENT_SECRETS as readonly string[]).includes(name)]).toEqual([`${file}/${id}`, true]);
            }
        }
        // Local actions receive secrets as inputs only.
        for (const [name, action] of Object.entries(localActions)) expect([name, text(action).includes("secrets.")]).toEqual([name, false]);
    });

    test("every `vars.` a job reads is a variable its environment declares", async () => {
        const ev = await evaluatedAdmin();
        const variablesOf = (environment: string) =>
            new Set(ev.resources.filter((r) => r.type === "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable" && r.inputs.environment === environment).map((r) => r.inputs.variableName));
        for (const { where, job } of pulumiJobs) {
            const used = [...JSON.stringify(job).matchAll(/vars\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
            const environments = where.startsWith("deploy.yml/") ? [job.environment] : PROMOTION_ORDER.map(previewEnvironmentName);
            for (const environment of environments) for (const name of used) expect([where, environment, name, variablesOf(environment).has(name)]).toEqual([where, environment, name, true]);
        }
    });

    test("Pulumi steps get the backend login first, with id-token: write only in those jobs", () => {
        for (const [file, wf] of Object.entries(workflows)) {
            for (const [id, job] of Object.entries<any>(wf.jobs)) {
                const where = `${file}/${id}`;
                const runsPulumi = pulumiJobs.some((j) => j.where === where);
                expect([where, job.permissions?.["id-token"]]).toEqual([where, runsPulumi ? "write" : undefined]);
                if (!runsPulumi) continue;
                const steps: any[] = job.steps;
                const setup = steps.findIndex((s) => s.uses === "./.github/actions/pulumi-setup");
                const firstPulumi = steps.findIndex((s) => s.uses === "./.github/actions/deploy-stack" || /\bpulumi |drift-check/.test(s.run ?? ""));
                expect([where, setup > -1 && setup < firstPulumi]).toEqual([where, true]);
                expect(steps[setup].with).toEqual({ "backend-url": "${{ vars.PULUMI_BACKEND_URL }}", organization: "${{ vars.PULUMI_ORGANIZATION }}", team: "${{ vars.PULUMI_TEAM }}" });
            }
        }
        const setup = localActions["./.github/actions/pulumi-setup"].runs.steps;
        expect(setup[setup.length - 1].run).toBe("bash .github/scripts/pulumi-login.sh");
    });

    test("the backend login fails the job at once without OIDC or the environment's variables", () => {
        const run = (env: Record<string, string>) =>
            spawnSync("bash", [path.join(ROOT, ".github", "scripts", "pulumi-login.sh")], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });
        const noVars = run({});
        expect(noVars.status).toBe(1);
        expect(noVars.stdout).toContain("::error::PULUMI_BACKEND_URL is not set");
        const noOidc = run({ PULUMI_BACKEND_URL: "https://api.pulumi.com", PULUMI_ORGANIZATION: "example-org", PULUMI_TEAM: "t" });
        expect(noOidc.status).toBe(1);
        expect(noOidc.stdout).toContain("::error::No OIDC token available: the job needs 'permissions: id-token: write'");
    });

    test("every checkout leaves no credentials behind", () => {
        const checkouts = allSteps().filter(({ step }) => step.uses?.startsWith("actions/checkout"));
        expect(checkouts.length).toBeGreaterThan(0);
        for (const { where, step } of checkouts) expect([where, step.with?.["persist-credentials"]]).toEqual([where, false]);
    });

    test("no GitHub administration token anywhere in the workflows", () => {
        for (const { where, step } of allSteps()) expect([where, JSON.stringify(step).includes("GOVERNANCE_GITHUB_TOKEN") || "GITHUB_TOKEN" in (step.env ?? {})]).toEqual([where, false]);
    });
});

describe("actions: inputs and runtimes", () => {
    /**
     * The supported major of every third-party action, and why. A `uses:` of another major, or
     * of an action not listed, fails; so does a listed major whose action.yml does not run on
     * node24 (GitHub removes Node 20 from the runners in 2026).
     */
    const SUPPORTED: Record<string, { major: string; reason: string }> = {
        "actions/checkout": { major: "v7", reason: "current major, node24; v7 also refuses fork PR code under pull_request_target" },
        "actions/setup-node": { major: "v7", reason: "current major, node24 (v4 ran on node20)" },
        "actions/setup-python": { major: "v7", reason: "current major, node24 (v5 ran on node20)" },
        "pulumi/actions": { major: "v7", reason: "current major, node24 drop-in for v6 (CHANGELOG 7.0.0: runtime only)" },
    };

    test("every uses: names a supported major, whose action.yml runs on node24", () => {
        const used = allSteps().filter(({ step }) => step.uses && !step.uses.startsWith("./"));
        expect(used.length).toBeGreaterThan(0);
        for (const { where, step } of used) {
            const [action, ref] = step.uses.split("@");
            expect([where, action, ref]).toEqual([where, action, SUPPORTED[action]?.major]);
        }
        for (const [action, { major }] of Object.entries(SUPPORTED)) {
            expect([action, ACTION_DATA[action].major, ACTION_DATA[action].runsUsing]).toEqual([action, major, "node24"]);
            expect(ACTION_DATA[action].source).toBe(`https://github.com/${action}/blob/${ACTION_DATA[action].commit}/action.yml`);
        }
    });

    /** Problems of one `with:` against the action's inputs (unknown keys, missing required inputs). */
    function inputProblems(where: string, uses: string, given: Record<string, unknown> | undefined): string[] {
        const inputs = localActions[uses]
            ? Object.fromEntries(Object.entries<any>(localActions[uses].inputs ?? {}).map(([k, v]) => [k, { required: v.required === true }]))
            : ACTION_DATA[uses.split("@")[0]]?.inputs;
        if (!inputs) return [`${where}: ${uses} has no known inputs`];
        const keys = Object.keys(given ?? {});
        return [
            ...keys.filter((k) => !(k in inputs)).map((k) => `${where}: ${uses} has no input ${k}`),
            ...Object.entries(inputs)
                .filter(([k, v]) => v.required && !keys.includes(k))
                .map(([k]) => `${where}: ${uses} needs ${k}`),
        ];
    }

    test("every with: key is an input of the action, and every required input is given", () => {
        const problems = allSteps()
            .filter(({ step }) => step.uses)
            .flatMap(({ where, step }) => inputProblems(where, step.uses, step.with));
        expect(problems).toEqual([]);
    });

    test("a typo inside a composite action is caught", () => {
        const step = localActions["./.github/actions/deploy-stack"].runs.steps.find((s: any) => s.uses === "pulumi/actions@v7");
        const typo = { ...step.with, policyPack: step.with.policyPacks };
        delete typo.policyPacks;
        expect(inputProblems("deploy-stack", step.uses, typo)).toEqual(["deploy-stack: pulumi/actions@v7 has no input policyPack"]);
        expect(inputProblems("deploy.yml", "./.github/actions/deploy-stack", { stack: "dev" })).toEqual([
            "deploy.yml: ./.github/actions/deploy-stack needs organization",
            "deploy.yml: ./.github/actions/deploy-stack needs snowflake-private-key",
        ]);
    });

    test("the Pulumi CLI is pinned to the SDK's version everywhere", () => {
        const sdk = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
        const pulumiSteps = allSteps().filter(({ step }) => step.uses === "pulumi/actions@v7");
        expect(pulumiSteps.map(({ where }) => where).sort()).toEqual(["./.github/actions/deploy-stack", "./.github/actions/pulumi-setup"]);
        for (const { step } of pulumiSteps) expect(String(step.with["pulumi-version"])).toBe(sdk);
    });

    test("Node 24 from .nvmrc, within the pinned SDK's engines; Python from .python-version", () => {
        expect(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim()).toBe("24");
        // @pulumi/pulumi 3.248.0 declares node >=20 (and pulumi's CI tests 22, 24, 25, 26).
        expect(JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).engines).toEqual({ node: ">=20" });
        expect(fs.readFileSync(path.join(ROOT, ".python-version"), "utf8").trim()).toBe("3.11");
        for (const { step } of allSteps()) {
            if (step.uses?.startsWith("actions/setup-node")) expect(step.with["node-version-file"]).toBe(".nvmrc");
            if (step.uses?.startsWith("actions/setup-python")) expect(step.with["python-version-file"]).toBe(".python-version");
        }
    });
});

describe("permissions", () => {
    test("workflows default to read-only contents", () => {
        for (const wf of Object.values(workflows)) expect(wf.permissions).toEqual({ contents: "read" });
    });

    test("write access only where a comment, an issue or an OIDC token is written", () => {
        const writes = Object.entries(workflows).flatMap(([file, wf]) =>
            Object.entries<any>(wf.jobs).flatMap(([id, job]) => {
                if (typeof job.permissions === "string") return [`${file}/${id}: ${job.permissions}`];
                return Object.entries(job.permissions ?? {})
                    .filter(([, level]) => level === "write")
                    .map(([scope]) => `${file}/${id}: ${scope}`);
            }),
        );
        expect(writes.sort()).toEqual([
            ...PROMOTION_ORDER.map((s) => `deploy.yml/deploy-${s}: id-token`).sort(),
            "drift.yml/drift: id-token",
            "drift.yml/drift: issues",
            "preview.yml/comment: pull-requests",
            "preview.yml/preview: id-token",
        ]);
    });
});

describe("CODEOWNERS", () => {
    const owners = new Set(PROMOTION_ORDER.map((s) => String(readStackFile(s)["snowflake-mlops:githubOwner"])));
    const rules = fs
        .readFileSync(path.join(ROOT, ".github", "CODEOWNERS"), "utf8")
        .split("\n")
        .filter((l) => l.trim() && !l.startsWith("#"))
        .map((l) => l.trim().split(/\s+/));

    /** Anchored CODEOWNERS patterns: `/dir/` (everything below) or `/file` with `*` within a name. */
    const covers = (pattern: string, file: string) => {
        if (pattern.endsWith("/")) return `/${file}`.startsWith(pattern);
        const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
        return re.test(`/${file}`);
    };

    test("every rule is anchored and names the owner's platform team", () => {
        expect([...owners]).toEqual(["example-org"]);
        for (const [pattern, ...team] of rules) expect([pattern.startsWith("/"), team]).toEqual([true, ["@example-org/ml-platform"]]);
    });

    test("every tracked file whose code runs in CI or prd has an owner (only docs are free)", () => {
        const files = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
        const unowned = files.filter((f) => !/\.md$/.test(f) && !f.startsWith("docs/") && !rules.some(([p]) => covers(p, f)));
        expect(unowned).toEqual([]);
        for (const required of ["/scripts/", "/tools/", "/ml/", "/package.json", "/package-lock.json", "/bootstrap/", "/policy/", "/.github/", "/infra/", "/stacks/", "/admin/"]) {
            expect(rules.map(([p]) => p)).toContain(required);
        }
    });
});
