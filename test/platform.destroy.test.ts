/**
 * `pulumi destroy --stack prd` deletes nothing (issue 9 §9): every resource of prd is
 * protected except the Python procedures, which every change to ml/ replaces (a protected
 * resource cannot be replaced); and each of those is a dependency of a protected resource,
 * so the engine, which skips every dependency of a protected resource whose delete failed
 * and deletes dependents first, never reaches it. See stacks/protection.ts for the sources.
 */
import { Evaluation, RecordedResource } from "../tools/evaluate";
import { REPLACED_BY_ORDINARY_DEPLOYS } from "../stacks/protection";
import { ConfigError } from "../stacks/config";
import { evaluated, evaluateWith, ofType, STACKS, T } from "./support/stacks";

/** URNs of the resources that wait for `urn`, directly or transitively (dependencies, parent, provider). */
function dependentsOf(ev: Evaluation, urn: string): Set<string> {
    const edges = new Map<string, string[]>();
    for (const r of ev.resources) {
        for (const dep of [...r.dependencies, ...(r.parent ? [r.parent] : []), ...(r.provider ? [r.provider] : [])]) edges.set(dep, [...(edges.get(dep) ?? []), r.urn]);
    }
    const seen = new Set<string>();
    const todo = [...(edges.get(urn) ?? [])];
    while (todo.length > 0) {
        const next = todo.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        todo.push(...(edges.get(next) ?? []));
    }
    return seen;
}

const unprotected = (ev: Evaluation): RecordedResource[] => ev.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.protect);

describe("prd: pulumi destroy deletes nothing", () => {
    test("every resource is protected, providers and components included, except the procedures ml/ changes replace", async () => {
        const ev = await evaluated("prd");
        const exposed = unprotected(ev);
        expect(exposed.map((r) => r.type)).toEqual(exposed.map(() => REPLACED_BY_ORDINARY_DEPLOYS[0]));
        expect(exposed.map((r) => r.inputs.name).sort()).toEqual(
            ["APPLY_VALIDATION_GATE", "ENGINEER_FEATURES", "FINALIZE_PIPELINE_RUN", "SCORE_CUSTOMERS", "START_PIPELINE_RUN", "TRAIN_AND_REGISTER_MODEL"],
        );
        // Providers, components, grants, tasks, alerts, GitHub environment and branch protection are all protected.
        for (const type of [T.provider, T.grant, T.task, T.warehouse, "mlplatform:snowflake:PipelineProcedures"]) {
            const all = ev.resources.filter((r) => r.type === type);
            expect({ type, count: all.length > 0, protect: all.every((r) => r.protect) }).toEqual({ type, count: true, protect: true });
        }
    });

    test("each unprotected resource is a dependency of a protected one, so a destroy stops before it", async () => {
        const ev = await evaluated("prd");
        const byUrn = new Map(ev.resources.map((r) => [r.urn, r]));
        const root = ofType(ev, T.task).find((t) => t.inputs.name === "ML_RETRAINING_PIPELINE")!;
        for (const r of unprotected(ev)) {
            const protectedDependents = [...dependentsOf(ev, r.urn)].filter((u) => byUrn.get(u)?.protect);
            expect({ resource: r.name, protectedDependents: protectedDependents.length > 0 }).toEqual({ resource: r.name, protectedDependents: true });
            // Directly: the root task waits for every procedure.
            expect(root.dependencies).toContain(r.urn);
        }
    });

    test("PRD refuses protectAllResources: false, naming the key, the file and what is allowed", async () => {
        const err = await evaluateWith("prd", { overrides: { protectAllResources: "false" } }).catch((e) => e);
        expect(err).toBeInstanceOf(ConfigError);
        expect(err.message).toContain("Pulumi.prd.yaml");
        expect(err.message).toContain("snowflake-mlops:protectAllResources: false in PRD; allowed: true");
        expect(err.registeredResources).toEqual([]);
    });
});

describe.each(STACKS.filter((s) => s !== "prd"))("stack %s: destroyable, data retained", (stack) => {
    test("nothing is protected (protectStatefulResources and protectAllResources are false); data survives through retainOnDelete", async () => {
        const ev = await evaluated(stack);
        expect(ev.resources.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
    });
});
