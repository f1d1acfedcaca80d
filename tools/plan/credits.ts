/**
 * Monthly credit estimate of one stack, from the resources it declares (not from its config),
 * so the plan prices exactly what `pulumi up` would create.
 *
 * Prices: Snowflake's published credits per hour of a standard (Gen1) warehouse by size, billed
 * per second with a 60-second minimum each time a warehouse resumes
 * (docs.snowflake.com/en/user-guide/warehouses-overview, "Warehouse size" and "Impact on
 * credit usage and billing"). A resumed warehouse bills until it auto-suspends, so a run of
 * `s` seconds on a warehouse with auto-suspend `a` bills max(60, s + a) seconds, unless the next
 * run comes sooner and finds it still running.
 *
 * What it counts: the task graph's scheduled runs (root started, cron from the stack) on the
 * warehouse its tasks name, at an assumed run length; every enabled alert's checks on its
 * warehouse. What it leaves out is listed in README ("Credit estimate").
 */
import { Evaluation, RecordedResource } from "../evaluate";
import { readStackFile } from "../stackConfig";

export const WAREHOUSE_TYPE = "snowflake:index/warehouse:Warehouse";
export const TASK_TYPE = "snowflake:index/task:Task";
export const ALERT_TYPE = "snowflake:index/alert:Alert";

/** Credits per hour of a standard Gen1 warehouse (docs.snowflake.com/en/user-guide/warehouses-overview). */
export const CREDITS_PER_HOUR: Record<string, number> = {
    XSMALL: 1,
    SMALL: 2,
    MEDIUM: 4,
    LARGE: 8,
    XLARGE: 16,
    XXLARGE: 32,
    XXXLARGE: 64,
    X4LARGE: 128,
    X5LARGE: 256,
    X6LARGE: 512,
};
/** Snowflake bills at least this much each time a warehouse resumes. */
export const MINIMUM_BILLED_SECONDS = 60;
/** The estimate's month. */
export const DAYS_PER_MONTH = 30;
/** Assumed wall-clock time of one run of the whole graph (six procedures; measure yours in TASK_HISTORY). */
export const ASSUMED_GRAPH_RUN_MINUTES = 10;
/** Assumed time of one alert check (a small SELECT on the run log or the drift view). */
export const ASSUMED_ALERT_CHECK_SECONDS = 5;

export interface CreditLine {
    /** What runs: `task graph ML_RETRAINING_PIPELINE`, `alert ML_PIPELINE_FAILED_ALERT`. */
    what: string;
    warehouse: string;
    size: string;
    /** Runs or checks per month (0 when suspended or disabled). */
    runsPerMonth: number;
    /** Seconds billed per run or check. */
    billedSecondsPerRun: number;
    creditsPerMonth: number;
    /** Credits of one run or check. */
    creditsPerRun: number;
    /** Why it costs nothing, when it does not. */
    note?: string;
}

export interface CreditEstimate {
    lines: CreditLine[];
    total: number;
    /** The monthly quota of the environment's resource monitor (from the bootstrap), if known. */
    quota?: number;
}

/** Seconds billed for one run of `runSeconds` on a warehouse that auto-suspends after `autoSuspend`, runs `everySeconds` apart. */
export function billedSecondsPerRun(runSeconds: number, autoSuspend: number, everySeconds: number): number {
    return Math.min(Math.max(MINIMUM_BILLED_SECONDS, runSeconds + autoSuspend), Math.max(everySeconds, runSeconds));
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** How many values a cron field matches in [min, max] (`*`, lists, ranges, steps, names, `L`). */
export function cronFieldCount(field: string, min: number, max: number, names: string[] = []): number {
    const values = new Set<number>();
    const value = (s: string) => {
        const i = names.indexOf(s.toUpperCase());
        return i >= 0 ? i + min : Number(s);
    };
    for (const part of field.split(",")) {
        const [range, stepText] = part.split("/");
        const step = stepText === undefined ? 1 : Number(stepText);
        if (range === "L") {
            values.add(max);
            continue;
        }
        const [lo, hi] = range === "*" ? [min, max] : range.includes("-") ? range.split("-").map(value) : [value(range), stepText === undefined ? value(range) : max];
        if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(step > 0)) throw new Error(`Cannot read cron field "${field}"`);
        for (let v = lo; v <= hi; v += step) values.add(v === 7 && max === 7 ? 0 : v);
    }
    return values.size;
}

/** Runs per month of a Snowflake cron schedule `min hour dom month dow [time zone]` (30-day month). */
export function cronRunsPerMonth(cron: string): number {
    const [minute, hour, dom, month, dow] = cron.trim().split(/\s+/);
    const perDay = cronFieldCount(minute, 0, 59) * cronFieldCount(hour, 0, 23);
    const domAll = dom === "*";
    const dowAll = dow === "*";
    // Cron runs on a day matching day-of-month OR day-of-week when both are restricted.
    const domDays = Math.min(cronFieldCount(dom, 1, 31), DAYS_PER_MONTH);
    const dowDays = (cronFieldCount(dow, 0, 7, DAYS) * DAYS_PER_MONTH) / 7;
    const days = domAll && dowAll ? DAYS_PER_MONTH : domAll ? dowDays : dowAll ? domDays : Math.min(DAYS_PER_MONTH, domDays + dowDays);
    return (perDay * days * cronFieldCount(month, 1, 12, MONTHS)) / 12;
}

