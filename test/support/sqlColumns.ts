/**
 * A small, strict reader of the platform's generated SQL for the tests: which tables a
 * statement names (as `"DB"."SCHEMA"."TABLE"`) and which column names it uses, so a test
 * can check every column exists in infra/snowflake/columns.ts for that table.
 */
const KEYWORDS = new Set(
    (
        "SELECT FROM WHERE AND OR NOT GROUP BY ORDER CASE WHEN THEN ELSE END AS ON LEFT JOIN WITH IS NULL IN " +
        "MIN MAX SUM COUNT AVG COALESCE LEAST GREATEST FLOOR LN CAST FLOAT TO_DATE DATEADD MINUTE DAY " +
        "CURRENT_TIMESTAMP CURRENT_DATE TIMESTAMP_NTZ CALL SYSTEM"
    ).split(" "),
);

export interface SqlUse {
    /** Fully qualified tables and views named, without quotes (DB.SCHEMA.NAME). */
    tables: string[];
    /** Alias (or the table itself when unaliased) to table. */
    aliases: Record<string, string>;
    /** Unqualified column names used. */
    columns: string[];
    /** `ALIAS.COLUMN` uses. */
    qualified: { alias: string; column: string }[];
    /** Names the statement defines itself (CTEs and output aliases). */
    defined: string[];
}

export function sqlUse(sql: string): SqlUse {
    let text = sql.replace(/'(?:[^'\\]|\\.)*'/g, " ");
    const tables: string[] = [];
    const aliases: Record<string, string> = {};
    text = text.replace(/"([^"]+)"\."([^"]+)"\."([^"]+)"(\s+(?!ON\b|WHERE\b|GROUP\b|LEFT\b|JOIN\b)([A-Z_][A-Z0-9_]*))?/g, (_m, db, schema, name, _a, alias) => {
        const table = `${db}.${schema}.${name}`;
        tables.push(table);
        if (alias) aliases[alias] = table;
        return " ";
    });
    // Names the statement defines itself: CTEs and output aliases.
    const defined = new Set<string>();
    for (const m of text.matchAll(/\b([A-Z_][A-Z0-9_]*)\s+AS\s*\(/g)) defined.add(m[1]);
    for (const m of text.matchAll(/\bAS\s+([A-Z_][A-Z0-9_]*)\b/g)) if (m[1] !== "FLOAT") defined.add(m[1]);
    // CTE references with an alias (`FROM TOTALS T`).
    for (const m of text.matchAll(/\b(?:FROM|JOIN)\s+([A-Z_][A-Z0-9_]*)\s+([A-Z_][A-Z0-9_]*)\b/g)) {
        if (defined.has(m[1]) && !KEYWORDS.has(m[2])) aliases[m[2]] = m[1];
    }
    const qualified: { alias: string; column: string }[] = [];
    text = text.replace(/\b([A-Z_][A-Z0-9_]*)\.([A-Z_][A-Z0-9_]*)\b/g, (_m, alias, column) => {
        qualified.push({ alias, column });
        return " ";
    });
    const columns = new Set<string>();
    for (const m of text.matchAll(/\b[A-Z_][A-Z0-9_]*\b/g)) {
        const word = m[0];
        if (!KEYWORDS.has(word) && !defined.has(word) && !(word in aliases)) columns.add(word);
    }
    return { tables, aliases, columns: [...columns], qualified, defined: [...defined] };
}
