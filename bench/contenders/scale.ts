/**
 * `npm run bench -- --scale`: the batch at a large N (default 10,000) against moto's server, the stricter
 * emulator that keeps users in memory, so the numbers measure the provider and not cognito-local's JSON
 * store (rewritten on every write). In one run, on the same emulator: the raw-SDK floor, the batch's
 * `up`, a no-change `up`, a `refresh`, one ListUsers scan of the same pool (what a refresh in pages
 * cannot beat), `destroy`, and the per-resource form's state size at a small N. Reported, never asserted.
 */
import { ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { MOTO_SERVER, startMoto } from "../../test/support/moto";
import { beginStep, BENCH_REGION, BenchContext, BenchOptions, BenchRow, briefError, newRow, recordRun, secondsSince } from "../harness";
import { BenchProject } from "../pulumiProject";
import { runFloor } from "./floor";
import { BATCH_PROGRAM, unpacedRates } from "./pulumiBatch";
import { runPulumiLifecycle } from "./pulumiLifecycle";
import { PER_RESOURCE_PROGRAM } from "./pulumiPerResource";

/** The per-resource form's N in a scale run: enough to spread the stack's own resources thin. */
export const SCALE_PER_RESOURCE_N = 50;

/** The headline numbers of a scale run, as `latest.json` carries them under `scale`. */
export interface ScaleResult {
    /** Users in the batch. */
    n: number;
    /** Which emulator, e.g. `moto 5.2.5 (in memory)`. */
    emulator: string;
    /** Batch `up` wall time / the floor's at the same N. Target (reported, not asserted): ≤ 1.2. */
    batchVsFloor?: number;
    /** Batch `refresh` wall time / one ListUsers scan of the same pool. Target: ≤ 1.5. */
    refreshVsScan?: number;
    /** The scan: ListUsers pages of 60, one after another, seconds. */
    scanSeconds?: number;
    /** Wall time of the batch's second `up`, nothing changed. Target: ≤ 5. */
    noChangeUpSeconds?: number;
    /** The largest peak resident memory of the Pulumi CLI's process tree over the batch's commands, MB. */
    peakMemoryMB?: number;
    /** That peak split by process kind (CLI, language host, program, dynamic-provider host), MB: which process to slim. */
    peakMemoryByProcess?: Record<string, number>;
    /** `pulumi preview` with 3 users' attributes changed: whether its output named exactly those 3 users (and no password). */
    previewNamesOnlyChanged?: boolean;
}

/** Users the preview step changes. */
const PREVIEWED_CHANGES = 3;

/**
 * `pulumi preview` (plain, as a reviewer runs it) of the batch with 3 users' attributes changed: timed, and
 * checked to name exactly those users; the declaration is put back afterwards.
 */
async function previewThreeChanged(project: BenchProject, scale: ScaleResult, log: (line: string) => void): Promise<BenchRow> {
    const row = newRow("scale-batch-preview", `scale: 1 CognitoUserBatch: preview, ${PREVIEWED_CHANGES} users changed`, scale.n);
    const specFile = path.join(project.dir, "bench-spec.json");
    const original = fs.readFileSync(specFile, "utf8");
    const spec = JSON.parse(original) as { users: Array<{ username: string; attributes: Record<string, string> }> };
    const picked = [0, Math.floor(spec.users.length / 2), spec.users.length - 1].map((i) => spec.users[i]);
    for (const user of picked) user.attributes = { ...user.attributes, name: "Changed" };
    fs.writeFileSync(specFile, JSON.stringify(spec));
    try {
        log(`  ${row.label} ...`);
        beginStep(row);
        const run = await project.run(["preview"]);
        recordRun(row, run.wallSeconds, run.usage);
        const named = new Set(spec.users.map((u) => u.username).filter((name) => run.stdout.includes(`~ ${name}:`)));
        const expected = picked.map((u) => u.username);
        scale.previewNamesOnlyChanged =
            named.size === expected.length && expected.every((name) => named.has(name)) && /3 users change/.test(run.stdout);
        if (!scale.previewNamesOnlyChanged)
            row.error = `the preview named ${[...named].join(", ") || "no user"}; expected ${expected.join(", ")}`;
        row.notes.push(`names exactly the ${PREVIEWED_CHANGES} changed users: ${scale.previewNamesOnlyChanged ? "yes" : "no"}`);
        log(`    ${run.wallSeconds.toFixed(1)} s; names exactly the changed users: ${scale.previewNamesOnlyChanged}`);
    } catch (error) {
        row.error = briefError(error);
    } finally {
        fs.writeFileSync(specFile, original);
    }
    return row;
}

/** How long one scan of the pool takes: ListUsers, 60 a page, until the last page; and how many users it saw. */
export async function timeListUsersScan(ctx: BenchContext, userPoolId: string): Promise<{ seconds: number; users: number }> {
    const start = process.hrtime.bigint();
    let users = 0;
    let token: string | undefined;
    do {
        const page = await ctx.client.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 60, PaginationToken: token }));
        users += page.Users?.length ?? 0;
        token = page.PaginationToken;
    } while (token);
    return { seconds: secondsSince(start), users };
}

