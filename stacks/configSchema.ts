/**
 * Validation rules for every configuration key, as pure functions of the raw string
 * values (what the Pulumi CLI hands the program: scalars as strings, arrays as JSON).
 *
 * Types, descriptions and defaults live in Pulumi.yaml (the CLI applies the defaults);
 * this file says what a valid value is. test/config.schema.test.ts checks that both name
 * exactly the same keys.
 */
import { DEPLOY_BRANCH_SHAPE_TEXT, isDeployBranchShape } from "../infra/github/branchPatterns";

/** Sizes Snowflake accepts for WAREHOUSE_SIZE (standard warehouses). */
export const WAREHOUSE_SIZES = [
    "XSMALL",
    "SMALL",
    "MEDIUM",
    "LARGE",
    "XLARGE",
    "XXLARGE",
    "XXXLARGE",
    "X4LARGE",
    "X5LARGE",
    "X6LARGE",
] as const;
export type WarehouseSize = (typeof WAREHOUSE_SIZES)[number];

/**
 * Snowflake editions the configuration can target. Object tagging and Time Travel beyond one
 * day need Enterprise Edition or higher (docs.snowflake.com/en/user-guide/intro-editions).
 */
export const SNOWFLAKE_EDITIONS = ["STANDARD", "ENTERPRISE", "BUSINESS_CRITICAL"] as const;
export type SnowflakeEdition = (typeof SNOWFLAKE_EDITIONS)[number];
/** Longest Time Travel retention Standard Edition allows, in days. */
export const STANDARD_MAX_RETENTION_DAYS = 1;

/** The environments this product knows; PRD is the only production environment. */
export const ENVIRONMENTS = ["DEV", "SIT", "UAT", "PRD"] as const;
export type EnvironmentCode = (typeof ENVIRONMENTS)[number];

/** The GitHub environment whose deployments wait for the reviewers' approval (PRD's, and only PRD's). */
export const PRODUCTION_ENVIRONMENT = "production";

/** Roles the program must never run as nor grant to (SPEC §4). */
export const FORBIDDEN_ROLES = ["ACCOUNTADMIN", "ORGADMIN", "PUBLIC"] as const;

/** A parse result: the value, or a sentence saying what is wrong and what is allowed. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(problem: string): Parsed<T> => ({ ok: false, problem });
const show = (raw: string) => JSON.stringify(raw);

/**
 * Unquoted Snowflake identifier in upper case. The provider quotes every name, so an
 * upper-case name is what keeps users' unquoted queries (`SHOW TASKS IN DEV_ML_DB...`) working.
 */
const IDENTIFIER = /^[A-Z_][A-Z0-9_$]{0,254}$/;

export function identifier(raw: string): Parsed<string> {
    return IDENTIFIER.test(raw)
        ? ok(raw)
        : bad(`${show(raw)} is not an upper-case Snowflake identifier; allowed: A-Z, 0-9, _ and $, starting with a letter or _ (no quotes, spaces or dots)`);
}

export function oneOf<T extends string>(allowed: readonly T[]) {
    return (raw: string): Parsed<T> =>
        (allowed as readonly string[]).includes(raw)
            ? ok(raw as T)
            : bad(`${show(raw)} is not allowed; allowed values: ${allowed.join(", ")}`);
}

export function integer(min: number, max: number) {
    return (raw: string): Parsed<number> => {
        const value = Number(raw);
        if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
            return bad(`${show(raw)} is not a whole number; allowed: an integer from ${min} to ${max}`);
        }
        return value >= min && value <= max
            ? ok(value)
            : bad(`${value} is out of range; allowed: an integer from ${min} to ${max}`);
    };
}

/** A decimal in a range; `exclusiveMin` for ranges like (0, 1]. */
export function decimal(min: number, max: number, exclusiveMin = false) {
    const range = `${exclusiveMin ? "greater than" : "from"} ${min} ${exclusiveMin ? "and at most" : "to"} ${max}`;
    return (raw: string): Parsed<number> => {
        const value = Number(raw);
        if (raw.trim() === "" || !Number.isFinite(value)) {
            return bad(`${show(raw)} is not a number; allowed: a decimal ${range}`);
        }
        const aboveMin = exclusiveMin ? value > min : value >= min;
        return aboveMin && value <= max ? ok(value) : bad(`${value} is out of range; allowed: a decimal ${range}`);
    };
}

export function boolean(raw: string): Parsed<boolean> {
    if (raw === "true") return ok(true);
    if (raw === "false") return ok(false);
    return bad(`${show(raw)} is not a boolean; allowed values: true, false`);
}

export function pattern(re: RegExp, what: string) {
    return (raw: string): Parsed<string> => (re.test(raw) ? ok(raw) : bad(`${show(raw)} is not ${what}`));
}

/** A JSON array of strings, each checked by `item`. */
export function list(item: (raw: string) => Parsed<string>, minItems = 0) {
    return (raw: string): Parsed<string[]> => {
        let value: unknown;
        try {
            value = JSON.parse(raw);
        } catch {
            return bad(`${show(raw)} is not a list; allowed: a YAML list of strings`);
        }
        if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
            return bad(`${show(raw)} is not a list of strings; allowed: a YAML list of strings`);
        }
        const problems = (value as string[]).map(item).filter((p): p is { ok: false; problem: string } => !p.ok);
        if (problems.length > 0) return bad(problems.map((p) => p.problem).join("; "));
        if (value.length < minItems) return bad(`has ${value.length} entries; allowed: at least ${minItems}`);
        return ok(value as string[]);
    };
}

