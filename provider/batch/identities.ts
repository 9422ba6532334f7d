/**
 * The identity gate for a batch's writes: before an update or a delete writes to a recorded user, the
 * user is proven to be that very user (canonical Username and sub) in the same operation. A few users are
 * proven one by one as they are written (`AdminGetUser`); many are proven from one scan of the pool in
 * pages of `ListUsers` taken before the first write, whichever costs fewer calls against the quotas
 * (`chooseProofWay`). A user a scan does not show (or shows under another sub) is asked for by
 * `AdminGetUser` before it counts as gone or taken over, so a scan never decides that alone.
 */
import { CognitoUserError } from "../shared/errors";
import { CognitoUserRecord, ProvenUser, RecordedIdentity } from "../shared/cognito/gateway";
import { identityMismatchError } from "../shared/cognito/identityGate";
import { proveRecordedUser } from "../user/read";
import { BatchRun, printProgress, PROGRESS_MIN_USERS, withThrottleRetry } from "./executor";
import { resolveRates } from "./quotas";
import { chooseProofWay, scannedUserOf } from "./readPlan";
import { batchRef, scanUsers } from "./scan";

/** The users a batch operation may write to, proven or refused, one by one as each is about to be written. */
export class BatchIdentities {
    private constructor(
        private readonly run: BatchRun,
        private readonly scan?: Map<string, CognitoUserRecord>,
    ) {}

    /**
     * Opens the proofs for `writes` recorded users: scans the pool first when pages cost less. A scan that
     * fails or runs over its budget leaves every user to be proven one by one.
     */
    static async open(run: BatchRun, writes: number): Promise<BatchIdentities> {
        if (writes === 0) return new BatchIdentities(run);
        const ref = batchRef(run);
        const rates = resolveRates(run.settings.rates);
        if (chooseProofWay(writes, writes, rates).way === "per-user") return new BatchIdentities(run);
        const pool = await run.cognito.describeUserPool({ user: ref }).catch(() => undefined);
        const plan = chooseProofWay(writes, pool?.estimatedNumberOfUsers, rates);
        if (plan.way === "per-user") return new BatchIdentities(run);
        if (writes >= PROGRESS_MIN_USERS) printProgress(`${run.label}: proving the identities of ${writes} users in pages`);
        // Any failure (the pool missing included: each user then proves it deleted, or fails) means one by one.
        const scan = await scanUsers(run, ref, plan.maxPages).catch(() => undefined);
        return new BatchIdentities(run, scan);
    }

    /**
     * The proof for writing to the recorded user `username`, or undefined when it is gone (its pool
     * proven deleted); IDENTITY_MISMATCH when another user now holds its Username; nothing is written then.
     */
    async prove(username: string, recorded: RecordedIdentity, action: "update" | "delete"): Promise<ProvenUser | undefined> {
        const { run } = this;
        const ref = { userPoolId: run.settings.userPoolId, username, resourceUrn: run.settings.resourceUrn };
        const scanned = this.scan
            ? scannedUserOf(this.scan, { cognitoUsername: recorded.cognitoUsername, sub: recorded.sub ?? "" })
            : undefined;
        const context = { ...run.settings, username, accountId: run.accountId };
        const verdict = scanned
            ? run.cognito.identify(scanned, recorded, ref)
            : await withThrottleRetry(run.retry, () =>
                  proveRecordedUser(run.cognito, context, recorded, { ref, operation: `AdminGetUser (before the ${action})` }),
              );
        if (verdict.kind === "same") return verdict.proven;
        if (verdict.kind === "takenOver") {
            throw identityMismatchError({
                ref,
                recorded,
                foundSub: verdict.foundSub,
                operation: action === "update" ? "update" : "AdminDeleteUser",
                batch: true,
            });
        }
        if (action === "delete") return undefined;
        throw new CognitoUserError(
            "NOT_FOUND",
            `${run.label}: user "${username}" (Username ${recorded.cognitoUsername}, sub ${recorded.sub}) is no longer in pool ${run.settings.userPoolId}` +
                `${verdict.kind === "poolGone" ? ", which was deleted" : ""}: run \`pulumi refresh\` (it drops the user from the batch), then \`pulumi up\` to create it again. Nothing was changed.`,
            { operation: `AdminGetUser (before the ${action})` },
        );
    }
}
