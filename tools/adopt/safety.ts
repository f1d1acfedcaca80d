/**
 * Would `pulumi preview` after the import replace anything that holds data? For every
 * adopted resource of a stateful type, each input that forces a replacement in the provider
 * (forceNew.ts) must equal what the original object has: the provider reads the live value
 * into state on import, and a difference on such an input is a replacement.
 */
import { AdoptionReport, Adopted } from "./compare";
import { STATEFUL_FORCE_NEW, STATEFUL_TYPES } from "./forceNew";
import { TYPES } from "./importIds";

export interface Replacement {
    resource: string;
    label: string;
    input: string;
    original: unknown;
    declared: unknown;
    source: string;
}

/** Location parts of an original object's import ID, as the inputs that hold them. */
function locationOf(type: string, id: string): Record<string, string> {
    const unquote = (s: string) => s.replace(/"/g, "");
    if (type === TYPES.table || type === TYPES.stage || type === TYPES.dynamicTable) {
        const [database, schema, name] = id.split("|");
        return { database, schema, name };
    }
    if (type === TYPES.repositoryEnvironment) {
        // github/util.go parseID2: `<repository>:<environment>`, a `:` in a part written `??`.
        const [repository, environment] = id.split(":").map((p) => p.replace(/\?\?/g, ":"));
        return { repository, environment };
    }
    if (type === TYPES.schema) {
        const [database, name] = id.split(".").map(unquote);
        return { database, name };
    }
    return { name: unquote(id) };
}

/** Settings Snowflake gives an object when its creator sets none (what the import reads back). */
const SNOWFLAKE_DEFAULTS: Record<string, unknown> = { isTransient: false, directory: "" };

const normal = (v: unknown) => (v === "true" ? true : v === "false" || v === "default" ? false : v);

export function replacementsAfterImport(report: AdoptionReport): Replacement[] {
    const out: Replacement[] = [];
    const stateful = report.adopted.filter((a): a is Adopted => (STATEFUL_TYPES as readonly string[]).includes(a.resource.type) && a.importId !== undefined);
    for (const a of stateful) {
        const location = locationOf(a.original.type, a.original.id);
        for (const rule of STATEFUL_FORCE_NEW[a.resource.type] ?? []) {
            const original = rule.input in location ? location[rule.input] : rule.input in a.original.properties ? a.original.properties[rule.input] : SNOWFLAKE_DEFAULTS[rule.input];
            const declared = a.resource.inputs[rule.input] ?? SNOWFLAKE_DEFAULTS[rule.input];
            if (normal(original) !== normal(declared)) {
                out.push({ resource: a.resource.name, label: a.original.label, input: rule.input, original, declared, source: rule.source });
            }
        }
    }
    return out;
}
