/**
 * `npm run plan -- --import <stack>`: the bulk-import file of every environment stack and of
 * admin/github (`--import github`) is a file `pulumi import --file` accepts, names every
 * adoptable resource once with the provider's import ID, and puts each resource at the URN
 * the program registers it under. The environment stacks' files hold only Snowflake
 * resources; the GitHub objects of the original are in admin/github's.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../tools/plan/cli";
import { adoptionReport, AdoptionReport, githubAdoptionReport } from "../tools/adopt/compare";
import { buildImportFile, ImportFile } from "../tools/adopt/importFile";
import { Evaluation } from "../tools/evaluate";
import { evaluated, stackValue, STACKS } from "./support/stacks";
import { evaluatedAdmin } from "./support/adminGithub";

/**
 * Import ID format per resource type, as each provider documents and parses it. Written
 * here independently of tools/adopt/importIds.ts, which must produce IDs these accept.
 */
const Q = '"[A-Z0-9_$]+"';
const PRIVS = "(ALL|[A-Z ]+(,[A-Z ]+)*)";
const ID_FORMATS: Record<string, { format: RegExp; source: string }> = {
    "snowflake:index/warehouse:Warehouse": { format: new RegExp(`^${Q}$`), source: "terraform-provider-snowflake v1.2.1 docs/resources/warehouse.md: '\"<warehouse_name>\"'" },
    "snowflake:index/database:Database": { format: new RegExp(`^${Q}$`), source: "v1.2.1 docs/resources/database.md: '\"<database_name>\"'" },
    "snowflake:index/schema:Schema": { format: new RegExp(`^${Q}\\.${Q}$`), source: "v1.2.1 docs/resources/schema.md: '\"<database_name>\".\"<schema_name>\"'" },
    "snowflake:index/table:Table": { format: /^[A-Z0-9_]+\|[A-Z0-9_]+\|[A-Z0-9_]+$/, source: "v1.2.1 docs/resources/table.md: 'databaseName|schemaName|tableName' (helpers.DecodeSnowflakeID splits on |, no unquoting)" },
    "snowflake:index/stage:Stage": { format: /^[A-Z0-9_]+\|[A-Z0-9_]+\|[A-Z0-9_]+$/, source: "v1.2.1 docs/resources/stage.md: 'dbName|schemaName|stageName'" },
    "snowflake:index/view:View": { format: new RegExp(`^${Q}\\.${Q}\\.${Q}$`), source: "v1.2.1 docs/resources/view.md: '\"<database_name>\".\"<schema_name>\".\"<view_name>\"'" },
    "snowflake:index/task:Task": { format: new RegExp(`^${Q}\\.${Q}\\.${Q}$`), source: "v1.2.1 docs/resources/task.md: '\"<database_name>\".\"<schema_name>\".\"<task_name>\"'" },
    "snowflake:index/accountRole:AccountRole": { format: new RegExp(`^${Q}$`), source: "v1.2.1 docs/resources/account_role.md: '\"<account_role_name>\"'" },
    "snowflake:index/grantAccountRole:GrantAccountRole": { format: new RegExp(`^${Q}\\|(ROLE|USER)\\|${Q}$`), source: "v1.2.1 docs/resources/grant_account_role.md: '\"test_role\"|ROLE|\"test_parent_role\"'" },
    "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole": {
        format: new RegExp(
            `^${Q}\\|(true|false)\\|(true|false)\\|${PRIVS}\\|` +
                `(OnAccount|OnAccountObject\\|[A-Z ]+\\|${Q}|OnSchema\\|OnSchema\\|${Q}\\.${Q}|OnSchemaObject\\|OnObject\\|[A-Z ]+\\|${Q}\\.${Q}\\.${Q}|OnSchemaObject\\|(OnAll|OnFuture)\\|[A-Z ]+\\|(InSchema\\|${Q}\\.${Q}|InDatabase\\|${Q}))$`,
        ),
        source: "v1.2.1 docs/resources/grant_privileges_to_account_role.md: '<account_role_name>|<with_grant_option>|<always_apply>|<privileges>|<grant_type>|<grant_data>'",
    },
    "snowflake:index/tag:Tag": { format: new RegExp(`^${Q}\\.${Q}\\.${Q}$`), source: "v1.2.1 docs/resources/tag.md" },
    "snowflake:index/dynamicTable:DynamicTable": { format: /^[A-Z0-9_$]+\|[A-Z0-9_]+\|[A-Z0-9_$]+$/, source: "v1.2.1 docs/resources/dynamic_table.md: \"mydb|myschema|product\"" },
    "github:index/branchProtection:BranchProtection": { format: /^[\w.-]+:[^:]+$/, source: "terraform-provider-github v6.13.0 docs/resources/branch_protection.md: repository:pattern" },
    "github:index/repositoryEnvironment:RepositoryEnvironment": { format: /^[\w.-]+:[^:]+$/, source: "v6.13.0 docs/resources/repository_environment.md: myrepo:myenv" },
    "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": { format: /^[\w.-]+:[^:]+:\d+$/, source: "v6.13.0 docs/resources/repository_environment_deployment_policy.md: myrepo:myenv:123456" },
    "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": { format: /^[\w.-]+:[^:]+:[A-Z0-9_]+$/, source: "v6.13.0 docs/resources/actions_environment_secret.md: myrepo:myenv:mysecret" },
    "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": { format: /^[\w.-]+:[^:]+:[A-Z0-9_]+$/, source: "v6.13.0 docs/resources/actions_environment_variable.md: myrepo:myenv:myvariable" },
};

