/**
 * The scheduled drift check runs as the stack's read-only preview role. Everything it
 * refreshes must be visible to that role after the stack's grants (else the provider marks
 * it removed and every run reports false drift), everything else must be left out of
 * `--target`, and the role must gain nothing that changes an object or runs code.
 */
import { readBootstrap } from "../tools/bootstrap/account";
import { canSee, stackGrantsTo } from "../tools/bootstrap/visibility";
import { targetsFor } from "../tools/driftTargets";
import { DRIFT_CHECKED_TYPES } from "../infra/snowflake/previewAccess";
import { evaluated, STACKS } from "./support/stacks";

/** pulumi v3.248.0 pkg/resource/deploy/deployment.go getMatcher: `**` = any text, `*` = no ':'. */
const globMatches = (glob: string, urn: string) =>
    new RegExp(
        "^" +
            glob
                .split("**")
                .map((seg) => seg.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^:]*"))
                .join(".*") +
            "$",
    ).test(urn);

/** Read-only: USAGE lets the role see a database or schema; MONITOR and REFERENCES show metadata only. */
const READ_ONLY = [
    { on: /^DATABASE /, privileges: ["USAGE"] },
    { on: /^SCHEMA /, privileges: ["USAGE"] },
    { on: /^WAREHOUSE /, privileges: ["MONITOR"] },
    { on: /^(ALL|FUTURE) (TABLES|VIEWS) IN /, privileges: ["REFERENCES"] },
];

describe.each(STACKS)("stack %s: what the drift check reads as the preview role", (stack) => {
    const account = readBootstrap(stack);
    const previewRole = `PULUMI_${stack.toUpperCase()}_PREVIEW_ROLE`;

    test("every drift target is visible to the preview role, every other Snowflake resource is not a target", async () => {
        const { resources } = await evaluated(stack);
        const globs = targetsFor(`example-org/${stack}`);
        const snowflakeResources = resources.filter((r) => r.custom && r.type.startsWith("snowflake:index/"));
        const targeted = snowflakeResources.filter((r) => globs.some((g) => globMatches(g, r.urn)));
        // Every resource of a checked type is targeted, and nothing else.
        expect(targeted.map((r) => r.urn).sort()).toEqual(snowflakeResources.filter((r) => (DRIFT_CHECKED_TYPES as readonly string[]).includes(r.type)).map((r) => r.urn).sort());
        expect(new Set(targeted.map((r) => r.type))).toEqual(new Set(DRIFT_CHECKED_TYPES));
        for (const r of targeted) expect({ target: r.name, visible: canSee(account, resources, previewRole, r) }).toEqual({ target: r.name, visible: true });
        // The rest (grants, procedures, stages, tasks, alerts, tags, ...) the role cannot read.
        for (const r of snowflakeResources.filter((x) => !targeted.includes(x))) {
            expect({ notTarget: r.name, visible: canSee(account, resources, previewRole, r) }).toEqual({ notTarget: r.name, visible: false });
        }
        // No GitHub resource is refreshed (the drift job holds no GitHub token).
        expect(resources.filter((r) => r.custom && r.type.startsWith("github:") && globs.some((g) => globMatches(g, r.urn)))).toEqual([]);
    });

    test("the stack grants the preview role only read-only privileges, through the deploy provider", async () => {
        const { resources } = await evaluated(stack);
        const grants = stackGrantsTo(resources, previewRole);
        expect(grants.length).toBeGreaterThanOrEqual(2 + 1 + 4 + 4 * 2 * 2);
        for (const g of grants) {
            const rule = READ_ONLY.find((x) => x.on.test(g.on));
            expect({ on: g.on, allowed: rule !== undefined && g.privileges.every((p) => rule.privileges.includes(p)) }).toEqual({ on: g.on, allowed: true });
        }
        const deployProvider = resources.find((r) => r.name === "snowflake-deploy")!;
        for (const r of resources.filter((x) => x.inputs.accountRoleName === previewRole)) {
            expect({ grant: r.name, viaDeploy: r.provider === deployProvider.urn }).toEqual({ grant: r.name, viaDeploy: true });
        }
    });
});
