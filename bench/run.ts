/**
 * `npm run bench`: how long creating N Cognito users takes with each way of doing it, on one
 * cognito-local started here (free port, temporary data folder), a fresh pool per contender, the same
 * concurrency for all. Contenders: the floor (a plain SDK script), a shell loop of the AWS CLI,
 * `pulumi up` of N `CognitoUser`s, `pulumi up` of one `CognitoUserBatch` (each followed by a second
 * `up` with nothing changed and a `destroy`), the batch through a proxy enforcing Cognito's
 * UserCreation quota, and the test fixture's start-up. Writes bench/results/{report.md,chart.svg,latest.json}.
 * Speed is measured, never asserted: the bench fails only on errors (a failed command, missing users).
 *
 *   npm run bench                     N = 100 and 1000
 *   npm run bench -- --quick          N = 100 and 1000, the slow contenders at 100 only (a few minutes on 2 cores)
 *   options: --n=100,1000  --concurrency=10  --diagnose (split the per-resource cost)
 *            --only=floor,aws-cli,per-resource,batch,throttled,fixture,diag  --out=<dir>
 *            --throttle-rate=50  --throttle-burst=5
 *            --render: only re-render report.md and chart.svg from <out>/latest.json
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startCognitoLocal, useDummyCredentials } from "../provider/local/cognitoLocal";
import { ensurePulumi, repoRoot } from "../scripts/pulumiEnv";
import { runPulumi } from "../scripts/runPulumi";
import { AWS_CLI_INSTALL_HINT, findAwsCli, runAwsCli } from "./contenders/awsCli";
import { runDiagnostics } from "./contenders/diagnostics";
import { runFixtureStartup, runFixtureStartupEmbedded } from "./contenders/fixtureStartup";
import { runFloor } from "./contenders/floor";
import { batchAvailable, runBatch } from "./contenders/pulumiBatch";
import { runPerResource } from "./contenders/pulumiPerResource";
import { measureSerializedProviders } from "./contenders/serializedProvider";
import { runThrottledBatch } from "./contenders/throttledBatch";
import { BENCH_REGION, BenchContext, BenchOptions, BenchRow, errorHeadline, newRow } from "./harness";
import { MEMORY_METHOD, procAvailable } from "./processSampler";
import { BenchResult, removePartialRows, renderTable, writePartialRows, writeResults } from "./report";

/** In a --quick run, the slow contenders (AWS CLI loop, N × CognitoUser) run only up to this N. */
const QUICK_SLOW_MAX_N = 100;

/** Contender groups `--only` accepts. */
const GROUPS = ["floor", "aws-cli", "per-resource", "batch", "throttled", "fixture", "diag"] as const;

/** Parses the command line; throws on anything unknown so a typo does not silently run the wrong bench. */
export function parseArgs(argv: string[]): BenchOptions & { out: string; render: boolean } {
    const options: BenchOptions & { out: string; render: boolean } = {
        render: false,
        ns: [100, 1000],
        concurrency: 10,
        quick: false,
        diagnose: false,
        throttleRate: 50,
        throttleBurst: 5,
        only: [],
        out: path.join(repoRoot, "bench", "results"),
    };
    let explicitNs: number[] | undefined;
    for (const arg of argv) {
        const [name, value] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const positive = (what: string) => {
            const number = Number(value);
            if (!Number.isInteger(number) || number <= 0)
                throw new Error(`${name} needs a positive integer, got ${JSON.stringify(value)} (${what})`);
            return number;
        };
        switch (name) {
            case "--quick":
                options.quick = true;
                break;
            case "--render":
                options.render = true;
                break;
            case "--diagnose":
                options.diagnose = true;
                break;
            case "--n":
                explicitNs = (value ?? "").split(",").map((v) => {
                    const n = Number(v);
                    if (!Number.isInteger(n) || n <= 0)
                        throw new Error(`--n needs positive integers, e.g. --n=100,1000; got ${JSON.stringify(value)}`);
                    return n;
                });
                break;
            case "--concurrency":
                options.concurrency = positive("calls in flight");
                break;
            case "--throttle-rate":
                options.throttleRate = positive("AdminCreateUser per second");
                break;
            case "--throttle-burst":
                options.throttleBurst = positive("token bucket capacity");
                break;
            case "--only":
                options.only = (value ?? "").split(",").filter(Boolean);
                for (const group of options.only) {
                    if (!(GROUPS as readonly string[]).includes(group))
                        throw new Error(`--only: unknown contender "${group}" (known: ${GROUPS.join(", ")})`);
                }
                break;
            case "--out":
                if (!value) throw new Error("--out needs a folder");
                options.out = path.resolve(value);
                break;
            default:
                throw new Error(`unknown option ${arg} (see the comment at the top of bench/run.ts)`);
        }
    }
    // --quick keeps the headline N = 1000 for the fast contenders (floor, batch, throttled: seconds each)
    // and runs the slow ones (the AWS CLI loop, N × CognitoUser: minutes at 1000) at the small N only.
    options.ns = [...new Set(explicitNs ?? [100, 1000])].sort((a, b) => a - b);
    if (options.diagnose && options.only.length > 0 && !options.only.includes("diag")) options.only.push("diag");
    return options;
}