const PROJECTS: Record<string, string> = { github: "snowflake-mlops-github", dev: "snowflake-mlops", sit: "snowflake-mlops", uat: "snowflake-mlops", prd: "snowflake-mlops" };
const IMPORTED_STACKS = ["github", ...STACKS];

/**
 * What `pulumi import --file` does with the file before importing (pulumi/pulumi v3.248.0
 * pkg/cmd/pulumi/operations/import.go parseImportFile): every entry has a type and a name,
 * custom resources an id and components none; names are unique; a parent is another entry
 * or a nameTable entry; a provider is a nameTable entry; the URN is
 * resource.NewURN(stack, project, parent's qualified type, type, logicalName).
 * Returns the URN of every entry.
 */
function parseLikePulumi(file: ImportFile, stack: string): Map<string, string> {
    const PROJECT = PROJECTS[stack];
    expect(Object.keys(file).sort()).toEqual(expect.arrayContaining(["nameTable", "resources"]));
    const names = file.resources.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    const urns = new Map<string, string>();
    const qualifiedType = (urn: string) => urn.split("::")[2];
    for (const spec of file.resources) {
        expect(typeof spec.type).toBe("string");
        expect(spec.name).toBeTruthy();
        if (spec.component) expect(spec.id).toBeUndefined();
        else expect(spec.id).toBeTruthy();
        if (spec.version !== undefined) expect(spec.version).toMatch(/^\d+\.\d+\.\d+$/);
        let parentType = "";
        if (spec.parent) {
            const parentUrn = file.nameTable[spec.parent] ?? urns.get(spec.parent);
            // Entries are written parents first, so a parent's URN is known here.
            expect(parentUrn).toBeDefined();
            parentType = qualifiedType(parentUrn!);
        }
        if (spec.provider) {
            const providerUrn = file.nameTable[spec.provider];
            expect(providerUrn).toMatch(new RegExp(`^urn:pulumi:${stack}::${PROJECT}::pulumi:providers:(snowflake|github)::`));
            expect(names).not.toContain(spec.provider);
        }
        const type = parentType ? `${parentType}$${spec.type}` : spec.type;
        const urn = `urn:pulumi:${stack}::${PROJECT}::${type}::${spec.logicalName ?? spec.name}`;
        expect([...urns.values()]).not.toContain(urn);
        urns.set(spec.name, urn);
    }
    return urns;
}

interface Built {
    ev: Evaluation;
    report: AdoptionReport;
    file: ImportFile;
    notes: string[];
}

const built = new Map<string, Promise<Built>>();
function build(stack: string): Promise<Built> {
    if (!built.has(stack)) {
        const repository = stackValue("prd", "githubRepository");
        built.set(
            stack,
            (stack === "github" ? evaluatedAdmin() : evaluated(stack)).then((ev) => {
                const report = stack === "github" ? githubAdoptionReport(ev, repository, { deploymentPolicyIds: { "production:main": "4242" } }) : adoptionReport(ev, stackValue(stack, "githubRepository"));
                // A JSON round trip: the file is read back as JSON by the CLI.
                const { file, notes } = buildImportFile(ev, report);
                return { ev, report, file: JSON.parse(JSON.stringify(file)), notes };
            }),
        );
    }
    return built.get(stack)!;
}

