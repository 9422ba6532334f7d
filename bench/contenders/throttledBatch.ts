/**
 * Contender "throttled": the batch seeding N users through the fault proxy (test/support/faultProxy.ts)
 * with a rate limit on the UserCreation category: the quota (50 AdminCreateUser a second by default)
 * that cognito-local lacks, answered with TooManyRequestsException past it. The users get a
 * temporary password, so each costs exactly one AdminCreateUser: the run measures how close the batch's
 * pacing gets to the UserCreation quota. (A permanent password adds an AdminSetUserPassword, which
 * Cognito counts in a slower category, so confirmed users are seeded at that category's rate.) Two runs:
 * - `throttled`: the batch's default pacing (AWS's default quotas): the headline `throttledEfficiency`;
 * - `throttled-unpaced`: pacing off (`rates` 0), so the quota is met only by the SDK's adaptive retry
 *   and the batch's own retry of throttled users: the recovery path, which must lose no user either.
 * Reported per run: the AdminCreateUser rate the proxy admitted (first to last admission), that rate /
 * the quota, the TooManyRequestsException answers sent, the AdminSetUserPassword rate, and the users
 * missing afterwards (must be 0).
 */
import { randomBytes } from "crypto";
import { BenchContext, BenchRow } from "../harness";
import { FaultProxy, startFaultProxy } from "../../test/support/faultProxy";
import { BATCH_PROGRAM, unpacedRates } from "./pulumiBatch";
import { runPulumiLifecycle } from "./pulumiLifecycle";

/** The one temporary password every throttled user gets (random per run; thrown away with the pool). */
const BENCH_TEMPORARY_PASSWORD = `Tmp-${randomBytes(8).toString("hex")}-9a!`;

/** Copies the proxy's counts for the `up` just run into its row. */
function recordProxy(row: BenchRow, proxy: FaultProxy, quota: number): void {
    const counts = proxy.counts();
    const rate = proxy.admittedRate("userCreation");
    const setPasswordRate = proxy.operationRate("AdminSetUserPassword");
    row.extra.admittedCreates = counts.rateLimits.userCreation?.admitted ?? 0;
    row.extra.throttledResponses = counts.total.rateLimit;
    row.extra.requestsForwarded = counts.total.forwarded;
    row.extra.rejectedByProxyBounds = counts.rejectedByBounds;
    if (setPasswordRate !== undefined) row.extra.setPasswordRate = setPasswordRate;
    if (rate !== undefined) {
        row.extra.achievedCreateRate = rate;
        row.extra.throttledEfficiency = rate / quota;
    }
    row.notes.push(
        `AdminCreateUser admitted at ${rate?.toFixed(1) ?? "?"}/s (first to last admission) = ` +
            `${rate === undefined ? "?" : ((100 * rate) / quota).toFixed(0)}% of the quota; ` +
            `${row.extra.throttledResponses} TooManyRequestsException answers sent; ` +
            `AdminSetUserPassword forwarded at ${setPasswordRate?.toFixed(1) ?? "?"}/s`,
    );
}

/** Runs both throttled batch `up`s at N; their users go with their pools afterwards. */
export async function runThrottledBatch(ctx: BenchContext, n: number): Promise<BenchRow[]> {
    const { throttleRate, throttleBurst } = ctx.options;
    const proxy = await startFaultProxy({
        upstream: ctx.endpoint,
        rateLimits: { userCreation: { perSecond: throttleRate, burst: throttleBurst } },
    });
    const proxyNote = `proxy: token bucket ${throttleRate}/s, burst ${throttleBurst}, on AdminCreateUser`;
    const hooks = { beforeUp: () => proxy.resetCounts(), afterUp: (row: BenchRow) => recordProxy(row, proxy, throttleRate) };
    try {
        const paced = await runPulumiLifecycle(
            ctx,
            n,
            {
                id: "throttled",
                label: `batch via ${throttleRate}/s quota proxy`,
                program: BATCH_PROGRAM,
                endpoint: proxy.endpoint,
                temporaryPassword: BENCH_TEMPORARY_PASSWORD,
                fullLifecycle: false,
                createsUsers: true,
                upNote: `temporary passwords (one AdminCreateUser per user); default pacing (AWS's quotas); ${proxyNote}`,
            },
            hooks,
        );
        const unpaced = await runPulumiLifecycle(
            ctx,
            n,
            {
                id: "throttled-unpaced",
                label: `batch via ${throttleRate}/s quota proxy, pacing off`,
                program: BATCH_PROGRAM,
                endpoint: proxy.endpoint,
                rates: unpacedRates(),
                temporaryPassword: BENCH_TEMPORARY_PASSWORD,
                fullLifecycle: false,
                createsUsers: true,
                upNote: `rates 0: only the retries meet the quota; ${proxyNote}`,
            },
            hooks,
        );
        return [...paced, ...unpaced];
    } finally {
        await proxy.stop();
    }
}
