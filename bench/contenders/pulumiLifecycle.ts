/**
 * The Pulumi contenders' shared life cycle, in a fresh pool and a throwaway project: `pulumi up`
 * (timed; then the state's size and the users in the pool are checked), a second `pulumi up` with
 * nothing changed (timed; must change nothing), `pulumi destroy` (timed; the pool must be empty).
 * Every command runs with `--skip-preview` (the preview is a second pass over the program that a CI
 * run usually skips) and `--parallel` equal to the bench's concurrency.
 */
import {
    beginStep,
    BENCH_REGION,
    BenchContext,
    BenchRow,
    BenchUser,
    benchUsers,
    briefError,
    countUsers,
    createBenchPool,
    deleteBenchPool,
    errorHeadline,
    newRow,
    recordRun,
} from "../harness";
import { processCpuSeconds } from "../processSampler";
import { BenchProject, createBenchProject, resourceSummary, TimedPulumi } from "../pulumiProject";

/** What a bench program reads from bench-spec.json. */
export interface ProgramSpec {
    userPoolId: string;
    endpoint: string;
    region: string;
    concurrency: number;
    users: BenchUser[];
    /** The batch's `rates`; absent: AWS's default quotas. */
    rates?: Record<string, number>;
    /** One temporary password for every user instead of generated ones: one call per user (AdminCreateUser). */
    temporaryPassword?: string;
}

/** One Pulumi contender. */
export interface PulumiContender {
    /** Row id prefix, e.g. `per-resource` → `per-resource-up`, `per-resource-up-again`, `per-resource-destroy`. */
    id: string;
    /** Label prefix for the table. */
    label: string;
    /** The program (index.ts) text. */
    program: string;
    /** Batch rates for the spec (absent: none passed). */
    rates?: Record<string, number>;
    /** Seed with this temporary password instead of generated passwords (see ProgramSpec). */
    temporaryPassword?: string;
    /** Endpoint the program's resources use; default: cognito-local's. */
    endpoint?: string;
    /** Whether to run the second `up` and the `destroy` (the throttled run only needs the first `up`). */
    fullLifecycle: boolean;
    /** Whether to run a `pulumi refresh` (timed; must find no drift) between the second `up` and the `destroy`. */
    refresh?: boolean;
    /** Extra environment for the CLI (diagnostics). */
    env?: NodeJS.ProcessEnv;
    /** Whether the program creates Cognito users (a no-op diagnostic does not). */
    createsUsers: boolean;
    /** A note for the `up` row. */
    upNote?: string;
}

/** Timed, sampled, with cognito-local's CPU over the same span. */
async function timed(ctx: BenchContext, project: BenchProject, args: string[]): Promise<{ run: TimedPulumi; cognitoCpu?: number }> {
    const before = processCpuSeconds(ctx.cognitoLocalPid);
    const run = await project.run(args);
    const after = processCpuSeconds(ctx.cognitoLocalPid);
    return { run, cognitoCpu: before !== undefined && after !== undefined ? after - before : undefined };
}

function fill(row: BenchRow, measured: { run: TimedPulumi; cognitoCpu?: number }): void {
    recordRun(row, measured.run.wallSeconds, measured.run.usage);
    row.cognitoLocalCpuSeconds = measured.cognitoCpu;
    const summary = resourceSummary(measured.run.stdout);
    for (const [change, count] of Object.entries(summary)) row.extra[`resources ${change}`] = count;
}

/**
 * Runs the life cycle at N and returns its rows (up, up again, destroy). A failing step records its
 * error on its row and skips the steps after it; the stack and pool are removed whatever happens.
 * `beforeUp` runs right before the timed `up` (e.g. to reset proxy counts), `afterUp` right after its checks.
 */