const CRON_FIELDS: { name: string; min: number; max: number }[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12 },
    { name: "day of week", min: 0, max: 7 },
];
const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function cronFieldProblem(field: string, spec: { name: string; min: number; max: number }, index: number): string | undefined {
    const names = index === 3 ? MONTH_NAMES : index === 4 ? DAY_NAMES : [];
    for (const part of field.split(",")) {
        const [range, step] = part.split("/");
        if (step !== undefined && !/^\d+$/.test(step)) return `${spec.name} step ${show(step)} is not a number`;
        if (range === "*" || (index === 2 && range === "L")) continue;
        for (const bound of range.split("-")) {
            if (names.includes(bound.toUpperCase())) continue;
            if (!/^\d+$/.test(bound)) return `${spec.name} ${show(bound)} is not a number`;
            const n = Number(bound);
            if (n < spec.min || n > spec.max) return `${spec.name} ${n} is outside ${spec.min}-${spec.max}`;
        }
    }
    return undefined;
}

function isTimeZone(tz: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
    } catch {
        return false;
    }
}

/** Snowflake task schedule `USING CRON <min> <hour> <dom> <month> <dow> <time zone>`. */
export function cronWithTimeZone(raw: string): Parsed<string> {
    const allowed = `allowed: five cron fields and an IANA time zone, e.g. "0 2 * * * UTC"`;
    const parts = raw.trim().split(/\s+/);
    if (parts.length !== 6) return bad(`${show(raw)} has ${parts.length} fields; ${allowed}`);
    for (let i = 0; i < 5; i++) {
        const problem = cronFieldProblem(parts[i], CRON_FIELDS[i], i);
        if (problem) return bad(`${show(raw)}: ${problem}; ${allowed}`);
    }
    if (!isTimeZone(parts[5])) return bad(`${show(raw)}: ${show(parts[5])} is not a time zone; ${allowed}`);
    return ok(parts.join(" "));
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
export const email = pattern(EMAIL, "an email address (name@domain.tld)");

/**
 * A deploy branch in workflow-filter syntax, restricted to the shapes that environment
 * policies and branch protection (Ruby fnmatch) can express exactly (infra/github/branchPatterns.ts).
 */
export function branchPattern(raw: string): Parsed<string> {
    return isDeployBranchShape(raw) ? ok(raw) : bad(`${show(raw)} is not ${DEPLOY_BRANCH_SHAPE_TEXT}`);
}

export const githubName = pattern(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "a GitHub login or organization (letters, digits, -)");
export const githubRepositoryName = pattern(/^[A-Za-z0-9._-]{1,100}$/, "a repository name (letters, digits, . _ -)");
export const githubTeamSlug = pattern(/^[a-z0-9][a-z0-9_-]*$/, "a team slug (lower-case letters, digits, - and _)");
export const githubEnvironmentName = pattern(/^[a-z][a-z0-9-]{0,254}$/, "a GitHub environment name (lower-case letters, digits, -)");

/** A tag value: free text that the provider quotes itself; quotes would break its SQL. */
export const tagValue = pattern(/^[^'"\\]{1,256}$/, "a tag value (1-256 characters, no quotes or backslashes)");

/**
 * System roles no CI identity may log in as or hold (issue #10): what they can do reaches
 * beyond one environment.
 */
export const PRIVILEGED_ROLES = ["ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN", "USERADMIN", "ORGADMIN", "PUBLIC"] as const;

/** A role the program may connect as. */
export function deployableRole(raw: string): Parsed<string> {
    const id = identifier(raw);
    if (!id.ok) return id;
    return (PRIVILEGED_ROLES as readonly string[]).includes(raw)
        ? bad(`${show(raw)} is not allowed: the program never runs as ${PRIVILEGED_ROLES.join(", ")}; use the role created by the bootstrap (bootstrap/<stack>/01_roles.sql)`)
        : id;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two keys. */
export function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/** The declared key closest to `key`, if it is close enough to be a likely misspelling. */
export function closestKey(key: string, declared: readonly string[]): string | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const candidate of declared) {
        const distance = editDistance(key, candidate);
        if (!best || distance < best.distance) best = { key: candidate, distance };
    }
    return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.key : undefined;
}

/**
 * One problem per key of this project's namespace that Pulumi.yaml does not declare: a
 * misspelt key (`recentPredictionDays`) would otherwise be ignored and the default used.
 * Keys are given without the `project:` prefix.
 */
export function unknownKeyProblems(project: string, keys: readonly string[], declared: readonly string[]): string[] {
    return keys
        .filter((k) => !declared.includes(k))
        .map((k) => {
            const close = closestKey(k, declared);
            return `${project}:${k}: unknown key; ${close ? `did you mean ${project}:${close}?` : "allowed: the keys declared in Pulumi.yaml"}`;
        });
}
