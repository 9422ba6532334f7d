/**
 * What every contender shares: the shape of a result row, the run's settings, the users to create
 * (the same for every contender, so the work is comparable), a fresh pool per contender (cognito-local
 * rewrites a pool's whole store on each write, so a pool's size drives its speed), and counting the
 * users that really arrived.
 */
import * as os from "node:os";
import {
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    DeleteUserPoolCommand,
    ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { spawn } from "child_process";
import { ProcessTreeSampler, TreeUsage } from "./processSampler";

/** Region every client declares; cognito-local ignores it. */
export const BENCH_REGION = "us-east-1";

/** One measured (or skipped) contender at one N. */
export interface BenchRow {
    /** Stable id, e.g. `floor`, `per-resource-up`, `batch-destroy`. */
    id: string;
    /** What the table shows. */
    label: string;
    /** Users in play. */
    n: number;
    /** Wall time in seconds; absent when skipped or failed before timing. */
    wallSeconds?: number;
    /** n / wallSeconds. */
    usersPerSecond?: number;
    /** wallSeconds / the floor's wallSeconds at the same N. */
    vsFloor?: number;
    /** Peak resident memory of the contender's process tree, bytes. */
    peakRssBytes?: number;
    /** `pulumi stack export` bytes / n, for Pulumi contenders after their first `up`. */
    stateBytesPerUser?: number;
    /** CPU seconds by component (see processSampler). */
    cpuSeconds?: Record<string, number>;
    /** The peak memory split by process kind, MB (see TreeUsage.peakRssMBByComponent). */
    peakRssMBByComponent?: Record<string, number>;
    /** CPU seconds cognito-local used during the run. */
    cognitoLocalCpuSeconds?: number;
    /** Users that should exist after the run but do not (creates), or still exist (deletes). */
    failedUsers?: number;
    /** Why the row was not measured. */
    skipped?: string;
    /** What went wrong; a row with an error fails the bench. */
    error?: string;
    /** Short remarks shown in the report (what was measured, caveats). */
    notes: string[];
    /**
     * The machine's 1-minute load average when the measured step began and ended: a figure is comparable
     * with others only when both stay at or under the core count (a build or a test run beside the bench skews it).
     */
    loadAverage?: { atStart: number; atEnd: number };
    /** Contender-specific numbers (proxy counts, resource changes, ...). */
    extra: Record<string, number | string | boolean>;
}

/** Settings of one bench run. */
export interface BenchOptions {
    /** The N values, ascending. */
    ns: number[];
    /** Cognito calls (or CLI invocations, or Pulumi steps) in flight at once, for every contender. */
    concurrency: number;
    /** The smaller, faster run. */
    quick: boolean;
    /** Also run the diagnostic contenders that split the per-resource cost. */
    diagnose: boolean;
    /** UserCreation quota the throttling proxy enforces, requests per second. */
    throttleRate: number;
    /** Its token bucket's capacity (burst), requests. */
    throttleBurst: number;
    /** Only these contender ids (prefix match); all when empty. */
    only: string[];
}

/** What a contender gets: the shared emulator (cognito-local; moto's server in a scale run) and the run's settings. */
export interface BenchContext {
    /** The emulator's endpoint. */
    endpoint: string;
    /** The emulator's pid, to measure its CPU (the name predates the scale run's moto). */
    cognitoLocalPid: number;
    /** A client for it, for pools and counting. */
    client: CognitoIdentityProviderClient;
    options: BenchOptions;
    /** Prints a progress line (stderr). */
    log: (line: string) => void;
}

/** A new row with nothing measured. */
export function newRow(id: string, label: string, n: number): BenchRow {
    return { id, label, n, notes: [], extra: {} };
}

/** Marks the start of a row's measured step: the load average now (`recordRun` adds the one at its end). */
export function beginStep(row: BenchRow): BenchRow {
    row.loadAverage = { atStart: os.loadavg()[0], atEnd: Number.NaN };
    return row;
}

/** The rows whose step ran on a busy machine: a load average above `cores` at its start or its end. */
export function busyRows(rows: readonly BenchRow[], cores: number): BenchRow[] {
    return rows.filter((r) => r.loadAverage !== undefined && (r.loadAverage.atStart > cores || r.loadAverage.atEnd > cores));
}

/** Fills wall time, rate and memory from a measurement, and the load average at the step's end. */
export function recordRun(row: BenchRow, wallSeconds: number, usage?: TreeUsage): BenchRow {
    row.loadAverage = { atStart: row.loadAverage?.atStart ?? Number.NaN, atEnd: os.loadavg()[0] };
    row.wallSeconds = wallSeconds;
    row.usersPerSecond = wallSeconds > 0 ? row.n / wallSeconds : undefined;
    if (usage) {
        row.peakRssBytes = usage.peakRssBytes;
        row.cpuSeconds = usage.cpuSeconds;
        row.peakRssMBByComponent = usage.peakRssMBByComponent;
    }
    return row;
}

/** One benchmark user: the same for every contender. */
export interface BenchUser {
    username: string;
    attributes: Record<string, string>;
}

/** The N users every contender creates: `bench-00001` ... with an email attribute. */
export function benchUsers(n: number): BenchUser[] {
    return Array.from({ length: n }, (_, i) => {
        const username = `bench-${String(i + 1).padStart(5, "0")}`;
        return { username, attributes: { email: `${username}@example.com`, email_verified: "true" } };
    });
}

/** A fresh pool (plain usernames, Cognito's default password policy) for one contender. */
export async function createBenchPool(client: CognitoIdentityProviderClient, name: string): Promise<string> {
    const pool = await client.send(new CreateUserPoolCommand({ PoolName: `bench-${name}` }));
    return pool.UserPool!.Id!;
}

/** An app client allowing password sign-in, for contenders that sign in (the fixture). */
export async function createAppClient(client: CognitoIdentityProviderClient, userPoolId: string): Promise<string> {
    const app = await client.send(
        new CreateUserPoolClientCommand({
            UserPoolId: userPoolId,
            ClientName: "bench",
            ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
    );
    return app.UserPoolClient!.ClientId!;
}

/** Deletes a pool (its users with it), so the emulator's memory does not grow run over run. */
export async function deleteBenchPool(client: CognitoIdentityProviderClient, userPoolId: string): Promise<void> {
    try {
        await client.send(new DeleteUserPoolCommand({ UserPoolId: userPoolId }));
    } catch {
        // Cleanup only; a leftover pool dies with the emulator's temporary folder.
    }
}

/** How many users the pool holds (ListUsers, paged). */
export async function countUsers(client: CognitoIdentityProviderClient, userPoolId: string): Promise<number> {
    let count = 0;
    let token: string | undefined;
    do {
        const page = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 60, PaginationToken: token }));
        count += page.Users?.length ?? 0;
        token = page.PaginationToken;
    } while (token);
    return count;
}