const unquote = (s: string) => s.replace(/"/g, "");

/** The estimate for the resources of one evaluated stack. */
export function estimateCredits(resources: RecordedResource[], quota?: number): CreditEstimate {
    const warehouses = new Map(resources.filter((r) => r.type === WAREHOUSE_TYPE).map((w) => [String(w.inputs.name), w]));
    const lines: CreditLine[] = [];
    const line = (what: string, warehouseName: string, runsPerMonth: number, runSeconds: number, everySeconds: number, note?: string) => {
        const w = warehouses.get(unquote(warehouseName));
        if (!w) throw new Error(`${what} runs on warehouse ${warehouseName}, which the stack does not declare`);
        const size = String(w.inputs.warehouseSize);
        const perHour = CREDITS_PER_HOUR[size];
        if (perHour === undefined) throw new Error(`Warehouse ${w.inputs.name}: no published credits per hour for size ${size}`);
        const billed = billedSecondsPerRun(runSeconds, Number(w.inputs.autoSuspend), everySeconds);
        const creditsPerRun = (billed * perHour) / 3600;
        lines.push({ what, warehouse: String(w.inputs.name), size, runsPerMonth, billedSecondsPerRun: billed, creditsPerRun, creditsPerMonth: runsPerMonth * creditsPerRun, note });
    };

    const tasks = resources.filter((r) => r.type === TASK_TYPE);
    for (const root of tasks.filter((t) => !(t.inputs.afters?.length > 0) && !t.inputs.finalize)) {
        const cron = root.inputs.schedule?.usingCron;
        const minutes = root.inputs.schedule?.minutes;
        const scheduled = cron ? cronRunsPerMonth(cron) : minutes ? (DAYS_PER_MONTH * 24 * 60) / minutes : 0;
        const every = scheduled > 0 ? (DAYS_PER_MONTH * 24 * 3600) / scheduled : Infinity;
        const started = root.inputs.started === true;
        line(`task graph ${root.inputs.name}`, String(root.inputs.warehouse), started ? scheduled : 0, ASSUMED_GRAPH_RUN_MINUTES * 60, every, started ? undefined : "root suspended: manual runs only");
    }
    for (const alert of resources.filter((r) => r.type === ALERT_TYPE)) {
        const schedule = alert.inputs.alertSchedule ?? {};
        const checks = schedule.interval ? (DAYS_PER_MONTH * 24 * 60) / schedule.interval : schedule.cron ? cronRunsPerMonth(schedule.cron.expression) : 0;
        const enabled = alert.inputs.enabled === true;
        line(`alert ${alert.inputs.name}`, String(alert.inputs.warehouse), enabled ? checks : 0, ASSUMED_ALERT_CHECK_SECONDS, checks > 0 ? (DAYS_PER_MONTH * 24 * 3600) / checks : Infinity, enabled ? undefined : "disabled");
    }
    return { lines, total: lines.reduce((sum, l) => sum + l.creditsPerMonth, 0), quota };
}

/**
 * The estimate of an evaluated stack, against its resource monitor's quota: the monitor
 * belongs to the bootstrap, which renders it from the stack file's `monthlyCreditQuota`.
 */
export function stackCredits(ev: Evaluation): CreditEstimate {
    const quota = readStackFile(ev.stack)["snowflake-mlops:monthlyCreditQuota"];
    return estimateCredits(ev.resources, quota === undefined ? undefined : Number(quota));
}

export const credits = (n: number) => n.toFixed(1);

export function renderCredits(e: CreditEstimate): string[] {
    const quota = e.quota === undefined ? "" : ` of a ${e.quota}-credit monthly quota (${Math.round((100 * e.total) / e.quota)} %)`;
    return [
        `Estimated credits per ${DAYS_PER_MONTH}-day month: ${credits(e.total)}${quota}`,
        ...e.lines.map(
            (l) =>
                `  ${credits(l.creditsPerMonth).padStart(7)}  ${l.what} on ${l.warehouse} (${l.size}, ${CREDITS_PER_HOUR[l.size]} credit/h): ` +
                `${Number(l.runsPerMonth.toFixed(1))} runs x ${l.billedSecondsPerRun} s billed${l.note ? ` (${l.note}; ${l.creditsPerRun.toFixed(3)} credits per run)` : ""}`,
        ),
        `  (graph runs assumed ${ASSUMED_GRAPH_RUN_MINUTES} min, alert checks ${ASSUMED_ALERT_CHECK_SECONDS} s; each resume bills at least ${MINIMUM_BILLED_SECONDS} s and runs until auto-suspend;`,
        "   not counted: manual and analyst queries, deploys on the connection warehouse, cloud services, storage, serverless features)",
    ];
}

/** One line: how the estimate changes from one stack to another. */
export function renderCreditChange(fromStack: string, from: CreditEstimate, toStack: string, to: CreditEstimate): string[] {
    const delta = to.total - from.total;
    const byWhat = new Map(from.lines.map((l) => [l.what, l]));
    const changed = to.lines.filter((l) => credits(byWhat.get(l.what)?.creditsPerMonth ?? 0) !== credits(l.creditsPerMonth));
    const gone = from.lines.filter((l) => !to.lines.some((t) => t.what === l.what) && l.creditsPerMonth > 0);
    return [
        `Estimated credits per ${DAYS_PER_MONTH}-day month: ${credits(from.total)} in ${fromStack} -> ${credits(to.total)} in ${toStack} (${delta >= 0 ? "+" : ""}${credits(delta)})`,
        ...changed.map((l) => `  ${l.what}: ${credits(byWhat.get(l.what)?.creditsPerMonth ?? 0)} -> ${credits(l.creditsPerMonth)} (on ${l.warehouse}, ${l.size})`),
        ...gone.map((l) => `  ${l.what}: ${credits(l.creditsPerMonth)} -> (not declared)`),
    ];
}
