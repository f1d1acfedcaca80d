/**
 * Evaluates the real Pulumi program for one stack without the CLI or any cloud account:
 * the SDK's mocks stand in for the engine, the stack's real Pulumi.<stack>.yaml is the
 * configuration, and every resource registration is recorded with the options the engine
 * would see (parent, dependencies, provider, protect, retainOnDelete).
 *
 * The offline plan, the unit tests, the policy-pack run and the SQL checks all use this.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, REPO_ROOT, readProjectFile } from "./stackConfig";
import { readBootstrap } from "./bootstrap/account";
import { freshAccountCall, SnowflakeCall } from "./bootstrap/mockAccount";
import { environmentNames } from "../infra/snowflake/names";

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** True for provider-managed resources, false for components. */
    custom: boolean;
    inputs: Record<string, any>;
    /** URN of the parent, undefined for children of the stack. */
    parent?: string;
    /** URNs this resource waits for (explicit dependsOn and inputs taken from other resources). */
    dependencies: string[];
    /** URN of the explicit provider, if any. */
    provider?: string;
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
}

export interface CallRecord {
    token: string;
    inputs: Record<string, any>;
}

export interface EvaluateOptions {
    /** Config overrides (`key` or `project:key`); `undefined` deletes a key. */
    overrides?: Record<string, unknown>;
    /**
     * Value given to secret keys that the stack file cannot hold in clear text (they are
     * encrypted per stack by the CLI). Defaults to a placeholder; `null` leaves them unset.
     */
    secretPlaceholder?: string | null;
    /** Answers provider function calls (e.g. github:index/getUser:getUser). */
    call?: (token: string, inputs: Record<string, any>) => Record<string, any>;
    /**
     * Answers Snowflake data sources, given the role of the provider they are read through.
     * Defaults to the account every deploy after the first meets: the stack's bootstrap has
     * run, the stack's warehouse exists (owned by the deploy role) and the bootstrap's monitor
     * file has been run again to cap it (tools/bootstrap/mockAccount.ts). The first preview
     * on a fresh account is tested in test/costControl.test.ts.
     */
    snowflakeCall?: SnowflakeCall;
    /**
     * The job's environment the program sees (SNOWFLAKE_MLOPS_IDENTITY, ...). Defaults to an
     * empty one, so a variable in the developer's shell never changes what a test sees.
     */
    environment?: Record<string, string | undefined>;
    /** Evaluate as `pulumi preview` (a dry run: outputs of other resources stay unknown). */
    preview?: boolean;
    /** Repository root holding Pulumi.yaml and the stack files. */
    root?: string;
    /** Another program to evaluate instead of the stack's (admin/github), with its project and full config. */
    program?: { project: string; config: Record<string, string>; run: () => void };
}

export interface Evaluation {
    stack: string;
    resources: RecordedResource[];
    calls: CallRecord[];
}

export const SECRET_PLACEHOLDER = "<secret: set with pulumi config set --secret>";

/** Computed outputs the real providers return and the program relies on. */
function computedOutputs(type: string, inputs: Record<string, any>): Record<string, any> {
    const q = (s: string) => `"${s}"`;
    if (!type.startsWith("snowflake:")) return {};
    const name = inputs.name;
    if (type === "snowflake:index/database:Database" || type === "snowflake:index/warehouse:Warehouse" || type === "snowflake:index/accountRole:AccountRole") {
        return { fullyQualifiedName: q(name) };
    }
    if (type === "snowflake:index/schema:Schema") return { fullyQualifiedName: `${q(inputs.database)}.${q(name)}` };
    if (type === "snowflake:index/procedurePython:ProcedurePython") {
        const argTypes = (inputs.arguments ?? []).map((a: any) => a.argDataType).join(", ");
        return { fullyQualifiedName: `${q(inputs.database)}.${q(inputs.schema)}.${q(name)}(${argTypes})` };
    }
    if (inputs.database && inputs.schema && name) {
        return { fullyQualifiedName: `${q(inputs.database)}.${q(inputs.schema)}.${q(name)}` };
    }
    if (name) return { fullyQualifiedName: q(name) };
    return {};
}

/** A deterministic numeric id for names (GitHub users and teams) under mocks. */
export function mockNumericId(name: string): number {
    let h = 0;
    for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 1_000_000_007;
    return 1000 + (h % 9_000_000);
}

export function defaultCall(token: string, inputs: Record<string, any>): Record<string, any> {
    if (token === "github:index/getUser:getUser") {
        return { id: String(mockNumericId(inputs.username)), nodeId: `U_${inputs.username}`, login: inputs.username, username: inputs.username };
    }
    if (token === "github:index/getTeam:getTeam") {
        return { id: String(mockNumericId(inputs.slug)), nodeId: `T_${inputs.slug}`, slug: inputs.slug, name: inputs.slug };
    }
    return {};
}