/** Runs the scale run at `n` and returns its rows (ids prefixed `scale-`) and headline numbers. */
export async function runScale(
    options: BenchOptions,
    n: number,
    log: (line: string) => void,
    batchOnly = false,
): Promise<{ rows: BenchRow[]; scale: ScaleResult; motoVersion: string }> {
    const moto = await startMoto();
    // The emulator's CPU is read from moto_server itself, not from the shell that watches it.
    const emulatorPid = childPid(moto.pid) ?? moto.pid;
    const ctx: BenchContext = { endpoint: moto.endpoint, cognitoLocalPid: emulatorPid, client: moto.clientFor(BENCH_REGION), options, log };
    const version = motoVersion();
    const emulator = `moto ${version} (in memory)`;
    log(`bench: --scale: N = ${n} on ${emulator} at ${moto.endpoint}`);
    const rows: BenchRow[] = [];
    const scale: ScaleResult = { n, emulator };
    try {
        if (!batchOnly) {
            const floor = await runFloor(ctx, n);
            rows.push(relabel(floor, "scale-floor", `scale: floor, SDK script (${emulator})`));
            log(`  floor: ${floor.wallSeconds?.toFixed(1) ?? floor.error} s`);
        }

        const batch = await runPulumiLifecycle(
            ctx,
            n,
            {
                id: "scale-batch",
                label: "scale: 1 CognitoUserBatch",
                program: BATCH_PROGRAM,
                rates: unpacedRates(),
                fullLifecycle: true,
                refresh: true,
                createsUsers: true,
                upNote: `rates 0 (unpaced: ${emulator} has no quotas); AdminCreateUser + AdminSetUserPassword per user`,
            },
            {
                afterNoChangeUp: async (project) => [await previewThreeChanged(project, scale, log)],
                beforeRefresh: async (userPoolId) => {
                    const scan = await timeListUsersScan(ctx, userPoolId);
                    scale.scanSeconds = scan.seconds;
                    log(`  one ListUsers scan of ${scan.users} users: ${scan.seconds.toFixed(2)} s`);
                },
            },
        );
        rows.push(...batch);

        if (!batchOnly)
            rows.push(
                ...(await runPulumiLifecycle(ctx, SCALE_PER_RESOURCE_N, {
                    id: "scale-per-resource",
                    label: "scale: N × CognitoUser (state size)",
                    program: PER_RESOURCE_PROGRAM,
                    fullLifecycle: false,
                    createsUsers: true,
                    upNote: "run for its state bytes per user; the pool is deleted with its users afterwards",
                })),
            );
    } finally {
        await moto.stop();
    }

    const measured = (id: string) => rows.find((r) => r.id === id && r.wallSeconds !== undefined && !r.error);
    const floor = measured("scale-floor");
    for (const row of rows) {
        if (floor && row.n === floor.n && row.wallSeconds !== undefined && row.id !== "scale-floor")
            row.vsFloor = row.wallSeconds / floor.wallSeconds!;
    }
    scale.batchVsFloor = measured("scale-batch-up")?.vsFloor;
    scale.noChangeUpSeconds = measured("scale-batch-up-again")?.wallSeconds;
    const refresh = measured("scale-batch-refresh");
    if (refresh && scale.scanSeconds) scale.refreshVsScan = refresh.wallSeconds! / scale.scanSeconds;
    const highest = rows
        .filter((r) => r.id.startsWith("scale-batch") && r.peakRssBytes !== undefined)
        .sort((a, b) => b.peakRssBytes! - a.peakRssBytes!)[0];
    if (highest) {
        scale.peakMemoryMB = highest.peakRssBytes! / 1024 / 1024;
        scale.peakMemoryByProcess = highest.peakRssMBByComponent;
    }
    return { rows, scale, motoVersion: version };
}

/** A row under another id and label (the floor's own are `floor`, which the regular run uses). */
function relabel(row: BenchRow, id: string, label: string): BenchRow {
    return { ...row, id, label };
}

/** moto's version, from the venv scripts/setup-moto.sh made (it pins it). */
function motoVersion(): string {
    try {
        const python = path.join(path.dirname(MOTO_SERVER), "python");
        return execFileSync(python, ["-c", "import moto; print(moto.__version__)"], { encoding: "utf8" }).trim();
    } catch {
        return "?";
    }
}

/** The first child of a process (Linux /proc), if it has one. */
function childPid(pid: number): number | undefined {
    try {
        const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
        return children[0] ? Number(children[0]) : undefined;
    } catch {
        return undefined;
    }
}
