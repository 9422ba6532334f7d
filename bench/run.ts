/**
 * `npm run bench`: how long creating N Cognito users takes with each way of doing it, on one
 * cognito-local started here (free port, temporary data folder), a fresh pool per contender, the same
 * concurrency for all. Contenders: the floor (a plain SDK script), a shell loop of the AWS CLI,
 * `pulumi up` of N `CognitoUser`s, `pulumi up` of one `CognitoUserBatch` (each followed by a second
 * `up` with nothing changed and a `destroy`), the batch through a proxy enforcing Cognito's
 * UserCreation quota, and the test fixture against the same users set up by hand (alternated rounds:
 * `fixture.vsHandWritten` in latest.json). Writes bench/results/{report.md,chart.svg,latest.json}.
 * Speed is measured, never asserted: the bench fails only on errors (a failed command, missing users).
 *
 *   npm run bench                     N = 100 and 1000
 *   npm run bench -- --quick          N = 100 and 1000, the slow contenders at 100 only (a few minutes on 2 cores)
 *   npm run bench -- --fixture-only   the fixture against the hand-written set-up alone (about a minute, no Pulumi CLI)
 *   options: --n=100,1000  --concurrency=10  --diagnose (split the per-resource cost)  --fixture-rounds=7
 *            --only=floor,aws-cli,per-resource,batch,throttled,fixture,diag  --out=<dir>
 *            --throttle-rate=50  --throttle-burst=5
 *            --render: only re-render report.md and chart.svg from <out>/latest.json
 *   npm run bench -- --scale          instead: the batch at N = 10,000 on moto's in-memory server (up, no-change
 *                                     up, refresh, destroy) against the floor on the same server; --scale-n=100000;
 *                                     --scale-batch-only: without the floor and the per-resource form
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
import { fixtureHeadline, runFixtureComparison } from "./contenders/fixtureStartup";
import { runFloor } from "./contenders/floor";
import { batchAvailable, runBatch } from "./contenders/pulumiBatch";
import { runPerResource } from "./contenders/pulumiPerResource";
import { measureSerializedProviders } from "./contenders/serializedProvider";
import { runScale, ScaleResult } from "./contenders/scale";
import { runThrottledBatch } from "./contenders/throttledBatch";
import { analyse } from "./analysis";
import { BENCH_REGION, BenchContext, BenchRow, busyRows, errorHeadline, newRow } from "./harness";
import { MEMORY_METHOD, procAvailable } from "./processSampler";
import { BenchResult, removePartialRows, scaleHeadline, renderTable, writePartialRows, writeResults } from "./report";
import type { FixtureComparison } from "./fixtureStartup";
import { CommandLine, parseArgs, QUICK_SLOW_MAX_N, wants } from "./options";

/** Re-renders report.md and chart.svg (and the analysis) from a saved latest.json: report changes without re-running. */
function renderSaved(out: string): void {
    const file = path.join(out, "latest.json");
    const result = JSON.parse(fs.readFileSync(file, "utf8")) as BenchResult;
    result.analysis = analyse(result.rows, result.options.ns, result.serializedProviderBytes.cognitoUser);
    const files = writeResults(out, result);
    process.stdout.write(renderTable(result) + "\n\n" + `re-rendered ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`);
}

/**
 * State bytes per user of a contender's `up` at the largest N it ran at: this package's resources in the
 * stack export as compact JSON, divided by N (the table's column is the whole indented export / N).
 */
function latestState(rows: BenchRow[], id: string): number | undefined {
    const row = rows
        .filter((r) => r.id === id && typeof r.extra.packageStateBytesPerUser === "number" && !r.error)
        .sort((a, b) => b.n - a.n)[0];
    return row ? (row.extra.packageStateBytesPerUser as number) : undefined;
}

