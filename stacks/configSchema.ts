/**
 * Validation rules for every configuration key, as pure functions of the raw string
 * values (what the Pulumi CLI hands the program: scalars as strings, arrays as JSON).
 *
 * Types, descriptions and defaults live in Pulumi.yaml (the CLI applies the defaults);
 * this file says what a valid value is. test/config.schema.test.ts checks that both name
 * exactly the same keys.
 */

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

/** GitHub branch filter (the syntax of `on.push.branches`): no spaces, no `..`, no quotes. */
export const branchPattern = pattern(/^(?!.*\.\.)[A-Za-z0-9._\-/*]+$/, "a branch name or pattern; allowed: letters, digits, . _ - / and *");

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
