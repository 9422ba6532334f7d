/**
 * Contender "batch": `pulumi up` of one `CognitoUserBatch` holding the N users (generated passwords),
 * then the second `up` and the `destroy` (./pulumiLifecycle.ts). cognito-local has no request quotas,
 * so pacing is turned off (`rates` 0 for every category) to compare the work with the floor; the
 * throttled contender measures the pacing.
 */
import { BenchContext, BenchRow } from "../harness";
import { runPulumiLifecycle } from "./pulumiLifecycle";

/** The program: one `CognitoUserBatch`. */
export const BATCH_PROGRAM = `import * as fs from "fs";
import * as path from "path";
import { CognitoUserBatch } from "pulumi-cognito-user";

const spec = JSON.parse(fs.readFileSync(path.join(__dirname, "bench-spec.json"), "utf8"));
const batch = new CognitoUserBatch("seed", {
    userPoolId: spec.userPoolId,
    endpoint: spec.endpoint,
    region: spec.region,
    concurrency: spec.concurrency,
    rates: spec.rates,
    users: spec.users.map((user: { username: string; attributes: Record<string, string> }) =>
        spec.temporaryPassword ? { ...user, temporaryPassword: spec.temporaryPassword } : { ...user, generatePassword: true },
    ),
});
export const count = batch.count;
`;

/** Whether the built package exports `CognitoUserBatch` (it is being written alongside the bench). */
export function batchAvailable(): boolean {
    try {
        return typeof require("pulumi-cognito-user").CognitoUserBatch === "function";
    } catch {
        return false;
    }
}

/** Every quota category at 0: no pacing (cognito-local has no quotas). */
export function unpacedRates(): Record<string, number> {
    const { DEFAULT_QUOTA_RATES } = require("pulumi-cognito-user") as { DEFAULT_QUOTA_RATES?: Record<string, number> };
    return Object.fromEntries(Object.keys(DEFAULT_QUOTA_RATES ?? { userCreation: 0 }).map((category) => [category, 0]));
}

/** Runs the batch life cycle at N. */
export function runBatch(ctx: BenchContext, n: number): Promise<BenchRow[]> {
    return runPulumiLifecycle(ctx, n, {
        id: "batch",
        label: "pulumi, 1 CognitoUserBatch",
        program: BATCH_PROGRAM,
        rates: unpacedRates(),
        fullLifecycle: true,
        createsUsers: true,
        upNote: "rates 0 (unpaced: cognito-local has no quotas); one DescribeUserPool, then AdminCreateUser + AdminSetUserPassword per user",
    });
}
