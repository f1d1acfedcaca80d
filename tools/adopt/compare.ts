/**
 * Holds the original system's objects (originalSystem.ts) against the resources a Pulumi
 * program declares (evaluated under mocks): what is adopted (imported, possibly with changed
 * settings), what the first `pulumi up` adds, and what the original holds that the program no
 * longer declares (left behind, with how to remove it).
 *
 * Two programs adopt: each environment stack its environment's Snowflake objects, and the
 * administrator's project admin/github (stack `github`) the GitHub objects of every
 * environment, since it declares the GitHub side of all four stacks.
 */
import { Evaluation, RecordedResource } from "../evaluate";
import { PROMOTION_ORDER } from "../environments";
import { Certainty, Env, isGithubObject, OriginalColumn, OriginalObject, originalObjects } from "./originalSystem";
import { grantPrivileges, grantTarget, identity, importId, ImportContext, TYPES } from "./importIds";

export interface PropertyChange {
    property: string;
    from: string;
    to: string;
}

export interface Adopted {
    resource: RecordedResource;
    original: OriginalObject;
    /** The ID written to the import file; undefined when the resource is created instead (see `note`). */
    importId?: string;
    changes: PropertyChange[];
    note?: string;
}

export interface LeftBehind {
    label: string;
    type: string;
    id: string;
    source: string;
    certainty: Certainty;
    cleanup?: string;
    keep?: string;
}

export interface AdoptionReport {
    stack: string;
    /** The environment of an environment stack; undefined for admin/github, which covers all. */
    env?: Env;
    adopted: Adopted[];
    /** Provider-managed resources the original does not hold: created by the first `pulumi up`. */
    added: RecordedResource[];
    leftBehind: LeftBehind[];
}

const isProvider = (r: RecordedResource) => r.type.startsWith("pulumi:providers:");

/** Compares the environment stack `ev` with the original system's objects of its environment, GitHub objects aside. */
export function adoptionReport(ev: Evaluation, repository: string, ctx: ImportContext = {}): AdoptionReport {
    const env = envOf(ev);
    return { env, ...compare(ev, originalObjects(env, repository).filter((o) => !isGithubObject(o)), ctx) };
}

/** Compares admin/github's program `ev` with the original system's GitHub objects of every environment, in promotion order. */
export function githubAdoptionReport(ev: Evaluation, repository: string, ctx: ImportContext = {}): AdoptionReport {
    return compare(ev, githubOriginals(repository), ctx);
}

export function githubOriginals(repository: string): OriginalObject[] {
    return PROMOTION_ORDER.flatMap((stack) => originalObjects(stack.toUpperCase() as Env, repository).filter(isGithubObject));
}

function compare(ev: Evaluation, originals: OriginalObject[], ctx: ImportContext): AdoptionReport {
    const byIdentity = new Map<string, OriginalObject>();
    for (const o of originals) {
        const key = o.type === TYPES.grant || o.type === TYPES.deploymentPolicy ? identity({ type: o.type, inputs: originalInputs(o) })! : `${o.type}::${o.id}`;
        if (byIdentity.has(key)) throw new Error(`original system lists ${key} twice`);
        byIdentity.set(key, o);
    }

    const adopted: Adopted[] = [];
    const added: RecordedResource[] = [];
    const leftBehind: LeftBehind[] = [];
    const matched = new Set<OriginalObject>();
    const seen = new Map<string, RecordedResource>();
    for (const r of ev.resources.filter((x) => x.custom && !isProvider(x))) {
        const key = identity(r);
        const original = key === undefined ? undefined : byIdentity.get(key);
        if (key !== undefined) {
            const twin = seen.get(key);
            if (twin) throw new Error(`${ev.stack}: ${twin.name} and ${r.name} manage the same object (${key})`);
            seen.set(key, r);
        }
        if (!original) {
            added.push(r);
            continue;
        }
        matched.add(original);
        adopted.push(adopt(r, original, ctx, leftBehind));
    }
    // Registration order depends on when outputs resolve: report in the inventory's order.
    const rank = new Map(originals.map((o, i) => [o, i]));
    adopted.sort((a, b) => rank.get(a.original)! - rank.get(b.original)!);
    added.sort((a, b) => a.urn.localeCompare(b.urn));
    const narrowed = new Map(leftBehind.map((l) => [l.id, l]));
    const ordered: LeftBehind[] = [];
    for (const o of originals) {
        if (!matched.has(o)) ordered.push({ label: o.label, type: o.type, id: o.id, source: o.source, certainty: o.certainty, cleanup: o.cleanup ?? revokeGrant(o), keep: o.keep });
        else if (narrowed.has(o.id)) ordered.push(narrowed.get(o.id)!);
    }
    return { stack: ev.stack, adopted, added, leftBehind: ordered };
}