export async function runPulumiLifecycle(
    ctx: BenchContext,
    n: number,
    contender: PulumiContender,
    hooks: {
        beforeUp?: () => void;
        afterUp?: (row: BenchRow) => void;
        /** Runs after the no-change `up`, with the project (the scale run previews a change of 3 users); must leave the declaration as it found it. */
        afterNoChangeUp?: (project: BenchProject) => Promise<BenchRow[]>;
        /** Runs right before the timed `refresh`, with the contender's pool (the scale run times a ListUsers scan). */
        beforeRefresh?: (userPoolId: string) => Promise<void>;
    } = {},
): Promise<BenchRow[]> {
    const { concurrency } = ctx.options;
    const upRow = newRow(`${contender.id}-up`, `${contender.label}: up`, n);
    const againRow = newRow(`${contender.id}-up-again`, `${contender.label}: up, no change`, n);
    const refreshRow = newRow(`${contender.id}-refresh`, `${contender.label}: refresh`, n);
    const destroyRow = newRow(`${contender.id}-destroy`, `${contender.label}: destroy`, n);
    const rows = contender.fullLifecycle ? [upRow, againRow, ...(contender.refresh ? [refreshRow] : []), destroyRow] : [upRow];
    const userPoolId = await createBenchPool(ctx.client, `${contender.id}-${n}`);
    let project: BenchProject | undefined;
    const flags = ["--yes", "--skip-preview", "--parallel", String(concurrency)];
    let step = upRow;
    try {
        const spec: ProgramSpec = {
            userPoolId,
            endpoint: contender.endpoint ?? ctx.endpoint,
            region: BENCH_REGION,
            concurrency,
            users: benchUsers(n),
            rates: contender.rates,
            temporaryPassword: contender.temporaryPassword,
        };
        project = await createBenchProject(contender.id, contender.program, spec, contender.env);

        ctx.log(`  ${upRow.label} ...`);
        hooks.beforeUp?.();
        beginStep(upRow);
        fill(upRow, await timed(ctx, project, ["up", ...flags]));
        if (contender.upNote) upRow.notes.push(contender.upNote);
        const state = await project.exportState();
        upRow.stateBytesPerUser = state.bytes / n;
        if (state.packageBytes > 0) upRow.extra.packageStateBytesPerUser = Math.round(state.packageBytes / n);
        upRow.extra.stateBytes = state.bytes;
        upRow.extra.stateResources = state.resources;
        if (contender.createsUsers) {
            upRow.failedUsers = n - (await countUsers(ctx.client, userPoolId));
            if (upRow.failedUsers > 0) upRow.error = `${upRow.failedUsers} of ${n} users missing after up`;
        }
        hooks.afterUp?.(upRow);
        ctx.log(`    ${upRow.wallSeconds!.toFixed(1)} s`);
        if (!contender.fullLifecycle) return rows;

        step = againRow;
        ctx.log(`  ${againRow.label} ...`);
        beginStep(againRow);
        fill(againRow, await timed(ctx, project, ["up", ...flags]));
        const changes = Object.entries(againRow.extra).filter(
            ([key, value]) => key.startsWith("resources ") && key !== "resources unchanged" && Number(value) > 0,
        );
        if (changes.length > 0)
            againRow.error = `the second up changed resources: ${changes.map(([k, v]) => `${v} ${k.slice(10)}`).join(", ")}`;
        ctx.log(`    ${againRow.wallSeconds!.toFixed(1)} s`);
        if (hooks.afterNoChangeUp) rows.splice(rows.indexOf(againRow) + 1, 0, ...(await hooks.afterNoChangeUp(project)));

        if (contender.refresh) {
            step = refreshRow;
            await hooks.beforeRefresh?.(userPoolId);
            ctx.log(`  ${refreshRow.label} ...`);
            beginStep(refreshRow);
            fill(refreshRow, await timed(ctx, project, ["refresh", ...flags]));
            const drift = Object.entries(refreshRow.extra).filter(
                ([key, value]) => key.startsWith("resources ") && key !== "resources unchanged" && Number(value) > 0,
            );
            if (drift.length > 0) refreshRow.error = `refresh found drift: ${drift.map(([k, v]) => `${v} ${k.slice(10)}`).join(", ")}`;
            ctx.log(`    ${refreshRow.wallSeconds!.toFixed(1)} s`);
        }

        step = destroyRow;
        ctx.log(`  ${destroyRow.label} ...`);
        beginStep(destroyRow);
        fill(destroyRow, await timed(ctx, project, ["destroy", ...flags]));
        if (contender.createsUsers) {
            destroyRow.failedUsers = await countUsers(ctx.client, userPoolId);
            if (destroyRow.failedUsers > 0) destroyRow.error = `${destroyRow.failedUsers} users still in the pool after destroy`;
        }
        ctx.log(`    ${destroyRow.wallSeconds!.toFixed(1)} s`);
    } catch (error) {
        step.error = briefError(error);
        ctx.log(`    failed: ${errorHeadline(step.error)}`);
        for (const later of rows.slice(rows.indexOf(step) + 1)) later.skipped = `not run: ${step.label} failed`;
    } finally {
        await project?.remove().catch(() => undefined);
        await deleteBenchPool(ctx.client, userPoolId);
    }
    return rows;
}