/**
 * Runs the program of `stack` under mocks and returns every registered resource.
 * Rejects with the program's error (for example a ConfigError) if it throws.
 */
export async function evaluateStack(stack: string, options: EvaluateOptions = {}): Promise<Evaluation> {
    // The SDK records a stack trace for every promise it creates (runtime/debuggable.js);
    // formatting them through ts-node's or Jest's source maps cost most of an evaluation.
    // Errors of the program are reported by message, so no frames are kept meanwhile.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await evaluate(stack, options);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
}

async function evaluate(stack: string, options: EvaluateOptions): Promise<Evaluation> {
    const root = options.root ?? REPO_ROOT;
    const project = options.program?.project ?? readProjectFile(root).name;
    const { values, secretKeys } = options.program ? { values: { ...options.program.config }, secretKeys: [] } : loadStackConfig(stack, options.overrides ?? {}, root);
    const placeholder = options.secretPlaceholder === undefined ? SECRET_PLACEHOLDER : options.secretPlaceholder;
    if (placeholder !== null) {
        for (const key of secretKeys) if (!(key in values) && !(key in (options.overrides ?? {}))) values[key] = placeholder;
    }

    const resources: RecordedResource[] = [];
    const calls: CallRecord[] = [];
    const call = options.call ?? defaultCall;
    // Another program (admin/github) reads nothing from Snowflake; the environment stacks meet
    // the account every deploy after the first meets: both stack warehouses exist and are capped.
    const deployRole = values[`${project}:snowflakeDeployRole`];
    const snowflakeCall: SnowflakeCall =
        options.snowflakeCall ??
        (options.program
            ? (token) => {
                  throw new Error(`${options.program!.project} reads no Snowflake data source, but called ${token}`);
              }
            : freshAccountCall(readBootstrap(stack, root), [
                  { name: values[`${project}:warehouseName`], owner: deployRole },
                  { name: environmentNames(values[`${project}:env`]).alertWarehouse, owner: deployRole },
              ]));
    const providerRole = (ref: string | undefined) => {
        const urn = ref ? ref.split("::").slice(0, -1).join("::") : undefined;
        return resources.find((r) => r.urn === urn)?.inputs.role as string | undefined;
    };

    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({
                id: `${args.name}-id`,
                state: { ...args.inputs, ...computedOutputs(args.type, args.inputs) },
            }),
            call: (args) => {
                calls.push({ token: args.token, inputs: args.inputs });
                if (args.token.startsWith("snowflake:")) return snowflakeCall(args.token, args.inputs, providerRole(args.provider));
                return call(args.token, args.inputs);
            },
        },
        project,
        stack,
        // By default not a preview: outputs resolve, as in `pulumi up`, so apply() callbacks run.
        options.preview === true,
    );
    // setAllConfig replaces the whole map (setConfig would leak keys from the previous stack).
    pulumi.runtime.setAllConfig(values, secretKeys);

    // Record what the engine would receive: the mock monitor only forwards type, name and
    // inputs to `newResource`, so wrap it to keep parent, dependencies and options.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal SDK modules have no typed export
    const settings = require("@pulumi/pulumi/runtime/settings");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal SDK modules have no typed export
    const { deserializeProperties } = require("@pulumi/pulumi/runtime/rpc");
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    const pending: Promise<void>[] = [];
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        pending.push(
            new Promise<void>((resolve) => {
                register(req, (err: any, resp: any) => {
                    if (!err) {
                        resources.push({
                            urn: resp.getUrn(),
                            type: req.getType(),
                            name: req.getName(),
                            custom: req.getCustom(),
                            inputs: deserializeProperties(req.getObject()),
                            parent: req.getParent() || undefined,
                            dependencies: req.getDependenciesList(),
                            provider: req.getProvider() ? req.getProvider().split("::").slice(0, -1).join("::") : undefined,
                            protect: req.getProtect() === true,
                            retainOnDelete: req.getRetainondelete() === true,
                            deleteBeforeReplace: req.getDeletebeforereplace() === true,
                        });
                    }
                    callback(err, resp);
                    resolve();
                });
            }),
        );
    };

    let programError: unknown;
    try {
        // Loaded by path so that `options.root` can point at another copy of the repository.
        if (options.program) options.program.run();
        else {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path chosen at run time
            const program = require(path.join(root, "stacks", "program"));
            // The program awaits the checks it reads from Snowflake before declaring the rest.
            await program.declareStack(stack, options.environment ?? {});
        }
    } catch (err) {
        programError = err;
    }
    if (programError) {
        // Tests assert that a bad stack file fails before any resource is registered.
        if (programError instanceof Error) Object.assign(programError, { registeredResources: resources });
        throw programError;
    }
    // Let registrations settle: each wave of outputs can register more resources.
    let settled = -1;
    while (settled !== pending.length) {
        settled = pending.length;
        await Promise.all(pending.slice());
        await new Promise((r) => setImmediate(r));
    }
    return { stack, resources, calls };
}
