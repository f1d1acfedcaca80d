/**
 * Governance tags of one environment: ENVIRONMENT, COST_CENTER and OWNER, set on every
 * database, schema and warehouse of the stack so that ACCOUNT_USAGE.TAG_REFERENCES and the
 * cost views can attribute storage and credits.
 *
 * The tag objects live in `{ENV}_ML_DB.PIPELINES` rather than a new GOVERNANCE schema: a
 * new schema would need its own grants and tags, and PIPELINES already holds the
 * environment's control objects. They are created by the deploy role, which owns every
 * object they are set on (setting a tag needs APPLY on the tag and ownership of the object).
 */
import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";

export const TAG_NAMES = {
    environment: "ENVIRONMENT",
    costCenter: "COST_CENTER",
    owner: "OWNER",
} as const;
export type TagKey = keyof typeof TAG_NAMES;

/** Object types the tags are set on, as TagAssociation.objectType spells them. */
export const TAGGED_OBJECT_TYPES = ["DATABASE", "SCHEMA", "WAREHOUSE"] as const;
export type TaggedObjectType = (typeof TAGGED_OBJECT_TYPES)[number];

export interface GovernanceTagsArgs {
    /** Database and schema that hold the tag objects. */
    database: pulumi.Input<string>;
    schema: pulumi.Input<string>;
    /** Values the ENVIRONMENT tag allows (every environment code). */
    environments: readonly string[];
    /** The value of each tag for this environment. */
    values: Record<TagKey, string>;
    /** Fully qualified names of the objects to tag, per object type. */
    objects: Record<TaggedObjectType, pulumi.Input<string>[]>;
}

export class GovernanceTags extends pulumi.ComponentResource {
    readonly tags: Record<TagKey, snowflake.Tag>;
    readonly associations: snowflake.TagAssociation[] = [];

    constructor(name: string, args: GovernanceTagsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mlplatform:snowflake:GovernanceTags", name, {}, opts);
        const tag = (key: TagKey, comment: string, allowedValues?: string[]) =>
            new snowflake.Tag(`${name}-${slug(TAG_NAMES[key])}`, { database: args.database, schema: args.schema, name: TAG_NAMES[key], comment, allowedValues }, { parent: this });
        this.tags = {
            environment: tag("environment", "Environment of the object (DEV, SIT, UAT, PRD).", [...args.environments]),
            costCenter: tag("costCenter", "Cost center that pays for the object."),
            owner: tag("owner", "Team that answers for the object."),
        };
        // One association per (tag, value, object type): the provider's unit of change.
        for (const key of Object.keys(TAG_NAMES) as TagKey[]) {
            for (const objectType of TAGGED_OBJECT_TYPES) {
                const objectIdentifiers = args.objects[objectType];
                if (objectIdentifiers.length === 0) continue;
                this.associations.push(
                    new snowflake.TagAssociation(
                        `${name}-${slug(TAG_NAMES[key])}-${objectType.toLowerCase()}`,
                        { tagId: this.tags[key].fullyQualifiedName, tagValue: args.values[key], objectType, objectIdentifiers },
                        { parent: this },
                    ),
                );
            }
        }
        this.registerOutputs({});
    }
}

const slug = (s: string) => s.toLowerCase().replace(/_/g, "-");
