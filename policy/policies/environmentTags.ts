import { StackValidationPolicy } from "@pulumi/policy";
import { TYPES, unquote, withDefaults } from "../lib";

interface Config {
    /** The value the ENVIRONMENT tag must carry in this stack (e.g. DEV). */
    environment: string;
    requiredTags: string[];
}
const DEFAULTS: Config = { environment: "", requiredTags: ["ENVIRONMENT", "COST_CENTER", "OWNER"] };

const OBJECT_TYPE: Record<string, string> = { [TYPES.database]: "DATABASE", [TYPES.warehouse]: "WAREHOUSE" };

/** Cost attribution reads tags: an untagged database or warehouse is unaccounted spend. */
export const environmentTags: StackValidationPolicy = {
    name: "snowflake-environment-tags",
    description: "Every database and warehouse carries the ENVIRONMENT (with the stack's value), COST_CENTER and OWNER tags.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environment: { type: "string", default: DEFAULTS.environment, description: "Expected ENVIRONMENT tag value; empty = any." },
            requiredTags: { type: "array", items: { type: "string" }, default: DEFAULTS.requiredTags, description: "Tag names every database and warehouse carries." },
        },
    },
    validateStack: (args, reportViolation) => {
        const c = withDefaults(DEFAULTS, args.getConfig<Partial<Config>>());
        // (object type, identifier) -> tag name -> values set on it
        const tagged = new Map<string, Map<string, string[]>>();
        for (const a of args.resources.filter((r) => r.type === TYPES.tagAssociation)) {
            const tag = unquote(String(a.props.tagId)).split(".").pop()!;
            for (const id of a.props.objectIdentifiers ?? []) {
                const key = `${a.props.objectType}:${unquote(String(id))}`;
                const tags = tagged.get(key) ?? new Map<string, string[]>();
                tags.set(tag, [...(tags.get(tag) ?? []), String(a.props.tagValue)]);
                tagged.set(key, tags);
            }
        }
        for (const r of args.resources.filter((x) => OBJECT_TYPE[x.type])) {
            const tags = tagged.get(`${OBJECT_TYPE[r.type]}:${r.props.name}`);
            const missing = c.requiredTags.filter((t) => !tags?.has(t));
            if (missing.length > 0) reportViolation(`${OBJECT_TYPE[r.type]} ${r.props.name} lacks tag(s) ${missing.join(", ")}.`, r.urn);
            const env = tags?.get("ENVIRONMENT");
            if (c.environment && env && !env.every((v) => v === c.environment)) {
                reportViolation(`${OBJECT_TYPE[r.type]} ${r.props.name} has ENVIRONMENT ${env.join(", ")}; required: ${c.environment}.`, r.urn);
            }
        }
    },
};
