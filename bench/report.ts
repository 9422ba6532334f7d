/**
 * The bench's outputs: a table for the terminal, bench/results/report.md, bench/results/chart.svg
 * (bars of wall time per contender, drawn here: no charting dependency) and bench/results/latest.json
 * (headline ratios, every raw row, the N values, the machine and the date).
 */
import * as fs from "fs";
import * as path from "path";
import type { ScaleResult } from "./contenders/scale";
import type { FixtureComparison } from "./fixtureStartup";
import { fixtureHeadline } from "./contenders/fixtureStartup";
import { BenchRow, busyRows, errorHeadline } from "./harness";
import { MEMORY_METHOD } from "./processSampler";
import { renderSvg } from "./chart";

/** Everything one bench run produced. */
export interface BenchResult {
    /** ISO 8601. */
    date: string;
    machine: {
        nproc: number;
        node: string;
        platform: string;
        cpu: string;
        memoryBytes: number;
        /** 1-minute load average when the run started and ended: other work on the machine skews wall times. */
        loadAverage: { atStart: number; atEnd: number };
    };
    tools: { pulumi?: string; awsCli?: string; awsCliFoundVia?: string };
    options: {
        quick: boolean;
        ns: number[];
        scale?: boolean;
        concurrency: number;
        diagnose: boolean;
        throttleRate: number;
        throttleBurst: number;
    };
    /** Batch `up` time / floor time at the largest N. */
    batchVsFloor?: number;
    /** Per-resource `up` time / floor time at the largest N. */
    perResourceVsFloor?: number;
    /** The N of `perResourceVsFloor` (a --quick run measures N × CognitoUser at its small N only). */
    perResourceVsFloorN?: number;
    /** Throttled batch: admitted AdminCreateUser rate / quota, at the largest N. */
    throttledEfficiency?: number;
    /** Users missing after the throttled batch runs (all N), must be 0. */
    failedUsers?: number;
    /** Users missing (or left behind) per row id and N, for every contender that creates or deletes users. */
    failedUsersByRow: Record<string, number>;
    /** Serialized provider bytes (stored in every dynamic resource's state). */
    serializedProviderBytes: { cognitoUser?: number; cognitoUserBatch?: number };
    /** `pulumi stack export` bytes / N after the `up` of each form, at the largest N it ran at. */
    stateBytesPerUser: { cognitoUser?: number; cognitoUserBatch?: number };
    /** The scale run's headline (`--scale`), against its targets: reported, never asserted. */
    scale?: ScaleResult;
    /** The test fixture against the same users set up by hand (`vsHandWritten`, target ≤ 1.5): medians of alternated rounds. */
    fixture?: FixtureComparison;
    memoryMethod: string;
    rows: BenchRow[];
    /** Findings worked out from the rows (where the per-resource time goes). */
    analysis: string[];
    notes: string[];
    /** Rows with errors, as `id@N: message`. */
    errors: string[];
}

const fmt = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? "-" : value.toFixed(digits));
const mb = (bytes: number | undefined) => (bytes === undefined ? "-" : (bytes / 1024 / 1024).toFixed(0));

/** Row of the table, as strings: contender, N, wall s, users/s, × floor, peak MB, state B/user, status. */
function cells(row: BenchRow): string[] {
    const status = row.error
        ? `ERROR: ${errorHeadline(row.error)}`
        : row.skipped
          ? `skipped: ${row.skipped}`
          : row.failedUsers
            ? `${row.failedUsers} failed users`
            : "";
    return [
        row.label,
        String(row.n),
        fmt(row.wallSeconds, row.wallSeconds !== undefined && row.wallSeconds < 10 ? 2 : 1),
        fmt(row.usersPerSecond, 0),
        row.vsFloor === undefined ? "-" : `${row.vsFloor.toFixed(1)}×`,
        mb(row.peakRssBytes),
        row.stateBytesPerUser === undefined ? "-" : row.stateBytesPerUser.toFixed(0),
        status,
    ];
}

const HEADER = ["contender", "N", "wall s", "users/s", "× floor", "peak MB", "state B/user", "status"];