/** Seconds since `start` (from `process.hrtime.bigint()`). */
export function secondsSince(start: bigint): number {
    return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * A (possibly huge) error message cut down for the report: its first line, then the lines that say
 * what failed (a Pulumi error's diagnostics), at most `maxLines`.
 */
export function briefError(error: unknown, maxLines = 16): string {
    const text = error instanceof Error ? error.message : String(error);
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    if (lines.length <= maxLines) return lines.join("\n");
    const telling = lines.slice(1).filter((l) => /error|failed|exception|Error/.test(l) && !/^\s*[+~-]\s+pulumi:pulumi:Stack/.test(l));
    const kept = [lines[0], ...telling.slice(0, maxLines - 2)];
    return [...kept, `... (${lines.length - kept.length} more lines)`].join("\n");
}

/** The one line of an error that best says what went wrong (for the table). */
export function errorHeadline(error: string): string {
    const lines = error.split("\n").map((l) => l.trim());
    const diagnostics = lines.findIndex((l) => l === "Diagnostics:");
    const candidates = diagnostics >= 0 ? lines.slice(diagnostics + 1) : lines.slice(1);
    const specific = candidates.find(
        (l) => /error/i.test(l) && !/Running program .* failed with an unhandled exception/.test(l) && !/^error: update failed$/.test(l),
    );
    return specific ?? lines[0];
}

/** What {@link runSampled} returns. */
export interface SampledProcess {
    code: number;
    stdout: string;
    /** The first 64 KiB of stderr. */
    stderr: string;
    wallSeconds: number;
    usage: TreeUsage;
}

/** Runs a command, sampling its process tree; never throws for a non-zero exit (the caller judges). */
export async function runSampled(
    command: string,
    args: string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<SampledProcess> {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    const sampler = child.pid ? new ProcessTreeSampler(child.pid).start() : undefined;
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
        if (stderr.length < 65536) stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 45 * 60 * 1000);
    const code = await new Promise<number>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : -1)));
    }).finally(() => clearTimeout(timer));
    const wallSeconds = secondsSince(start);
    const usage = sampler?.stop() ?? { cpuSeconds: {}, processes: 0, samples: 0 };
    return { code, stdout, stderr, wallSeconds, usage };
}
