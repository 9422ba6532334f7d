/**
 * bench/results/chart.svg, drawn here (no charting dependency): bars of wall time per contender, one panel
 * per N, on a logarithmic scale.
 */
import type { BenchRow } from "./harness";

/** What the chart draws of a bench run. */
export interface ChartedRun {
    date: string;
    machine: { nproc: number };
    options: { concurrency: number };
    rows: BenchRow[];
}

const COLORS: Array<[RegExp, string]> = [
    [/^floor/, "#7f7f7f"],
    [/^aws-cli/, "#ff7f0e"],
    [/^per-resource/, "#d62728"],
    [/^batch/, "#2ca02c"],
    [/^throttled/, "#1f77b4"],
    [/^diag/, "#9467bd"],
    [/^fixture/, "#8c564b"],
];

function xml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * bench/results/chart.svg: one panel per N, a horizontal bar of wall time per contender. The scale is
 * logarithmic (decades marked): the floor takes a second where the AWS CLI loop takes minutes, and a
 * linear scale would flatten every bar but the longest.
 */
export function renderSvg(result: ChartedRun): string {
    const width = 960;
    const labelWidth = 360;
    const valueWidth = 120;
    const plotWidth = width - labelWidth - valueWidth;
    const barHeight = 18;
    const gap = 6;
    const parts: string[] = [];
    const timed = result.rows.filter((r) => r.wallSeconds !== undefined && r.wallSeconds > 0);
    const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...timed.map((r) => r.wallSeconds!), 1))));
    const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...timed.map((r) => r.wallSeconds!), 10))));
    const x = (seconds: number) =>
        labelWidth + (plotWidth * (Math.log10(Math.max(seconds, lo)) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));
    let y = 44;
    const groups = [...new Set(timed.map((r) => r.n))].sort((a, b) => a - b);
    for (const n of groups) {
        const rows = timed.filter((r) => r.n === n);
        const title = rows.every((r) => r.id.startsWith("fixture")) ? `Test fixture, ${n} users` : `N = ${n}`;
        parts.push(`<text x="10" y="${y + 18}" font-size="15" font-weight="bold">${xml(title)}</text>`);
        y += 28;
        const top = y;
        for (const row of rows) {
            const end = x(row.wallSeconds!);
            const color = COLORS.find(([pattern]) => pattern.test(row.id))?.[1] ?? "#17becf";
            const ratio = row.vsFloor !== undefined && !row.id.startsWith("floor") ? ` (${row.vsFloor.toFixed(1)}×)` : "";
            parts.push(`<text x="${labelWidth - 8}" y="${y + barHeight - 4}" font-size="12" text-anchor="end">${xml(row.label)}</text>`);
            parts.push(
                `<rect x="${labelWidth}" y="${y}" width="${Math.max(1, end - labelWidth).toFixed(1)}" height="${barHeight}" fill="${color}">` +
                    `<title>${xml(`${row.label}: ${row.wallSeconds!.toFixed(2)} s`)}</title></rect>`,
            );
            parts.push(
                `<text x="${(end + 6).toFixed(1)}" y="${y + barHeight - 4}" font-size="12">${row.wallSeconds!.toFixed(1)} s${ratio}</text>`,
            );
            y += barHeight + gap;
        }
        for (let decade = lo; decade <= hi; decade *= 10) {
            const gx = x(decade).toFixed(1);
            parts.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${y}" stroke="#bbb" stroke-dasharray="2,3"/>`);
            parts.push(
                `<text x="${gx}" y="${y + 12}" font-size="10" fill="#666" text-anchor="middle">${decade >= 1 ? decade.toFixed(0) : decade} s</text>`,
            );
        }
        y += 30;
    }
    const height = y + 10;
    const title = `Wall time per contender, log scale (lower is better) · ${result.date.slice(0, 10)} · ${result.machine.nproc} cores · concurrency ${result.options.concurrency}`;
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
        `<rect width="100%" height="100%" fill="white"/>`,
        `<text x="10" y="24" font-size="16" font-weight="bold">${xml(title)}</text>`,
        ...parts,
        `</svg>`,
        "",
    ].join("\n");
}