/** Whether a contender group runs. */
function wants(options: BenchOptions, group: (typeof GROUPS)[number]): boolean {
    if (group === "diag") return options.diagnose || options.only.includes("diag");
    return options.only.length === 0 || options.only.includes(group);
}

/** A row's value by id at N. */
function find(rows: BenchRow[], id: string, n: number): BenchRow | undefined {
    return rows.find((r) => r.id === id && r.n === n && r.wallSeconds !== undefined && !r.error);
}

/** Where the per-resource time goes, in sentences, from the largest N that has the rows. */
export function analyse(rows: BenchRow[], ns: number[], serializedCognitoUser: number | undefined): string[] {
    const lines: string[] = [];
    const ms = (seconds: number, n: number) => `${((seconds * 1000) / n).toFixed(0)} ms`;
    const n = [...ns].reverse().find((candidate) => find(rows, "per-resource-up", candidate));
    if (n === undefined) return lines;
    const up = find(rows, "per-resource-up", n)!;
    const floor = find(rows, "floor", n);
    const batch = find(rows, "batch-up", n);
    const again = find(rows, "per-resource-up-again", n);
    const destroy = find(rows, "per-resource-destroy", n);
    const noop = find(rows, "diag-noop-up", n);
    const noCheckpoints = find(rows, "diag-per-resource-nockpt-up", n);
    let text = `At N = ${n}, \`pulumi up\` of N CognitoUsers took ${up.wallSeconds!.toFixed(1)} s, ${ms(up.wallSeconds!, n)} per user`;
    if (floor)
        text += `; the floor took ${ms(floor.wallSeconds!, n)} per user, so the per-resource form costs ${ms(up.wallSeconds! - floor.wallSeconds!, n)} more per user (${up.vsFloor!.toFixed(1)}× the floor)`;
    if (batch) text += `; the batch took ${ms(batch.wallSeconds!, n)} per user (${batch.vsFloor?.toFixed(1) ?? "?"}× the floor)`;
    lines.push(text + ".");
    if (up.cpuSeconds) {
        const total = Object.values(up.cpuSeconds).reduce((a, b) => a + b, 0);
        const parts = Object.entries(up.cpuSeconds)
            .filter(([, s]) => s >= 0.1)
            .sort((a, b) => b[1] - a[1])
            .map(([component, s]) => `${component} ${s.toFixed(1)} s (${ms(s, n)}/user)`);
        lines.push(
            `CPU of the per-resource up's process tree: ${total.toFixed(1)} s in all: ${parts.join(", ")}` +
                (up.cognitoLocalCpuSeconds !== undefined ? `; cognito-local ${up.cognitoLocalCpuSeconds.toFixed(1)} s` : "") +
                (floor?.cognitoLocalCpuSeconds !== undefined
                    ? ` (${floor.cognitoLocalCpuSeconds.toFixed(1)} s for the floor's identical Cognito work)`
                    : "") +
                `. On 2 cores the wall time is bounded below by about total CPU / 2.`,
        );
    }
    if (again) {
        lines.push(
            `The second \`up\` (no change: only the engine's check and diff RPCs per resource, no Cognito call) took ${again.wallSeconds!.toFixed(1)} s, ${ms(again.wallSeconds!, n)} per resource: a floor for any per-resource operation.`,
        );
    }
    if (destroy) lines.push(`\`destroy\` took ${destroy.wallSeconds!.toFixed(1)} s, ${ms(destroy.wallSeconds!, n)} per user.`);
    if (noop) {
        lines.push(
            `N no-op dynamic resources (no Cognito call at all; program, engine and provider host only) took ${noop.wallSeconds!.toFixed(1)} s, ` +
                `${ms(noop.wallSeconds!, n)} per resource: ${((100 * noop.wallSeconds!) / up.wallSeconds!).toFixed(0)}% of the per-resource up's time, ` +
                `with ${noop.stateBytesPerUser?.toFixed(0) ?? "?"} state bytes per resource against ${up.stateBytesPerUser?.toFixed(0) ?? "?"}.`,
        );
    }
    if (noCheckpoints) {
        const saved = up.wallSeconds! - noCheckpoints.wallSeconds!;
        lines.push(
            `With PULUMI_SKIP_CHECKPOINTS=true (state written once, not after every step) the per-resource up took ${noCheckpoints.wallSeconds!.toFixed(1)} s: ` +
                `rewriting the state file after each step costs about ${saved.toFixed(1)} s (${((100 * saved) / up.wallSeconds!).toFixed(0)}%) at this N; it grows with N², as each write holds every resource so far.`,
        );
    }
    if (up.stateBytesPerUser !== undefined) {
        const batchState = batch?.stateBytesPerUser;
        let state = `State: ${up.stateBytesPerUser.toFixed(0)} bytes per user for CognitoUser`;
        if (serializedCognitoUser)
            state += `, of which the serialized provider (stored in each resource, inputs and outputs) is ${serializedCognitoUser} bytes`;
        if (batchState !== undefined) state += `; ${batchState.toFixed(0)} bytes per user for the batch`;
        lines.push(state + ".");
    }
    const small = ns.find((candidate) => candidate < n && find(rows, "per-resource-up", candidate));
    if (small !== undefined) {
        const a = find(rows, "per-resource-up", small)!;
        const perSmall = a.wallSeconds! / small;
        const perLarge = up.wallSeconds! / n;
        const floorSmall = find(rows, "floor", small);
        lines.push(
            `Scaling: per user, the per-resource up took ${(perSmall * 1000).toFixed(0)} ms at N = ${small} and ${(perLarge * 1000).toFixed(0)} ms at N = ${n}` +
                (floorSmall && floor
                    ? ` (the floor: ${((floorSmall.wallSeconds! / small) * 1000).toFixed(1)} ms and ${((floor.wallSeconds! / n) * 1000).toFixed(1)} ms; cognito-local slows as a pool grows)`
                    : "") +
                ".",
        );
    }
    return lines;
}

