/** The adoption report as text (terminal) and as the guide's markdown tables. */
import { RecordedResource } from "../evaluate";
import { AdoptionReport, revokeTarget } from "./compare";
import { grantPrivileges, grantTarget, TYPES } from "./importIds";

const shortType = (type: string) => type.split(":").pop()!;

/** What a person calls the object a resource manages. */
export function describe(r: RecordedResource): string {
    const i = r.inputs;
    switch (r.type) {
        case TYPES.grant:
            return `${i.accountRoleName}: ${grantPrivileges(i)} on ${revokeTarget(grantTarget(i))}`;
        case TYPES.roleGrant:
            return `${i.roleName} granted to ${i.parentRoleName ? `role ${i.parentRoleName}` : `user ${i.userName}`}`;
        case TYPES.tagAssociation:
            return `tag ${String(i.tagId).replace(/"/g, "")} = ${i.tagValue} on ${i.objectType.toLowerCase()}s`;
        case TYPES.branchProtection:
            return `branch protection ${i.pattern}`;
        case TYPES.repositoryEnvironment:
            return `GitHub environment ${i.environment}`;
        case TYPES.deploymentPolicy:
            return `deployment branch policy ${i.branchPattern} of ${i.environment}`;
        case TYPES.environmentVariable:
            return `${i.environment} variable ${i.variableName}`;
        case TYPES.environmentSecret:
            return `${i.environment} secret ${i.secretName}`;
    }
    if (i.name !== undefined) return [i.database, i.schema, i.name].filter((p) => p !== undefined).join(".");
    return r.name;
}

const md = (s: string) => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
/** Long values (SQL) cut after their first words: the table says what changes, not the whole text. */
const brief = (s: string) => (s.length > 90 ? `${s.replace(/\s+/g, " ").slice(0, 87)}...` : s);
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** Plain-text report printed by `npm run plan -- --import <stack>`. */
export function renderReport(report: AdoptionReport, notes: string[] = []): string {
    const lines: string[] = report.env
        ? [`Adoption of the original ${report.env} environment by stack ${report.stack}:`, "(its Snowflake objects; the GitHub settings of every environment are adopted by admin/github first: npm run plan -- --import github)", ""]
        : [`Adoption of the original system's GitHub settings (every environment) by admin/github, stack ${report.stack}:`, ""];
    const imported = report.adopted.filter((a) => a.importId !== undefined);
    lines.push(`Adopted (${imported.length} imported; ${imported.filter((a) => a.changes.length > 0).length} of them with settings the next pulumi up changes):`);
    for (const a of imported) {
        lines.push(`  = ${describe(a.resource)}  [${shortType(a.resource.type)} ${a.resource.name}]  id ${a.importId}`);
        for (const c of a.changes) lines.push(`      ${c.property}: ${c.from} -> ${c.to}`);
    }
    const notImported = report.adopted.filter((a) => a.importId === undefined);
    if (notImported.length > 0) {
        lines.push("", `Held by the original but not in the import file (${notImported.length}):`);
        for (const a of notImported) lines.push(`  ! ${describe(a.resource)}  [${shortType(a.resource.type)} ${a.resource.name}]: ${a.note}`);
    }
    lines.push("", `Added by the first pulumi up (${report.added.length}):`);
    for (const r of report.added) lines.push(`  + ${describe(r)}  [${shortType(r.type)} ${r.name}]`);
    lines.push("", `Left behind: the original holds them, this project does not declare them (${report.leftBehind.length}):`);
    for (const l of report.leftBehind) {
        lines.push(`  - ${l.label}  (${l.source}; ${l.certainty})`);
        if (l.keep) lines.push(`      keep: ${l.keep}`);
        if (l.cleanup) lines.push(`      after the switch: ${l.cleanup}`);
    }
    if (notes.length > 0) lines.push("", "Notes:", ...notes.map((n) => `  * ${n}`));
    return lines.join("\n");
}