/** The regular run: every contender on one cognito-local, at each N. */
async function runOnCognitoLocal(
    options: CommandLine,
    log: (line: string) => void,
    tools: { awsCli: ReturnType<typeof findAwsCli>; haveBatch: boolean },
    push: (...rows: BenchRow[]) => void,
): Promise<void> {
    const { awsCli, haveBatch } = tools;
    const cognito = await startCognitoLocal();
    const client = new CognitoIdentityProviderClient({
        endpoint: cognito.endpoint,
        region: BENCH_REGION,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const ctx: BenchContext = { endpoint: cognito.endpoint, cognitoLocalPid: cognito.pid, client, options, log };
    log(`bench: cognito-local at ${cognito.endpoint}`);
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
    } finally {
        client.destroy();
        await cognito.stop();
    }
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

    if (!options.scale && !options.fixtureOnly)
        log(`bench: N = ${options.ns.join(", ")}, concurrency ${options.concurrency}${options.quick ? " (quick)" : ""}`);
    // The fixture comparison alone needs no Pulumi CLI (the fixture runs none).
    if (!options.fixtureOnly) await ensurePulumi();
    const pulumiVersion = options.fixtureOnly ? undefined : (await runPulumi(repoRoot, ["version"])).stdout.trim();
    const awsCli = wants(options, "aws-cli") ? findAwsCli() : undefined;
    if (wants(options, "aws-cli") && !awsCli)
        log(`bench: no \`aws\` found: the AWS CLI row is skipped (install it: ${AWS_CLI_INSTALL_HINT})`);
    const haveBatch = batchAvailable();
    if (!haveBatch) log("bench: CognitoUserBatch is not built: the batch rows are skipped");

    const rows: BenchRow[] = [];
    const serializedProviderBytes = options.fixtureOnly ? {} : await measureSerializedProviders();
    const push = (...more: BenchRow[]) => {
        rows.push(...more);
        writePartialRows(options.out, rows);
        for (const row of more) {
            if (row.error) log(`  ${row.label}: ERROR ${errorHeadline(row.error)}`);
            else if (row.skipped) log(`  ${row.label}: skipped (${row.skipped})`);
            else if (row.wallSeconds !== undefined) log(`  ${row.label}: ${row.wallSeconds.toFixed(2)} s`);
            for (const busy of busyRows([row], os.cpus().length)) {
                const { atStart, atEnd } = busy.loadAverage!;
                log(
                    `  warning: ${busy.label} ran on a busy machine (load average ${atStart.toFixed(1)} at its start, ${atEnd.toFixed(1)} at its end, ` +
                        `${os.cpus().length} cores): its figures are not comparable; run the bench on a quiet machine`,
                );
            }
        }
    };
    let scale: ScaleResult | undefined;
    if (options.scale) {
        const run = await runScale(options, options.scaleN, log, options.scaleBatchOnly);
        push(...run.rows);
        scale = run.scale;
    } else if (!options.fixtureOnly) {
        await runOnCognitoLocal(options, log, { awsCli, haveBatch }, push);
    }
    let fixture: FixtureComparison | undefined;
    // After the shared emulator stopped: each side starts its own cognito-local, as a test suite would.
    if (!options.scale && wants(options, "fixture")) {
        const comparison = await runFixtureComparison(options.fixtureRounds, log);
        push(...comparison.rows);
        fixture = comparison.comparison;
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
            ns: options.scale ? [options.scaleN] : options.ns,
            scale: options.scale,
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
        stateBytesPerUser: {
            cognitoUser: latestState(rows, options.scale ? "scale-per-resource-up" : "per-resource-up"),
            cognitoUserBatch: latestState(rows, options.scale ? "scale-batch-up" : "batch-up"),
        },
        scale,
        fixture,
        memoryMethod: procAvailable() ? MEMORY_METHOD : "not measured (no Linux /proc)",
        rows,
        analysis: analyse(rows, options.ns, serializedProviderBytes.cognitoUser),
        notes: [
            `One cognito-local for the whole run (except the fixture comparison, whose two sides each start their own, as a test suite would); each contender gets a fresh pool (cognito-local rewrites a pool's store on every write, so a pool's size sets its speed), deleted afterwards.`,
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
    if (scale) process.stdout.write(`\n${scaleHeadline(scale).join("\n")}\n`);
    if (fixture) process.stdout.write(`\n${fixtureHeadline(fixture).join("\n")}\n`);
    if (!scale && rows.some((r) => !r.id.startsWith("fixture")))
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
