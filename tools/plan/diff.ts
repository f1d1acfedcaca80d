import { Evaluation, RecordedResource, SECRET_PLACEHOLDER } from "../evaluate";
import { CreditEstimate, renderCreditChange, stackCredits } from "./credits";

export interface SettingChange {
    resource: string;
    path: string;
    from: unknown;
    to: unknown;
}

export interface PromotionDiff {
    from: string;
    to: string;
    onlyInFrom: string[];
    onlyInTo: string[];
    changes: SettingChange[];
    /** Monthly credit estimates of both stacks (tools/plan/credits.ts). */
    credits: { from: CreditEstimate; to: CreditEstimate };
}

const key = (r: RecordedResource) => `${r.type}::${r.name}`;

/** Flattens inputs to `path -> value`, with the environment code replaced by {ENV}. */
function flatten(value: unknown, env: string, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
    if (Array.isArray(value)) {
        value.forEach((v, i) => flatten(v, env, `${prefix}[${i}]`, out));
    } else if (value !== null && typeof value === "object") {
        const v = value as Record<string, unknown>;
        // Secrets arrive as {4dabf18193072939515e22adb298388d: ..., value: ...}.
        if ("4dabf18193072939515e22adb298388d" in v) {
            out[prefix] = "[secret]";
            return out;
        }
        for (const k of Object.keys(v).sort()) flatten(v[k], env, prefix ? `${prefix}.${k}` : k, out);
    } else if (typeof value === "string") {
        if (env === "") {
            out[prefix] = value === SECRET_PLACEHOLDER ? "[secret]" : value;
            return out;
        }
        // Names embed the environment code (ML_DEV_ROLE, "DEV_ML_DB", mlplatform-dev): set it aside.
        const token = new RegExp(`(?<![A-Za-z0-9])(${env}|${env.toLowerCase()})(?![A-Za-z0-9])`, "g");
        out[prefix] = value === SECRET_PLACEHOLDER ? "[secret]" : value.replace(token, "{ENV}");
    } else {
        out[prefix] = value;
    }
    return out;
}

function envCode(ev: Evaluation): string {
    return ev.stack.toUpperCase();
}

/**
 * What promoting from `a` to `b` changes: resources only in one of them, and for the
 * resources both declare, each input that differs once environment codes are set aside.
 */
export function promotionDiff(a: Evaluation, b: Evaluation): PromotionDiff {
    const custom = (ev: Evaluation) => new Map(ev.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => [key(r), r]));
    const ra = custom(a);
    const rb = custom(b);
    const changes: SettingChange[] = [];
    for (const [k, x] of ra) {
        const y = rb.get(k);
        if (!y) continue;
        const fa = flatten(x.inputs, envCode(a));
        const fb = flatten(y.inputs, envCode(b));
        // A value is a change only if it differs as written and still differs once the
        // environment codes are set aside (so shared code mentioning "dev/sit" is no change).
        const rawA = flatten(x.inputs, "");
        const rawB = flatten(y.inputs, "");
        if (x.protect !== y.protect) changes.push({ resource: k, path: "(option) protect", from: x.protect, to: y.protect });
        for (const p of [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort()) {
            if (JSON.stringify(rawA[p]) !== JSON.stringify(rawB[p]) && JSON.stringify(fa[p]) !== JSON.stringify(fb[p])) changes.push({ resource: k, path: p, from: fa[p], to: fb[p] });
        }
    }
    return {
        from: a.stack,
        to: b.stack,
        onlyInFrom: [...ra.keys()].filter((k) => !rb.has(k)).sort(),
        onlyInTo: [...rb.keys()].filter((k) => !ra.has(k)).sort(),
        changes,
        credits: { from: stackCredits(a), to: stackCredits(b) },
    };
}

const text = (v: unknown) => (v === undefined ? "(unset)" : typeof v === "string" ? v : JSON.stringify(v)).replace(/\s+/g, " ");

/** Both values, cut around the first difference when they are long (SQL, code). */
function showChange(from: unknown, to: unknown): string {
    const a = text(from);
    const b = text(to);
    if (a.length <= 100 && b.length <= 100) return `${a} -> ${b}`;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    const start = Math.max(0, i - 40);
    const cut = (s: string) => `${start > 0 ? "..." : ""}${s.slice(start, i + 40)}${s.length > i + 40 ? "..." : ""}`;
    return `${cut(a)} -> ${cut(b)}`;
}

export function renderDiff(d: PromotionDiff): string {
    const lines = [`Promotion ${d.from} -> ${d.to}:`, "", ...renderCreditChange(d.from, d.credits.from, d.to, d.credits.to), ""];
    lines.push(`Resources only in ${d.from} (${d.onlyInFrom.length}):`, ...d.onlyInFrom.map((k) => `  - ${k}`), "");
    lines.push(`Resources only in ${d.to} (${d.onlyInTo.length}):`, ...d.onlyInTo.map((k) => `  + ${k}`), "");
    lines.push(`Settings that differ (${d.changes.length}):`);
    let last = "";
    for (const c of d.changes) {
        if (c.resource !== last) lines.push(`  ${c.resource}`);
        last = c.resource;
        lines.push(`      ${c.path}: ${showChange(c.from, c.to)}`);
    }
    return lines.join("\n");
}
