import { RecordedResource } from "../evaluate";

/**
 * The longest chain of resources that must be created one after another: the fewest
 * sequential steps `pulumi up` needs. Edges are the recorded dependencies (explicit
 * dependsOn, inputs taken from other resources) and the explicit provider. Components
 * take no step of their own, so only provider-managed resources are counted.
 */
export function longestChain(resources: RecordedResource[]): RecordedResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const memo = new Map<string, RecordedResource[]>();
    const visiting = new Set<string>();

    const chainTo = (r: RecordedResource): RecordedResource[] => {
        const known = memo.get(r.urn);
        if (known) return known;
        if (visiting.has(r.urn)) throw new Error(`Dependency cycle through ${r.urn}`);
        visiting.add(r.urn);
        let best: RecordedResource[] = [];
        const deps = [...r.dependencies, ...(r.provider ? [r.provider] : [])];
        for (const urn of deps) {
            const dep = byUrn.get(urn);
            if (!dep) continue;
            const c = chainTo(dep);
            if (c.length > best.length) best = c;
        }
        visiting.delete(r.urn);
        const result = r.custom ? [...best, r] : best;
        memo.set(r.urn, result);
        return result;
    };

    let longest: RecordedResource[] = [];
    for (const r of resources) {
        const c = chainTo(r);
        if (c.length > longest.length) longest = c;
    }
    return longest;
}
