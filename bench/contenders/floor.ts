/**
 * Contender "floor": the least any tool can take on this machine to create N users with the same two
 * calls per user (./floorWorker.ts). Its wall time is the work alone, measured inside the worker from
 * the first call to the last answer: Node's own start is left out, so every ratio to the floor charges
 * the other contenders with all of their overhead.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { repoRoot } from "../../scripts/pulumiEnv";
import {
    beginStep,
    BENCH_REGION,
    BenchContext,
    BenchRow,
    benchUsers,
    briefError,
    countUsers,
    createBenchPool,
    deleteBenchPool,
    newRow,
    recordRun,
    runSampled,
} from "../harness";
import { processCpuSeconds } from "../processSampler";
import type { FloorOutcome, FloorSpec } from "./floorWorker";

/** Transpiles the worker to plain JavaScript in a temporary folder that sees the repo's node_modules. */
function buildWorker(): { script: string; dir: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-bench-floor-"));
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    const source = fs.readFileSync(path.join(__dirname, "floorWorker.ts"), "utf8");
    const output = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const script = path.join(dir, "floorWorker.js");
    fs.writeFileSync(script, output.outputText);
    return { script, dir };
}

/** Creates N users with the plain SDK script in a fresh pool. */
export async function runFloor(ctx: BenchContext, n: number): Promise<BenchRow> {
    const row = newRow("floor", "floor: SDK script", n);
    const userPoolId = await createBenchPool(ctx.client, `floor-${n}`);
    const worker = buildWorker();
    try {
        const spec: FloorSpec = {
            endpoint: ctx.endpoint,
            region: BENCH_REGION,
            userPoolId,
            concurrency: ctx.options.concurrency,
            users: benchUsers(n),
        };
        const specFile = path.join(worker.dir, "spec.json");
        fs.writeFileSync(specFile, JSON.stringify(spec));
        const cpuBefore = processCpuSeconds(ctx.cognitoLocalPid);
        beginStep(row);
        const run = await runSampled(process.execPath, [worker.script, specFile], {
            env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
        });
        const cpuAfter = processCpuSeconds(ctx.cognitoLocalPid);
        if (run.code !== 0) throw new Error(`floor worker exited with ${run.code}: ${run.stderr.trim()}`);
        const outcome = JSON.parse(run.stdout.trim().split("\n").pop()!) as FloorOutcome;
        recordRun(row, outcome.seconds, run.usage);
        if (cpuBefore !== undefined && cpuAfter !== undefined) row.cognitoLocalCpuSeconds = cpuAfter - cpuBefore;
        row.extra.processWallSeconds = run.wallSeconds;
        row.failedUsers = n - (await countUsers(ctx.client, userPoolId));
        row.notes.push(
            `AdminCreateUser (SUPPRESS) + AdminSetUserPassword (permanent), ${ctx.options.concurrency} users in flight; time of the work only (process ${run.wallSeconds.toFixed(1)} s with Node's start)`,
        );
        if (outcome.failed > 0) row.error = `${outcome.failed} users failed: ${outcome.errors.join("; ")}`;
    } catch (error) {
        row.error = briefError(error);
    } finally {
        fs.rmSync(worker.dir, { recursive: true, force: true });
        await deleteBenchPool(ctx.client, userPoolId);
    }
    return row;
}
