/**
 * Runs the pack's policies without the Pulumi CLI (there is no official test helper,
 * pulumi-policy#445): turns the resources that tools/evaluate.ts records into the arguments
 * @pulumi/policy's analyzer builds (type, props, urn, name, opts, provider, isType/asType,
 * getConfig) and collects every reportViolation call.
 *
 * Differences from the CLI, on purpose: props are the program's inputs (the CLI gives
 * validateStack the outputs, which under mocks echo the inputs), and opts carry
 * retainOnDelete, which the 1.21.0 analyzer protocol does not.
 */
import * as fs from "fs";
import * as path from "path";
import {
    EnforcementLevel,
    Policies,
    PolicyPackConfig,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { RecordedResource } from "../tools/evaluate";

export interface Violation {
    policy: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    urn?: string;
}

export const POLICY_CONFIG_DIR = path.join(__dirname, "config");

/** The `--policy-pack-config` file the workflows pass for `stack`. */
export function policyConfigFor(stack: string): PolicyPackConfig {
    return JSON.parse(fs.readFileSync(path.join(POLICY_CONFIG_DIR, `${stack}.json`), "utf8"));
}

class NotApplicable extends Error {}

const typeOf = (cls: unknown): string | undefined => (cls as { __pulumiType?: string }).__pulumiType;

function levelOf(policyConfig: PolicyPackConfig[string] | undefined, policyLevel: EnforcementLevel | undefined, packLevel: EnforcementLevel): EnforcementLevel {
    const configured = typeof policyConfig === "string" ? policyConfig : policyConfig?.enforcementLevel;
    return configured ?? policyLevel ?? packLevel;
}

function configOf(policyConfig: PolicyPackConfig[string] | undefined): object {
    if (policyConfig === undefined || typeof policyConfig === "string") return {};
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { enforcementLevel, ...properties } = policyConfig;
    return properties;
}

function optsOf(r: RecordedResource): PolicyResourceOptions & { retainOnDelete: boolean } {
    return {
        protect: r.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        parent: r.parent,
        retainOnDelete: r.retainOnDelete,
    };
}

/** Evaluates `policies` over `resources` with a stack's policy config; returns every violation. */
export async function runPolicies(
    policies: Policies,
    resources: RecordedResource[],
    config: PolicyPackConfig = {},
    packLevel: EnforcementLevel = "mandatory",
): Promise<Violation[]> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const providerOf = (r: RecordedResource): PolicyProviderResource | undefined => {
        const p = r.provider ? byUrn.get(r.provider) : undefined;
        return p ? { type: p.type, props: p.inputs, urn: p.urn, name: p.name } : undefined;
    };
    /** What both kinds of policy see of one resource. */
    const describeResource = (r: RecordedResource) => ({
        type: r.type,
        props: r.inputs,
        urn: r.urn,
        name: r.name,
        opts: optsOf(r),
        provider: providerOf(r),
        isType: (cls: unknown) => typeOf(cls) === r.type,
        asType: ((cls: unknown) => (typeOf(cls) === r.type ? r.inputs : undefined)) as ResourceValidationArgs["asType"],
    });
    const violations: Violation[] = [];

    for (const policy of policies) {
        const level = levelOf(config[policy.name], policy.enforcementLevel, packLevel);
        if (level === "disabled") continue;
        const report = (message: string, urn?: string) => violations.push({ policy: policy.name, enforcementLevel: level, message, urn });
        const getConfig = <T extends object>() => configOf(config[policy.name]) as T;
        const notApplicable = (reason?: string): never => {
            throw new NotApplicable(reason);
        };

        const validateResource = (policy as ResourceValidationPolicy).validateResource;
        if (validateResource) {
            const validations = Array.isArray(validateResource) ? validateResource : [validateResource];
            for (const r of resources) {
                const args: ResourceValidationArgs = { ...describeResource(r), stackTags: new Map(), getConfig, notApplicable };
                for (const validate of validations) {
                    try {
                        await validate(args, (message, urn) => report(message, urn ?? r.urn));
                    } catch (err) {
                        if (!(err instanceof NotApplicable)) throw err;
                    }
                }
            }
        }

        const validateStack = (policy as StackValidationPolicy).validateStack;
        if (validateStack) {
            const policyResources = new Map<string, PolicyResource>();
            for (const r of resources) {
                policyResources.set(r.urn, { ...describeResource(r), dependencies: [], propertyDependencies: {} });
            }
            // Second pass, as the analyzer does: link parents and dependencies to resource objects.
            for (const r of resources) {
                const pr = policyResources.get(r.urn)!;
                pr.parent = r.parent ? policyResources.get(r.parent) : undefined;
                pr.dependencies = r.dependencies.map((u) => policyResources.get(u)).filter((d): d is PolicyResource => d !== undefined);
            }
            try {
                await validateStack({ resources: [...policyResources.values()], stackTags: new Map(), getConfig, notApplicable }, report);
            } catch (err) {
                if (!(err instanceof NotApplicable)) throw err;
            }
        }
    }
    return violations;
}

export const mandatory = (violations: Violation[]) => violations.filter((v) => v.enforcementLevel === "mandatory");

/** One line per violation, the way the CLI prints them: `[level] policy: message`. */
export function formatViolations(violations: Violation[]): string {
    return violations.map((v) => `[${v.enforcementLevel}] ${v.policy}: ${v.message}`).join("\n");
}