/** The table for the terminal. */
export function renderTable(result: BenchResult): string {
    const rows = result.rows.map(cells);
    const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 7 ? Math.min(r[i].length, 60) : r[i].length))));
    const line = (r: string[]) =>
        r
            .map((c, i) => (i === 7 ? c.slice(0, 100) : i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
            .join("  ")
            .trimEnd();
    return [line(HEADER), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function markdownTable(header: string[], rows: string[][]): string {
    const escape = (c: string) => c.replace(/\|/g, "\\|").replace(/\n/g, " ");
    return [
        `| ${header.join(" | ")} |`,
        `| ${header.map((_, i) => (i === 0 || i === header.length - 1 ? "---" : "---:")).join(" | ")} |`,
        ...rows.map((r) => `| ${r.map(escape).join(" | ")} |`),
    ].join("\n");
}

/** CPU seconds by component, largest first, e.g. `engine (pulumi CLI) 12.3, dynamic provider host (node) 8.1`. */
export function cpuSummary(row: BenchRow): string {
    const parts = Object.entries(row.cpuSeconds ?? {})
        .filter(([, seconds]) => seconds >= 0.05)
        .sort((a, b) => b[1] - a[1])
        .map(([component, seconds]) => `${component} ${seconds.toFixed(1)}`);
    if (row.cognitoLocalCpuSeconds !== undefined) parts.push(`emulator ${row.cognitoLocalCpuSeconds.toFixed(1)}`);
    return parts.join(", ");
}

/** The headline of a regular run: the ratios at the largest N. */
function regularHeadline(result: BenchResult): string[] {
    const lines: string[] = [];
    const largest = result.options.ns[result.options.ns.length - 1];
    lines.push(`- batch \`up\` / floor at N = ${largest}: **${fmt(result.batchVsFloor, 2)}×**`);
    lines.push(`- per-resource \`up\` / floor at N = ${result.perResourceVsFloorN ?? largest}: **${fmt(result.perResourceVsFloor, 2)}×**`);
    lines.push(
        `- throttled efficiency (admitted AdminCreateUser rate / ${result.options.throttleRate} per second) at N = ${largest}: **${fmt(result.throttledEfficiency, 2)}**`,
    );
    lines.push(`- failed users in the throttled runs: **${result.failedUsers ?? "-"}**`);
    lines.push(
        `- serialized provider: CognitoUser ${result.serializedProviderBytes.cognitoUser ?? "-"} bytes (stored in every user's state), ` +
            `CognitoUserBatch ${result.serializedProviderBytes.cognitoUserBatch ?? "-"} bytes (once per batch)`,
    );
    return lines;
}

/** The headline of a scale run, each number beside its target (reported, not asserted). */
export function scaleHeadline(scale: ScaleResult): string[] {
    return [
        `- N = ${scale.n} users in one CognitoUserBatch on ${scale.emulator}`,
        `- batch \`up\` / floor (scale.batchVsFloor): **${fmt(scale.batchVsFloor, 2)}×** (target ≤ 1.2)`,
        `- \`refresh\` / one ListUsers scan (scale.refreshVsScan): **${fmt(scale.refreshVsScan, 2)}×** (target ≤ 1.5; the scan took ${fmt(scale.scanSeconds, 2)} s)`,
        `- no-change \`up\` (scale.noChangeUpSeconds): **${fmt(scale.noChangeUpSeconds, 1)} s** (target ≤ 5)`,
        `- peak memory of the Pulumi CLI's process tree (scale.peakMemoryMB): **${fmt(scale.peakMemoryMB, 0)} MB** (target ≤ 800 at 10,000 users, ≤ 2,048 at 100,000)` +
            (scale.peakMemoryByProcess
                ? `; at that moment: ${Object.entries(scale.peakMemoryByProcess)
                      .sort((a, b) => b[1] - a[1])
                      .map(([process, mb]) => `${process} ${mb}`)
                      .join(", ")} MB`
                : ""),
        `- \`pulumi preview\` with 3 users changed names exactly those 3 (scale.previewNamesOnlyChanged): **${scale.previewNamesOnlyChanged === undefined ? "-" : scale.previewNamesOnlyChanged ? "yes" : "no"}**`,
    ];
}

/** bench/results/report.md. */
export function renderMarkdown(result: BenchResult): string {
    const out: string[] = [];
    const kind = result.scale
        ? "scale run"
        : result.options.quick
          ? "quick run"
          : result.options.ns.join(",") === "100,1000"
            ? "full run"
            : "custom run";
    const where = result.scale
        ? `N = ${result.scale.n} on ${result.scale.emulator}`
        : `N = ${result.options.ns.join(", ")} · one cognito-local, a fresh pool per contender`;
    out.push(`# Benchmark: creating Cognito users (${kind})`);
    out.push("");
    out.push(
        `${result.date} · ${result.machine.nproc} cores (${result.machine.cpu}) · Node ${result.machine.node} · ` +
            `Pulumi ${result.tools.pulumi ?? "?"} · ${result.tools.awsCli ?? "no AWS CLI"} · ${where} · ` +
            `concurrency ${result.options.concurrency} for every contender · ` +
            `load average ${result.machine.loadAverage.atStart.toFixed(1)} at start, ${result.machine.loadAverage.atEnd.toFixed(1)} at end`,
    );
    out.push("");
    const busy = busyRows(result.rows, result.machine.nproc);
    if (busy.length > 0) {
        const steps = busy.map(
            (r) => `${r.label} at N = ${r.n} (${r.loadAverage!.atStart.toFixed(1)} → ${r.loadAverage!.atEnd.toFixed(1)})`,
        );
        out.push(
            `**Warning: ${busy.length} steps ran with a load average above the ${result.machine.nproc} cores**, so their figures are not comparable: ${steps.join("; ")}.`,
        );
        out.push("");
    }
    out.push("## Headline");
    out.push("");
    if (result.scale) out.push(...scaleHeadline(result.scale));
    else if (result.rows.some((r) => !r.id.startsWith("fixture"))) out.push(...regularHeadline(result));
    if (result.fixture) out.push(...fixtureHeadline(result.fixture));
    const state = result.stateBytesPerUser;
    if (result.rows.some((r) => !r.id.startsWith("fixture")))
        out.push(
            `- state bytes per user (stateBytesPerUser: the package's resources in \`pulumi stack export\`, compact JSON, / N): CognitoUser ${state?.cognitoUser ?? "-"}, CognitoUserBatch ${state?.cognitoUserBatch ?? "-"} (target for the batch: ≤ 411, its figure before the users became JSON strings)`,
        );
    out.push("");
    out.push("## Results");
    out.push("");
    out.push(markdownTable(HEADER, result.rows.map(cells)));
    out.push("");
    out.push(
        `Peak memory: ${result.memoryMethod}. × floor: wall time / the floor's at the same N. state B/user: \`pulumi stack export\` bytes / N.`,
    );
    out.push("");
    out.push("![wall time per contender](chart.svg)");
    out.push("");
    if (result.analysis.length > 0) {
        out.push("## Where the time goes");
        out.push("");
        for (const line of result.analysis) out.push(`- ${line}`);
        out.push("");
    }
    out.push("## CPU by component (seconds, sampled)");
    out.push("");
    out.push(
        markdownTable(
            ["contender", "N", "CPU"],
            result.rows
                .filter((r) => r.cpuSeconds || r.cognitoLocalCpuSeconds !== undefined)
                .map((r) => [r.label, String(r.n), cpuSummary(r)]),
        ),
    );
    out.push("");
    out.push("## Notes per row");
    out.push("");
    for (const row of result.rows) {
        const extra = Object.entries(row.extra)
            .map(([k, v]) => `${k}=${typeof v === "number" && !Number.isInteger(v) ? v.toFixed(2) : v}`)
            .join(", ");
        const text = [...row.notes, row.skipped ? `skipped: ${row.skipped}` : "", row.error ? `ERROR: ${row.error}` : "", extra]
            .filter(Boolean)
            .join("; ");
        out.push(`- **${row.label}, N = ${row.n}**: ${text}`);
    }
    out.push("");
    if (result.notes.length > 0) {
        out.push("## Method");
        out.push("");
        for (const note of result.notes) out.push(`- ${note}`);
        out.push("");
    }
    if (result.errors.length > 0) {
        out.push("## Errors");
        out.push("");
        for (const error of result.errors) out.push(`- ${error.replace(/\n/g, " ")}`);
        out.push("");
    }
    return out.join("\n");
}

/** Writes latest.json first (the raw rows survive a rendering bug), then report.md and chart.svg, into `dir`. */
export function writeResults(dir: string, result: BenchResult): string[] {
    fs.mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    const write = (name: string, content: string) => {
        fs.writeFileSync(path.join(dir, name), content);
        written.push(path.join(dir, name));
    };
    write("latest.json", JSON.stringify(result, null, 2) + "\n");
    write("report.md", renderMarkdown(result));
    write("chart.svg", renderSvg(result));
    return written;
}

/** Rows measured so far, saved after each contender so a long run that dies keeps its numbers. */
export function writePartialRows(dir: string, rows: BenchRow[]): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "partial.json"), JSON.stringify({ savedAt: new Date().toISOString(), rows }, null, 2) + "\n");
}

/** Removes the partial rows once the full results are written. */
export function removePartialRows(dir: string): void {
    fs.rmSync(path.join(dir, "partial.json"), { force: true });
}

export { MEMORY_METHOD };
