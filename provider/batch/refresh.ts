/**
 * The batch's refresh (`read`): every recorded user re-read, a user gone from Cognito dropped, drift in
 * attributes, groups and `enabled` recorded. Users and their groups are each read in whichever way costs
 * less against Cognito's quotas (./readPlan.ts): one by one (`AdminGetUser`, `AdminListGroupsForUser`),
 * or the pool in pages (`ListUsers`; `ListGroups`, then `ListUsersInGroup` per group). Both ways make
 * the same outputs: a recorded user is its recorded Username with its recorded sub, a user a scan does
 * not show is asked for by `AdminGetUser` before it counts as gone, a user whose Username another user
 * now holds is dropped with a warning, and a missing pool is "gone" only when proven deleted.
 */
import { isResourceNotFound } from "../shared/errors";
import { CognitoUserRecord, UserRef } from "../shared/cognito/gateway";
import { takenOverWarning } from "../shared/cognito/identityGate";
import { printWarning } from "../shared/notices";
import { assertMissingPoolGone } from "../shared/cognito/poolMissing";
import { outputsOfRead, proveRecordedUser } from "../user/read";
import { BatchRun, printProgress, Progress, PROGRESS_MIN_USERS, recordFailure, runPool, withThrottleRetry } from "./executor";
import { userInputsOf, userOutputsOf } from "./plan";
import { resolveRates } from "./quotas";
import {
    chooseRefreshWays,
    groupsByUser,
    needsUserRead,
    pagesCouldPay,
    RefreshFacts,
    refreshFactsOf,
    RefreshWays,
    ReadWay,
    ReadWaySetting,
    scannedUserOf,
} from "./readPlan";
import { allPages, batchRef, scanUsers } from "./scan";
import { BatchOutputs, BatchUserRecord } from "./types";

/**
 * The environment variable that forces how a refresh reads: `pages` or `per-user` (anything else:
 * by cost). Not an input of the resource: it is for tests that compare both ways on one pool.
 */
export const READ_WAY_VARIABLE = "PULUMI_COGNITO_USER_BATCH_READ";

/** The forced way of a refresh, from the environment; `auto` unless set. */
export function readWaySetting(env: NodeJS.ProcessEnv = process.env): ReadWaySetting {
    const value = env[READ_WAY_VARIABLE];
    return value === "pages" || value === "per-user" ? value : "auto";
}

/** What the scans of a refresh found: the pool's users by canonical Username, and each one's groups. */
interface PoolScan {
    users?: Map<string, CognitoUserRecord>;
    groups?: Map<string, string[]>;
}

/**
 * Every user's groups, from `ListGroups` and each group's `ListUsersInGroup`: every group of the pool,
 * as `AdminListGroupsForUser` would list them. Undefined when, the groups counted, pages no longer pay
 * (by cost only), or past the budget; and on any failure, so the groups are read one by one instead.
 */
async function scanGroups(run: BatchRun, ref: UserRef, facts: RefreshFacts, ways: RefreshWays, setting: ReadWaySetting) {
    try {
        const groups = await allPages(run, { pages: Infinity }, (nextToken) => run.cognito.listGroupsPage({ user: ref, nextToken }));
        if (setting === "auto" && chooseRefreshWays({ ...facts, poolGroups: groups.length }).groups !== "pages") return undefined;
        const budget = { pages: ways.maxMemberPages };
        const members = new Map<string, string[]>();
        await runPool(groups, run.settings.concurrency, async (group) => {
            members.set(
                group,
                await allPages(run, budget, (nextToken) => run.cognito.listUsersInGroupPage({ user: ref, group, nextToken })),
            );
        });
        return groupsByUser(members);
    } catch {
        return undefined;
    }
}

/** A scan's failure: the pool missing is raised as Cognito answered it, anything else means "read one by one". */
function undefinedUnlessPoolMissing(error: unknown): undefined {
    if (isResourceNotFound(error)) throw error;
    return undefined;
}

const wayText = (way: ReadWay) => (way === "pages" ? "in pages" : "one by one");

/**
 * Reads the pool in pages where that pays (or is forced). The pool missing is raised as Cognito
 * answered it; any other failure of the users' scan leaves them to be read one by one.
 */
