import { Evaluation, RecordedResource } from "../evaluate";
import { longestChain } from "./chain";
import { credits, renderCredits, stackCredits } from "./credits";

/** `type name [OBJECT_NAME] (protect, retainOnDelete)` for one line of the tree. */
export function describe(r: RecordedResource): string {
    const objectName = r.inputs.name ?? r.inputs.environment ?? r.inputs.pattern ?? r.inputs.variableName ?? r.inputs.secretName;
    const flags = [r.protect ? "protect" : "", r.retainOnDelete ? "retainOnDelete" : ""].filter(Boolean);
    return `${r.type}  ${r.name}${objectName ? `  [${objectName}]` : ""}${flags.length ? `  (${flags.join(", ")})` : ""}`;
}

export function renderTree(resources: RecordedResource[]): string[] {
    const children = new Map<string | undefined, RecordedResource[]>();
    const urns = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        // Children of the stack itself (or of an unrecorded parent) go to the top level.
        const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const lines: string[] = [];
    const walk = (parent: string | undefined, depth: number) => {
        const kids = (children.get(parent) ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
        for (const r of kids) {
            if (r.type === "pulumi:pulumi:Stack") {
                walk(r.urn, depth);
                continue;
            }
            lines.push(`${"  ".repeat(depth)}${describe(r)}`);
            walk(r.urn, depth + 1);
        }
    };
    walk(undefined, 1);
    return lines;
}

export function countsByType(resources: RecordedResource[]): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of resources) if (r.type !== "pulumi:pulumi:Stack") counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** One line: stack, resource counts, longest chain, estimated credits. */
export function summaryLine(ev: Evaluation): string {
    const resources = ev.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    const custom = resources.filter((r) => r.custom).length;
    return `stack ${ev.stack}: ${custom} resources in ${resources.length - custom} components, longest chain ${longestChain(resources).length} steps, ~${credits(stackCredits(ev).total)} credits/month`;
}

export function renderPlan(ev: Evaluation): string {
    const resources = ev.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    const custom = resources.filter((r) => r.custom).length;
    const chain = longestChain(resources);
    return [
        `Stack ${ev.stack} (Pulumi.${ev.stack}.yaml): ${resources.length} resources (${custom} managed by providers, ${resources.length - custom} components)`,
        "",
        "Resource tree:",
        ...renderTree(ev.resources),
        "",
        "Counts by type:",
        ...countsByType(resources).map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`),
        "",
        `Longest dependency chain: ${chain.length} sequential steps`,
        ...chain.map((r, i) => `  ${String(i + 1).padStart(2)}. ${r.type}  ${r.name}`),
        "",
        ...renderCredits(stackCredits(ev)),
    ].join("\n");
}