describe.each(IMPORTED_STACKS)("import file of %s", (stack) => {
    test("parses as Pulumi's import format, and every entry lands at the URN the program registers", async () => {
        const { ev, file } = await build(stack);
        const urns = parseLikePulumi(file, stack);
        const programUrns = new Set(ev.resources.map((r) => r.urn));
        for (const [name, urn] of urns) {
            if (!programUrns.has(urn)) throw new Error(`${name}: the import would create ${urn}, which the program does not register`);
        }
        // Each resource is imported through the provider the program gives it.
        for (const spec of file.resources.filter((r) => !r.component)) {
            const r = ev.resources.find((x) => x.urn === urns.get(spec.name))!;
            expect(file.nameTable[spec.provider!]).toBe(r.provider);
        }
    });

    test("names every adoptable resource once, and nothing else", async () => {
        const { file, report } = await build(stack);
        const imported = file.resources.filter((r) => !r.component).map((r) => `${r.type} ${r.id}`);
        expect(new Set(imported).size).toBe(imported.length);
        const adoptable = report.adopted.filter((a) => a.importId !== undefined).map((a) => `${a.resource.type} ${a.importId}`);
        expect(imported.sort()).toEqual(adoptable.sort());
        const ids = new Set(file.resources.map((r) => r.id));
        if (stack === "github") {
            // The hand-made production environment and its main policy; every type is GitHub's.
            expect(file.resources.filter((r) => !r.component && !r.type.startsWith("github:"))).toEqual([]);
            expect(ids).toContain("snowflake-mlops:production");
            expect(ids).toContain("snowflake-mlops:production:4242");
            return;
        }
        // An environment stack's file holds Snowflake resources only.
        expect(file.resources.filter((r) => !r.component && !r.type.startsWith("snowflake:"))).toEqual([]);
        // Whatever the program calls them, the objects every original environment holds are adopted.
        const env = stack.toUpperCase();
        for (const id of [
            `"${env}_RAW_DB"`,
            `"${env}_ML_DB"`,
            `"${env}_RAW_DB"."PUBLIC"`,
            `"${env}_ML_DB"."PIPELINES"`,
            `"${env}_ML_DB"."FEATURES"`,
            `"${env}_ML_DB"."OUTPUT"`,
            `${env}_RAW_DB|PUBLIC|CUSTOMERS`,
            `${env}_ML_DB|OUTPUT|PREDICTIONS`,
            `${env}_ML_DB|PIPELINES|ML_CODE_STAGE`,
            `${env}_ML_DB|PIPELINES|MODELS_STAGE`,
            `"${env}_ML_DB"."PIPELINES"."ML_RETRAINING_PIPELINE"`,
        ]) {
            expect(ids).toContain(id);
        }
    });

    test("each ID has the provider's import format for its type", async () => {
        const { file } = await build(stack);
        for (const spec of file.resources.filter((r) => !r.component)) {
            const format = ID_FORMATS[spec.type];
            if (!format) throw new Error(`no import format known for ${spec.type} (${spec.name}): add it with its source`);
            if (!format.format.test(spec.id!)) throw new Error(`${spec.name}: ID ${spec.id} does not match ${format.source}`);
            expect(spec.version).toBe(spec.type.startsWith("snowflake:") ? "1.3.0" : "6.15.0");
        }
    });

    test("providers are described by the program's inputs, secrets left to the environment", async () => {
        const { file, ev, notes } = await build(stack);
        for (const [name, urn] of Object.entries(file.nameTable)) {
            const provider = ev.resources.find((r) => r.urn === urn)!;
            const inputs = file.providerInputs![name];
            expect(inputs.role ?? inputs.owner).toBe(provider.inputs.role ?? provider.inputs.owner);
            expect(JSON.stringify(inputs)).not.toContain("4dabf18193072939515e22adb298388d");
            for (const [key, value] of Object.entries(provider.inputs)) {
                if (value !== null && typeof value === "object") expect(notes.join("\n")).toContain(`provider ${name}: secret input "${key}"`);
                else expect(inputs[key]).toEqual(value);
            }
        }
    });
});