/** Re-renders report.md and chart.svg (and the analysis) from a saved latest.json: report changes without re-running. */
function renderSaved(out: string): void {
    const file = path.join(out, "latest.json");
    const result = JSON.parse(fs.readFileSync(file, "utf8")) as BenchResult;
    result.analysis = analyse(result.rows, result.options.ns, result.serializedProviderBytes.cognitoUser);
    const files = writeResults(out, result);
    process.stdout.write(renderTable(result) + "\n\n" + `re-rendered ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`);
}

async function main(): Promise<void> {
    const options = parseArgs(process.argv.slice(2));
    if (options.render) return renderSaved(options.out);
    const loadAtStart = os.loadavg()[0];
    const log = (line: string) => process.stderr.write(line + "\n");
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    useDummyCredentials();
    // Ctrl-C: exit through process.exit so cognito-local's exit hook stops it.
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

    log(`bench: N = ${options.ns.join(", ")}, concurrency ${options.concurrency}${options.quick ? " (quick)" : ""}`);
    await ensurePulumi();
    const pulumiVersion = (await runPulumi(repoRoot, ["version"])).stdout.trim();
    const awsCli = wants(options, "aws-cli") ? findAwsCli() : undefined;
    if (wants(options, "aws-cli") && !awsCli)
        log(`bench: no \`aws\` found: the AWS CLI row is skipped (install it: ${AWS_CLI_INSTALL_HINT})`);
    const haveBatch = batchAvailable();
    if (!haveBatch) log("bench: CognitoUserBatch is not built: the batch rows are skipped");

    const cognito = await startCognitoLocal();
    const client = new CognitoIdentityProviderClient({
        endpoint: cognito.endpoint,
        region: BENCH_REGION,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const ctx: BenchContext = { endpoint: cognito.endpoint, cognitoLocalPid: cognito.pid, client, options, log };
    log(`bench: cognito-local at ${cognito.endpoint}`);
    const rows: BenchRow[] = [];
    const serializedProviderBytes = await measureSerializedProviders();
    const push = (...more: BenchRow[]) => {
        rows.push(...more);
        writePartialRows(options.out, rows);
        for (const row of more) {
            if (row.error) log(`  ${row.label}: ERROR ${errorHeadline(row.error)}`);
            else if (row.skipped) log(`  ${row.label}: skipped (${row.skipped})`);
            else if (row.wallSeconds !== undefined) log(`  ${row.label}: ${row.wallSeconds.toFixed(2)} s`);
        }
    };
    const skippedBatch = (id: string, label: string, n: number) => {
        const row = newRow(id, label, n);
        row.skipped = "CognitoUserBatch is not built (provider/batch/cognitoUserBatch.ts not exported yet)";
        return row;
    };
    try {
        for (const n of options.ns) {
            log(`bench: N = ${n}`);
            if (wants(options, "floor")) push(await runFloor(ctx, n));
            const slowSkipped = options.quick && n > QUICK_SLOW_MAX_N;
            if (slowSkipped) log(`bench: --quick: the AWS CLI loop and N × CognitoUser run at N <= ${QUICK_SLOW_MAX_N} only`);
            if (wants(options, "aws-cli") && !slowSkipped) push(await runAwsCli(ctx, n, awsCli));
            if (wants(options, "per-resource") && !slowSkipped) push(...(await runPerResource(ctx, n)));
            if (wants(options, "batch"))
                push(...(haveBatch ? await runBatch(ctx, n) : [skippedBatch("batch-up", "pulumi, 1 CognitoUserBatch: up", n)]));
            if (wants(options, "throttled")) {
                push(...(haveBatch ? await runThrottledBatch(ctx, n) : [skippedBatch("throttled-up", "batch via quota proxy: up", n)]));
            }
            if (wants(options, "diag")) push(...(await runDiagnostics(ctx, n)));
        }
        if (wants(options, "fixture")) push(await runFixtureStartup(ctx), await runFixtureStartupEmbedded());
    } finally {
        client.destroy();
        await cognito.stop();
    }

    for (const row of rows) {
        const floor = rows.find((r) => r.id === "floor" && r.n === row.n && r.wallSeconds !== undefined && !r.error);
        if (floor && row.wallSeconds !== undefined && !row.id.startsWith("fixture")) row.vsFloor = row.wallSeconds / floor.wallSeconds!;
    }
    const largest = options.ns[options.ns.length - 1];
    // Each headline ratio at the largest N its contender ran at (--quick runs N × CognitoUser at the small N only).
    const at = (id: string) => rows.filter((r) => r.id === id && !r.error && r.n <= largest).sort((a, b) => b.n - a.n)[0];
    const throttledRows = rows.filter((r) => r.id === "throttled-up" && r.failedUsers !== undefined);
    const failedUsersByRow: Record<string, number> = {};
    for (const row of rows) if (row.failedUsers !== undefined) failedUsersByRow[`${row.id}@${row.n}`] = row.failedUsers;
    const errors = rows.filter((r) => r.error).map((r) => `${r.id}@${r.n}: ${r.error}`);

    const result: BenchResult = {
        date: new Date().toISOString(),
        machine: {
            nproc: os.cpus().length,
            node: process.version,
            platform: `${os.platform()} ${os.release()}`,
            cpu: os.cpus()[0]?.model ?? "?",
            memoryBytes: os.totalmem(),
            loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] },
        },
        tools: { pulumi: pulumiVersion, awsCli: awsCli?.version, awsCliFoundVia: awsCli?.foundVia },
        options: {
            quick: options.quick,
            ns: options.ns,
            concurrency: options.concurrency,
            diagnose: options.diagnose,
            throttleRate: options.throttleRate,
            throttleBurst: options.throttleBurst,
        },
        batchVsFloor: at("batch-up")?.vsFloor,
        perResourceVsFloor: at("per-resource-up")?.vsFloor,
        perResourceVsFloorN: at("per-resource-up")?.n,
        throttledEfficiency: at("throttled-up")?.extra.throttledEfficiency as number | undefined,
        failedUsers: throttledRows.length > 0 ? throttledRows.reduce((sum, r) => sum + r.failedUsers!, 0) : undefined,
        failedUsersByRow,
        serializedProviderBytes,
        memoryMethod: procAvailable() ? MEMORY_METHOD : "not measured (no Linux /proc)",
        rows,
        analysis: analyse(rows, options.ns, serializedProviderBytes.cognitoUser),
        notes: [
            `One cognito-local for the whole run (except the embedded-fixture row, whose own emulator start is part of what it measures); each contender gets a fresh pool (cognito-local rewrites a pool's store on every write, so a pool's size sets its speed), deleted afterwards.`,
            `Every contender creates the same users (bench-00001 …, attributes email + email_verified); the SDK contenders and the resources also set a permanent password (generated), the AWS CLI loop does not.`,
            `Concurrency ${options.concurrency} everywhere: users in flight (floor), processes (xargs -P), --parallel (pulumi), concurrency (batch).`,
            `Pulumi commands: --yes --skip-preview --parallel ${options.concurrency}, PULUMI_NODEJS_TRANSPILE_ONLY=true, TypeScript program in a temporary project, local file backend; wall time is the CLI process's, start to exit.`,
            `Floor wall time is the SDK work alone (first call to last answer), without Node's start: every ratio charges the other contender with all of its overhead.`,
            `Throttled run: proxy token bucket ${options.throttleRate}/s with capacity ${options.throttleBurst} on AdminCreateUser; efficiency = admitted AdminCreateUser per second (first to last admission) / ${options.throttleRate}.`,
            awsCli
                ? `AWS CLI: ${awsCli.version}, found via ${awsCli.foundVia}.`
                : `AWS CLI: not installed; install it with \`${AWS_CLI_INSTALL_HINT}\`.`,
        ],
        errors,
    };
    const files = writeResults(options.out, result);
    removePartialRows(options.out);
    process.stdout.write(renderTable(result) + "\n\n");
    for (const line of result.analysis) process.stdout.write(`- ${line}\n`);
    process.stdout.write(
        `\nbatch/floor ${result.batchVsFloor?.toFixed(2) ?? "-"}×, per-resource/floor ${result.perResourceVsFloor?.toFixed(2) ?? "-"}×, ` +
            `throttled efficiency ${result.throttledEfficiency?.toFixed(2) ?? "-"}, failed users ${result.failedUsers ?? "-"}, ` +
            `serialized provider ${serializedProviderBytes.cognitoUser ?? "-"} B (CognitoUser) / ${serializedProviderBytes.cognitoUserBatch ?? "-"} B (batch)\n`,
    );
    process.stdout.write(`wrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`);
    if (errors.length > 0) {
        process.stderr.write(`bench: ${errors.length} error(s):\n${errors.map((e) => `  ${errorHeadline(e)}`).join("\n")}\n`);
        process.exitCode = 1;
    }
}

if (require.main === module) {
    main().catch((error: unknown) => {
        process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    });
}
