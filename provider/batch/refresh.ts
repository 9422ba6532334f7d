/**
 * The batch's refresh (`read`): every recorded user re-read, a user gone from Cognito dropped, drift in
 * attributes, groups and `enabled` recorded. Users and their groups are each read in whichever way costs
 * less against Cognito's quotas (./readPlan.ts): one by one (`AdminGetUser`, `AdminListGroupsForUser`),
 * or the pool in pages (`ListUsers`; `ListGroups`, then `ListUsersInGroup` per group). Both ways make
 * the same outputs: a recorded user is its recorded Username with its recorded sub, a user a scan does
 * not show is asked for by `AdminGetUser` before it counts as gone, and a missing pool is never "gone".
 */
import { describeConnection } from "../shared/connection";
import { isResourceNotFound, poolNotFoundError } from "../shared/errors";
import { CognitoUserRecord, UserRef } from "../shared/gateway";
import { getRecordedUser, outputsOfRead } from "../user/read";
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

/** Raised to stop a scan that went over its page budget. */
class OverBudget extends Error {}

/** Every page of a listing, each page retried after throttling; OverBudget past `budget.pages` pages. */
async function allPages<T>(
    run: BatchRun,
    budget: { pages: number },
    page: (token?: string) => Promise<{ items: T[]; nextToken?: string }>,
) {
    const items: T[] = [];
    let token: string | undefined;
    do {
        if (budget.pages-- <= 0) throw new OverBudget();
        const answer = await withThrottleRetry(run.retry, () => page(token));
        items.push(...answer.items);
        token = answer.nextToken;
    } while (token);
    return items;
}

/** The pool's users in pages of `ListUsers`; undefined past the budget. */
async function scanUsers(run: BatchRun, ref: UserRef, maxPages: number): Promise<Map<string, CognitoUserRecord> | undefined> {
    try {
        const users = await allPages(run, { pages: maxPages }, (nextToken) => run.cognito.listUsersPage({ user: ref, nextToken }));
        return new Map(users.map((user) => [user.username, user]));
    } catch (error) {
        if (error instanceof OverBudget) return undefined;
        throw error;
    }
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
    const ref: UserRef = { userPoolId: run.settings.userPoolId, username: `(${run.label})` };
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
        // The pool is missing: every user fails as a per-user read would, and none is taken for gone.
        const operation = (error as { operation?: string }).operation ?? "ListUsers";
        const where = describeConnection(run.settings);
        for (const [username] of users) {
            const notFound = poolNotFoundError({ operation, username, userPoolId: run.settings.userPoolId, where, recorded: true });
            recordFailure(run, username, "read", notFound, []);
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
            const user =
                scanned ??
                (await withThrottleRetry(run.retry, () =>
                    getRecordedUser(run.cognito, inputs, { cognitoUsername: record.cognitoUsername, sub: record.sub }),
                ));
            if (user) {
                // Groups from the scan only for a user the scan saw: one it missed is read whole, as before.
                const inScan = scan.users?.has(user.username) ?? false;
                const groups =
                    scan.groups && (inScan || !scan.users)
                        ? (scan.groups.get(user.username) ?? [])
                        : await withThrottleRetry(run.retry, () =>
                              run.cognito.adminListGroupsForUser({ user: inputs, username: user.username }),
                          );
                run.state.set(username, outputsOfRead(inputs, user, groups, olds));
            } else run.state.remove(username);
            progress.tick(true);
        } catch (error) {
            recordFailure(run, username, "read", error, []);
            progress.tick(false);
        }
    });
}