test("the grant IDs are exactly the provider's: quoted role and target, the program's privileges", async () => {
    const { file } = await build("dev");
    const ids = file.resources.map((r) => r.id);
    expect(ids).toContain('"ML_DEV_ROLE"|false|false|USAGE,OPERATE,MONITOR|OnAccountObject|WAREHOUSE|"DEV_WH_XS"');
    expect(ids).toContain('"ML_DEV_ROLE"|false|false|SELECT|OnSchemaObject|OnFuture|TABLES|InSchema|"DEV_RAW_DB"."PUBLIC"');
    expect(ids).toContain('"ML_DEV_ROLE"|false|false|ALL|OnSchema|OnSchema|"DEV_ML_DB"."PIPELINES"');
});

test("a deployment-branch policy is imported only with its GitHub id", async () => {
    const ev = await evaluatedAdmin();
    const without = githubAdoptionReport(ev, stackValue("prd", "githubRepository"));
    const policy = without.adopted.find((a) => a.resource.type.endsWith("RepositoryEnvironmentDeploymentPolicy"))!;
    expect(policy.resource.name).toBe("prd-deploy-branch-policy");
    expect(policy.importId).toBeUndefined();
    expect(policy.note).toContain("--github-policy-id");
    expect(buildImportFile(ev, without).file.resources.map((r) => r.type)).not.toContain(policy.resource.type);
    const { file } = await build("github");
    expect(file.resources.find((r) => r.type === policy.resource.type)?.id).toBe("snowflake-mlops:production:4242");
});

describe("npm run plan -- --import", () => {
    test("writes the file and prints the report", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adopt-")), "dev.json");
        const text = await main(["--import", "dev", "--out", out]);
        const file = JSON.parse(fs.readFileSync(out, "utf8")) as ImportFile;
        expect(text).toContain("Adoption of the original DEV environment by stack dev:");
        expect(text).toContain(`Wrote ${out}: ${file.resources.filter((r) => !r.component).length} resources to import`);
        expect(text).toMatch(/Left behind: .*\n(.*\n)*.*DEV_ML_DB\.PIPELINES\.ML_RETRAINING_PIPELINE\$TASK_FEATURE_ENG/);
    });

    test("--import github writes admin/github's file, to be imported in admin/github", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adopt-")), "github.json");
        const text = await main(["--import", "github", "--out", out, "--github-policy-id", "production:main=4242"]);
        const file = JSON.parse(fs.readFileSync(out, "utf8")) as ImportFile;
        expect(file).toEqual((await build("github")).file);
        expect(text).toContain("Adoption of the original system's GitHub settings (every environment) by admin/github, stack github:");
        expect(text).toContain(`Wrote ${out}: 2 resources to import (cd admin/github && pulumi import --file ${out} --stack github).`);
    });

    test("--exclude leaves an adopted resource to the first pulumi up; an unknown name is refused", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-"));
        const before = (await build("github")).file.resources.map((r) => r.name);
        expect(before).toContain("prd-deploy-environment");
        await main(["--import", "github", "--out", path.join(dir, "a.json"), "--exclude", "prd-deploy-environment"]);
        const file = JSON.parse(fs.readFileSync(path.join(dir, "a.json"), "utf8")) as ImportFile;
        expect(file.resources.map((r) => r.name)).not.toContain("prd-deploy-environment");
        // Gone with it: the policy (no --github-policy-id here) and their component, now empty.
        expect(before.filter((n) => !file.resources.some((r) => r.name === n)).sort()).toEqual(["prd-deploy", "prd-deploy-branch-policy", "prd-deploy-environment"]);
        await expect(main(["--import", "github", "--out", path.join(dir, "b.json"), "--exclude", "no-such"])).rejects.toThrow(/--exclude no-such: not an adopted resource of github; allowed: .*prd-deploy-environment/);
        await expect(main(["--import", "prd", "--out", path.join(dir, "c.json"), "--exclude", "prd-deploy-environment"])).rejects.toThrow(/--exclude prd-deploy-environment: not an adopted resource of prd/);
    });

    test("bad arguments name what is allowed", async () => {
        await expect(main(["--import"])).rejects.toThrow(/usage: npm run plan -- --import <stack>/);
        await expect(main(["--import", "qa"])).rejects.toThrow('Unknown stack "qa"');
        await expect(main(["--import", "github", "--github-policy-id", "main"])).rejects.toThrow("expected <environment>:<pattern>=<numeric id>");
        await expect(main(["--import", "prd", "--github-policy-id", "production:main=1"])).rejects.toThrow("--github-policy-id: only with --import github (stack prd declares no GitHub resource");
        await expect(main(["--import", "prd", "--frobnicate", "x"])).rejects.toThrow("Unknown option --frobnicate");
    });
});