export function envOf(ev: Evaluation): Env {
    const env = ev.stack.toUpperCase();
    if (env !== "DEV" && env !== "SIT" && env !== "UAT" && env !== "PRD") throw new Error(`stack ${ev.stack}: the original system has no environment ${env}`);
    return env;
}

/** The inputs a grant or deployment policy managing `o` would have, as far as its identity needs them. */
function originalInputs(o: OriginalObject): Record<string, any> {
    if (o.type === TYPES.grant) {
        const [role, , , privileges, ...target] = o.id.split("|");
        return { accountRoleName: role.replace(/"/g, ""), ...(privileges === "ALL" ? { allPrivileges: true } : { privileges: privileges.split(",") }), ...targetInputs(target) };
    }
    if (o.type === TYPES.deploymentPolicy) {
        const [repository, environment, branchPattern] = o.id.split(":");
        return { repository, environment, branchPattern };
    }
    throw new Error(`${o.type}: identified by its import ID`);
}

/** Inverse of grantTarget for the kinds the original grants. */
function targetInputs(t: string[]): Record<string, any> {
    if (t[0] === "OnAccount") return { onAccount: true };
    if (t[0] === "OnAccountObject") return { onAccountObject: { objectType: t[1], objectName: t[2] } };
    if (t[0] === "OnSchema") return { onSchema: { schemaName: t[2] } };
    const bulk = { objectTypePlural: t[2], [t[3] === "InSchema" ? "inSchema" : "inDatabase"]: t[4] };
    return { onSchemaObject: { [t[1] === "OnAll" ? "all" : "future"]: bulk } };
}

/**
 * Types whose import would be followed by a replacement, so the object is recreated by the
 * first `up` instead (the guide removes the original right before it).
 */
export const RECREATED: Record<string, string> = {
    // The importer stores the repository's node id in repository_id
    // (resourceGithubBranchProtectionImport -> getRepositoryID), the program passes the
    // repository's name, and repository_id is ForceNew (github/resource_github_branch_protection.go,
    // terraform-provider-github v6.13.0): the preview would replace the rule, and GitHub refuses
    // a second rule for the same pattern.
    [TYPES.branchProtection]:
        "recreated, not imported: an imported rule holds the repository's node id where the program passes its name, which forces a replacement; delete the hand-made rule right before the admin/github pulumi up, which creates it with the program's settings",
};

function adopt(r: RecordedResource, o: OriginalObject, ctx: ImportContext, leftBehind: LeftBehind[]): Adopted {
    if (r.type === TYPES.grant) return adoptGrant(r, o, leftBehind);
    const changes = compareProperties(r, o);
    if (RECREATED[r.type]) return { resource: r, original: o, changes, note: RECREATED[r.type] };
    const id = importId(r, ctx);
    if (id === undefined) {
        return {
            resource: r,
            original: o,
            changes,
            note: "its import ID holds a number only GitHub knows: pass --github-policy-id <environment>:<pattern>=<id> (gh api repos/<owner>/<repo>/environments/<environment>/deployment-branch-policies)",
        };
    }
    return { resource: r, original: o, importId: id, changes };
}

/**
 * A grant is adopted when the role already holds what the program declares there, or more
 * (ALL, or a longer list): its Read only looks at the privileges in the ID
 * (grant_privileges_to_account_role.go ReadGrantPrivilegesToAccountRole: "Only consider
 * privileges that are already present in the ID"), so the extra ones stay granted and
 * unmanaged: they are reported as left behind, with the REVOKE that removes them.
 * A program grant of ALL is imported only over an original ALL: with all_privileges the
 * provider skips the read, and would never grant what the role lacks.
 */
function adoptGrant(r: RecordedResource, o: OriginalObject, leftBehind: LeftBehind[]): Adopted {
    const want = grantPrivileges(r.inputs);
    const had = o.properties.privileges as string[] | "ALL";
    const hadText = had === "ALL" ? "ALL" : had.join(",");
    const target = grantTarget(r.inputs);
    const changes: PropertyChange[] = [];
    if (want !== hadText) changes.push({ property: "privileges", from: hadText, to: want });
    if (want === "ALL" && had !== "ALL") {
        return { resource: r, original: o, changes, note: "created, not imported: the role lacks part of ALL and an imported ALL would never be read back" };
    }
    const wantList = want === "ALL" ? [] : want.split(",");
    const extra = had === "ALL" ? (want === "ALL" ? [] : ["ALL"]) : had.filter((p) => !wantList.includes(p));
    if (extra.length > 0) {
        const on = revokeTarget(target);
        const role = r.inputs.accountRoleName;
        leftBehind.push({
            label: `${role}: ${had === "ALL" ? `ALL beyond ${want}` : extra.join(", ")} on ${on}`,
            type: TYPES.grant,
            id: o.id,
            source: o.source,
            certainty: o.certainty,
            // The declared privileges are granted again explicitly: the provider cannot read grants
            // on all objects of a schema back (prepareShowGrantsRequestForAccountRole skips on_all),
            // so a refresh would not notice that REVOKE ALL took them too.
            cleanup:
                had === "ALL"
                    ? `REVOKE ALL PRIVILEGES ON ${on} FROM ROLE ${role}; GRANT ${wantList.join(", ")} ON ${on} TO ROLE ${role};`
                    : `REVOKE ${extra.join(", ")} ON ${on} FROM ROLE ${role};`,
        });
    }
    return { resource: r, original: o, importId: importId(r), changes };
}

/** REVOKE of an original grant the program does not declare. */
function revokeGrant(o: OriginalObject): string | undefined {
    if (o.type !== TYPES.grant) return undefined;
    const [role, , , privileges, ...target] = o.id.split("|");
    const what = privileges === "ALL" ? "ALL PRIVILEGES" : privileges.split(",").join(", ");
    return `REVOKE ${what} ON ${revokeTarget(target.join("|"))} FROM ROLE ${role.replace(/"/g, "")};`;
}

/** `<kind>|<data>` of a grant ID as the object clause of GRANT/REVOKE. */
export function revokeTarget(target: string): string {
    const t = target.split("|");
    const plain = (s: string) => s.replace(/"/g, "");
    if (t[0] === "OnAccount") return "ACCOUNT";
    if (t[0] === "OnAccountObject") return `${t[1]} ${plain(t[2])}`;
    if (t[0] === "OnSchema") return `SCHEMA ${plain(t[2])}`;
    if (t[1] === "OnObject") return `${t[2]} ${plain(t[3])}`;
    return `${t[1] === "OnAll" ? "ALL" : "FUTURE"} ${t[2]} IN ${t[3] === "InSchema" ? "SCHEMA" : "DATABASE"} ${plain(t[4])}`;
}

const show = (v: unknown): string => (v === undefined || v === null || v === "" ? "(unset)" : typeof v === "string" ? v : JSON.stringify(v));

/** Settings compared per type (the program's input names). */
const COMPARED: Record<string, string[]> = {
    [TYPES.warehouse]: ["warehouseSize", "autoSuspend", "autoResume", "statementTimeoutInSeconds", "comment"],
    [TYPES.database]: ["comment", "isTransient"],
    [TYPES.schema]: ["comment", "isTransient", "withManagedAccess"],
    [TYPES.table]: ["columns", "comment", "changeTracking", "dataRetentionTimeInDays"],
    [TYPES.stage]: ["directory", "comment"],
    [TYPES.view]: ["statement", "comment"],
    [TYPES.accountRole]: ["comment"],
    [TYPES.task]: ["schedule", "sqlStatement", "started", "warehouse", "allowOverlappingExecution", "suspendTaskAfterNumFailures", "taskAutoRetryAttempts", "userTaskTimeoutMs", "queryTag", "comment"],
    [TYPES.branchProtection]: [
        "requiredApprovingReviewCount",
        "dismissStaleReviews",
        "requireCodeOwnerReviews",
        "requireLastPushApproval",
        "requiredStatusChecks",
        "requireConversationResolution",
        "enforceAdmins",
        "allowsForcePushes",
        "allowsDeletions",
    ],
    [TYPES.repositoryEnvironment]: ["reviewers", "canAdminsBypass", "preventSelfReview"],
};

/**
 * What Snowflake gives a setting the original leaves unset, which the provider reads back
 * (parameter defaults: docs.snowflake.com/en/sql-reference/parameters).
 */
const ORIGINAL_DEFAULTS: Record<string, unknown> = {
    isTransient: false,
    withManagedAccess: false,
    changeTracking: false,
    statementTimeoutInSeconds: 172800,
    allowOverlappingExecution: false,
    suspendTaskAfterNumFailures: 10,
    taskAutoRetryAttempts: 0,
    userTaskTimeoutMs: 3600000,
    // An environment made by hand keeps GitHub's defaults unless the original docs say
    // otherwise (inventory §4 does not): administrators may bypass, self-review allowed
    // (terraform-provider-github v6.13.0 resource_github_repository_environment.go:
    // can_admins_bypass Default true, prevent_self_review Default false, as the API's).
    canAdminsBypass: true,
    preventSelfReview: false,
};

function programValue(r: RecordedResource, property: string): unknown {
    const i = r.inputs;
    if (r.type === TYPES.branchProtection) {
        const reviews = (i.requiredPullRequestReviews ?? [])[0] ?? {};
        if (["requiredApprovingReviewCount", "dismissStaleReviews", "requireCodeOwnerReviews", "requireLastPushApproval"].includes(property)) return reviews[property];
        if (property === "requiredStatusChecks") return ((i.requiredStatusChecks ?? [])[0]?.contexts as string[] | undefined) ?? [];
    }
    if (r.type === TYPES.repositoryEnvironment && property === "reviewers") {
        // Numeric ids resolved from the configured logins and slugs: counted, not shown.
        const reviewers = (i.reviewers ?? [])[0] ?? {};
        const users = (reviewers.users ?? []).length;
        const teams = (reviewers.teams ?? []).length;
        return users + teams === 0 ? undefined : `${users} user(s), ${teams} team(s) of productionReviewer* (replace the hand-set ones)`;
    }
    return i[property];
}

function normalized(property: string, v: unknown): unknown {
    if (v === "true") return true;
    if (v === "false") return false;
    if (property === "dataRetentionTimeInDays" && v === -1) return undefined;
    if (property === "requiredStatusChecks" && Array.isArray(v) && v.length === 0) return undefined;
    return v;
}

function compareProperties(r: RecordedResource, o: OriginalObject): PropertyChange[] {
    const changes: PropertyChange[] = [];
    for (const p of COMPARED[r.type] ?? []) {
        if (p === "columns") {
            changes.push(...compareColumns(o.properties.columns as OriginalColumn[], r.inputs.columns ?? []));
            continue;
        }
        const from = normalized(p, p in o.properties ? o.properties[p] : ORIGINAL_DEFAULTS[p]);
        const to = normalized(p, programValue(r, p) ?? (p in ORIGINAL_DEFAULTS ? ORIGINAL_DEFAULTS[p] : undefined));
        if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ property: p, from: show(from), to: show(to) });
    }
    return changes;
}

/** Snowflake's canonical spelling of a column type (INTEGER is NUMBER(38,0), ...). */
export function canonicalType(type: string): string {
    const t = type.toUpperCase().replace(/\s+/g, "");
    if (/^(INTEGER|INT|BIGINT|SMALLINT|TINYINT|BYTEINT)$/.test(t)) return "NUMBER(38,0)";
    const dec = /^(?:DECIMAL|NUMERIC|NUMBER)(?:\((\d+)(?:,(\d+))?\))?$/.exec(t);
    if (dec) return `NUMBER(${dec[1] ?? 38},${dec[2] ?? 0})`;
    if (/^TIMESTAMP_(NTZ|LTZ|TZ)$/.test(t)) return `${t}(9)`;
    if (/^(VARCHAR|STRING|TEXT)$/.test(t)) return "VARCHAR(16777216)";
    if (/^(FLOAT|FLOAT4|FLOAT8|DOUBLE|REAL|DOUBLEPRECISION)$/.test(t)) return "FLOAT";
    return t;
}

function compareColumns(original: OriginalColumn[], declared: { name: string; type: string; nullable?: boolean; default?: unknown; comment?: string }[]): PropertyChange[] {
    const changes: PropertyChange[] = [];
    const nullability = (n: boolean) => (n ? "NULL" : "NOT NULL");
    for (const c of declared) {
        const o = original.find((x) => x.name === c.name);
        const nullable = c.nullable !== false;
        if (!o) {
            changes.push({ property: `columns.${c.name}`, from: "(absent)", to: `added ${canonicalType(c.type)} ${nullability(nullable)}` });
            continue;
        }
        if (canonicalType(o.type) !== canonicalType(c.type)) changes.push({ property: `columns.${c.name}.type`, from: canonicalType(o.type), to: canonicalType(c.type) });
        if (o.nullable !== nullable) changes.push({ property: `columns.${c.name}.nullable`, from: nullability(o.nullable), to: nullability(nullable) });
        if (o.default !== undefined && c.default === undefined) changes.push({ property: `columns.${c.name}.default`, from: o.default, to: "(dropped)" });
    }
    // The original comments no column; one line for all the comments the program adds.
    const commented = declared.filter((c) => original.some((o) => o.name === c.name) && typeof c.comment === "string" && c.comment !== "");
    if (commented.length > 0) changes.push({ property: "columns.*.comment", from: "(unset)", to: `set on ${commented.length} columns` });
    // ADD COLUMN appends, so after the `up` the live order is the original's followed by the
    // added columns. The resource's `column` is a list compared by position, while UpdateTable
    // compares by name: a different order is an update in every preview that changes nothing.
    const live = [...original.map((o) => o.name).filter((n) => declared.some((c) => c.name === n)), ...declared.map((c) => c.name).filter((n) => !original.some((o) => o.name === n))];
    const order = declared.map((c) => c.name);
    if (live.join(",") !== order.join(",")) {
        const appended = declared.map((c) => c.name).filter((n) => !original.some((o) => o.name === n));
        changes.push({
            property: "columns (order)",
            from: appended.length > 0 ? `ADD COLUMN appends ${appended.join(", ")} last` : "original order",
            to: "declared order: rebuild the table before the import (guide, step 4)",
        });
    }
    for (const o of original) {
        // The provider drops a column that the resource no longer lists (table.go UpdateTable): data loss.
        if (!declared.some((c) => c.name === o.name)) changes.push({ property: `columns.${o.name}`, from: canonicalType(o.type), to: "DROPPED (its data is lost)" });
    }
    return changes;
}