/** The guide's tables for one stack (docs/adopt-existing.md, generated). */
export function renderGuideTables(report: AdoptionReport): string {
    const out: string[] = [];
    const imported = report.adopted.filter((a) => a.importId !== undefined);
    const same = imported.filter((a) => a.changes.length === 0);
    const changed = report.adopted.filter((a) => a.changes.length > 0);
    out.push(`**Adopted unchanged (${same.length})**: ${same.map((a) => code(describe(a.resource))).join(", ") || "none"}.`, "");
    const preview = report.env ? "`pulumi preview` shows these as updates after the import, except what steps 3 and 4 of the switch already did" : "admin/github's `pulumi preview` shows these as updates after the import";
    out.push(`**Adopted with changes (${changed.length})**: how the original differs from the program; ${preview}.`, "");
    out.push("| object | property | original | this project |", "|---|---|---|---|");
    for (const a of changed) {
        for (const c of a.changes) out.push(`| ${md(describe(a.resource))}${a.importId === undefined ? " (created, not imported)" : ""} | ${code(c.property)} | ${md(brief(c.from))} | ${md(brief(c.to))} |`);
    }
    out.push("");
    const notImported = report.adopted.filter((a) => a.importId === undefined);
    if (notImported.length > 0) {
        out.push(`**Held by the original, not in the import file (${notImported.length})**:`, "");
        for (const a of notImported) out.push(`- ${code(describe(a.resource))}: ${md(a.note ?? "")}`);
        out.push("");
    }
    const byType = new Map<string, string[]>();
    for (const r of report.added) byType.set(shortType(r.type), [...(byType.get(shortType(r.type)) ?? []), describe(r)]);
    out.push(`**Added (${report.added.length})**: created by the first \`pulumi up\`.`, "");
    out.push("| type | objects |", "|---|---|");
    for (const [type, names] of [...byType.entries()].sort()) out.push(`| ${type} | ${names.map((n) => md(code(n))).join(", ")} |`);
    out.push("");
    out.push(`**Left behind (${report.leftBehind.length})**: the original holds them, this project does not declare them.`, "");
    out.push("| object | source | after the switch |", "|---|---|---|");
    for (const l of report.leftBehind) out.push(`| ${md(l.label)} | ${md(l.source)}${l.certainty === "script" ? "" : ` (${l.certainty})`} | ${md(l.keep ? `keep: ${l.keep}${l.cleanup ? `; ${code(l.cleanup)}` : ""}` : l.cleanup ? code(l.cleanup) : "")} |`);
    return out.join("\n");
}

/**
 * SQL that rebuilds each adopted table whose columns the `up` would leave in another order
 * than declared: renamed aside (kept, nothing lost), created in the declared order, filled
 * by column name, and granted to the role again (the imported "all tables" grant is never
 * read back, so the `up` would not grant the new table). Environment codes become <ENV>.
 */
export function renderRebuildSql(report: AdoptionReport): string {
    const env = report.env;
    if (!env) throw new Error(`${report.stack}: the rebuild SQL is about an environment's tables`);
    const generic = (s: string) => s.split(`${env}_`).join("<ENV>_");
    const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
    const blocks: string[] = [];
    for (const a of report.adopted.filter((x) => x.changes.some((c) => c.property === "columns (order)"))) {
        const i = a.resource.inputs;
        const table = generic(`${i.database}.${i.schema}.${i.name}`);
        const aside = `${i.name}_BEFORE_ADOPTION`;
        const columns = i.columns as { name: string; type: string; nullable?: boolean; comment?: string }[];
        const kept = columns.map((c) => c.name).filter((n) => ((a.original.properties.columns ?? []) as { name: string }[]).some((o) => o.name === n));
        const options = [i.changeTracking === true ? "CHANGE_TRACKING = TRUE" : undefined, i.dataRetentionTimeInDays !== undefined && i.dataRetentionTimeInDays >= 0 ? `DATA_RETENTION_TIME_IN_DAYS = ${i.dataRetentionTimeInDays}` : undefined, i.comment ? `COMMENT = ${quote(i.comment)}` : undefined].filter(Boolean);
        blocks.push(
            [
                `ALTER TABLE ${table} RENAME TO ${generic(`${i.database}.${i.schema}`)}.${aside};`,
                `CREATE TABLE ${table} (`,
                columns.map((c) => `    ${c.name} ${c.type}${c.nullable === false ? " NOT NULL" : ""}${c.comment ? ` COMMENT ${quote(c.comment)}` : ""}`).join(",\n"),
                `)${options.length > 0 ? ` ${options.join(" ")}` : ""};`,
                `INSERT INTO ${table} (${kept.join(", ")})`,
                `    SELECT ${kept.join(", ")} FROM ${generic(`${i.database}.${i.schema}`)}.${aside};`,
                `GRANT SELECT ON TABLE ${table} TO ROLE ML_<ENV>_ROLE;`,
            ].join("\n"),
        );
    }
    return blocks.length === 0 ? "No adopted table needs it." : ["```sql", "USE ROLE <DEPLOY_ROLE>;", ...blocks, "```"].join("\n");
}