async function scanPool(run: BatchRun, users: ReadonlyArray<[string, BatchUserRecord]>, setting: ReadWaySetting): Promise<PoolScan> {
    if (setting === "per-user" || users.length === 0) return {};
    const ref = batchRef(run);
    let facts = refreshFactsOf(users, resolveRates(run.settings.rates));
    if (setting === "auto") {
        if (!pagesCouldPay(facts)) return {};
        const pool = await run.cognito.describeUserPool({ user: ref }).catch(undefinedUnlessPoolMissing);
        if (!pool) return {};
        facts = { ...facts, poolUsers: pool.estimatedNumberOfUsers };
    }
    const ways = chooseRefreshWays(facts, setting);
    if (users.length >= PROGRESS_MIN_USERS)
        printProgress(`${run.label}: reading ${users.length} users ${wayText(ways.users)}, their groups ${wayText(ways.groups)}`);
    const scan: PoolScan = {};
    if (ways.users === "pages") {
        scan.users = await scanUsers(run, ref, ways.maxUserPages).catch(undefinedUnlessPoolMissing);
    }
    if (ways.groups === "pages") scan.groups = await scanGroups(run, ref, facts, ways, setting);
    return scan;
}

/** Re-reads the recorded users (refresh), in pages where that costs less; see the file's comment. */
export async function readUsers(run: BatchRun, recorded: Partial<BatchOutputs>, setting: ReadWaySetting = readWaySetting()): Promise<void> {
    const users = Object.entries(recorded.users ?? {});
    let scan: PoolScan;
    try {
        scan = await scanPool(run, users, setting);
    } catch (error) {
        // The pool is missing: its users are gone only if the pool is proven deleted; else every user fails, none dropped.
        const operation = (error as { operation?: string }).operation ?? "ListUsers";
        try {
            await assertMissingPoolGone(run.cognito, { ...run.settings, accountId: run.accountId }, batchRef(run), operation);
            for (const [username] of users) run.state.remove(username);
        } catch (notGone) {
            for (const [username] of users) recordFailure(run, username, "read", notGone, []);
        }
        return;
    }
    const passwords = {
        passwords: recorded.passwords ?? {},
        temporaryPasswords: recorded.temporaryPasswords ?? {},
        totpSecrets: recorded.totpSecrets,
    };
    const progress = new Progress(run.label, "read", users.length);
    await runPool(users, run.settings.concurrency, async ([username, record]) => {
        try {
            const olds = userOutputsOf(run.settings, username, record, passwords);
            const inputs = userInputsOf(run.settings, username, {
                attributes: record.attributes ?? {},
                generatePassword: record.generatePassword,
            });
            const scanned = scan.users && !needsUserRead(record) ? scannedUserOf(scan.users, record) : undefined;
            const verdict = scanned
                ? run.cognito.identify(scanned, record, { userPoolId: inputs.userPoolId, username })
                : await withThrottleRetry(run.retry, () =>
                      proveRecordedUser(
                          run.cognito,
                          { ...inputs, accountId: run.accountId, resourceUrn: run.settings.resourceUrn },
                          record,
                      ),
                  );
            if (verdict.kind === "same") {
                const user = verdict.record;
                // Groups from the scan only for a user the scan saw: one it missed is read whole, as before.
                const inScan = scan.users?.has(user.username) ?? false;
                const groups =
                    scan.groups && (inScan || !scan.users)
                        ? (scan.groups.get(user.username) ?? [])
                        : await withThrottleRetry(run.retry, () =>
                              run.cognito.adminListGroupsForUser({ user: inputs, username: user.username }),
                          );
                run.state.set(username, outputsOfRead(inputs, user, groups, olds));
            } else {
                if (verdict.kind === "takenOver") {
                    const ref = { userPoolId: inputs.userPoolId, username, resourceUrn: run.settings.resourceUrn };
                    printWarning(`${run.label}: ${takenOverWarning({ ref, recorded: record, foundSub: verdict.foundSub, batch: true })}`);
                }
                run.state.remove(username);
            }
            progress.tick(true);
        } catch (error) {
            recordFailure(run, username, "read", error, []);
            progress.tick(false);
        }
    });
}
