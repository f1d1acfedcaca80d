/**
 * Protection of a whole stack against `pulumi destroy` (issue 9 §9): with config
 * `protectAllResources` (true in prd) every resource the stack declares is `protect`ed,
 * except the types that ordinary deploys replace.
 *
 * Why not simply everything: the engine refuses to replace a protected resource and bails
 * ("unable to replace resource ... as it is currently marked for protection",
 * pulumi v3.248.0 pkg/resource/deploy/step_generator.go), and provider v1.2.1 replaces a
 * Python procedure on every change of its code (`procedure_definition` and `packages` are
 * ForceNew, pkg/resources/procedure_commons.go): every change to ml/ would fail in prd.
 *
 * Why destroy still deletes nothing: a failed delete of a protected resource makes the engine
 * skip every resource that one depends on, transitively (pkg/resource/deploy/
 * deployment_executor.go, `erroredDeps`), and deletes run dependents first. The procedures are
 * dependencies of the protected root task, so `pulumi destroy --stack prd` stops at the tasks
 * and reaches nothing (test/platform.destroy.test.ts checks this on the recorded graph).
 */
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "./config";

/** Resource types every ordinary deploy may replace; never protected, always depended on by something protected. */
export const REPLACED_BY_ORDINARY_DEPLOYS = ["snowflake:index/procedurePython:ProcedurePython"] as const;

/** Protects the resource and, through inheritance of transformations, every child. */
export const protectUnlessReplacedByDeploys: pulumi.ResourceTransformation = (args) => ({
    props: args.props,
    opts: pulumi.mergeOptions(args.opts, { protect: !(REPLACED_BY_ORDINARY_DEPLOYS as readonly string[]).includes(args.type) }),
});

/**
 * `opts` for a resource declared at the top of the stack (a provider or a component), with
 * the stack's protection added when the stack protects everything.
 */
export function stackOpts<T extends pulumi.ComponentResourceOptions | pulumi.CustomResourceOptions>(cfg: PlatformConfig, opts: T): T {
    if (!cfg.data.protectAllResources) return opts;
    return pulumi.mergeOptions(opts, { transformations: [protectUnlessReplacedByDeploys] }) as T;
}
