/**
 * Pure planning of a batch's refresh: whether to read the recorded users one by one (`AdminGetUser`,
 * `AdminListGroupsForUser`) or the pool in pages (`ListUsers`; `ListGroups` then `ListUsersInGroup`),
 * decided separately for the users and for their groups by what each way costs against Cognito's
 * quotas; and how a page's users are matched to the recorded ones. No Cognito call here: the shell is
 * ./refresh.ts.
 */
import { LIST_PAGE_SIZE } from "../shared/cognito/gateway";
import type { CognitoUserRecord } from "../shared/cognito/gateway";
import { judgeIdentity } from "../shared/cognito/identityGate";
import { DEFAULT_QUOTA_RATES, QuotaCategory } from "./quotas";
import { BatchUserRecord } from "./types";

/** How one part of a refresh (the users, or their groups) is read. */
export type ReadWay = "pages" | "per-user";

/** What forces the way of a refresh: `auto` compares the costs; the others are for tests comparing both ways. */
export type ReadWaySetting = ReadWay | "auto";

/** What the cost of a refresh depends on. */
export interface RefreshFacts {
    /** The recorded users. */
    recordedUsers: number;
    /** Recorded users whose MFA is managed: a page does not carry MFA, so they are read one by one anyway. */
    usersReadForMfa: number;
    /** The recorded users' group memberships, summed. */
    recordedMemberships: number;
    /** Distinct groups the recorded users are in. */
    recordedGroups: number;
    /** The pool's `EstimatedNumberOfUsers`; unknown when the pool was not described. */
    poolUsers?: number;
    /** The pool's groups, once `ListGroups` has counted them. */
    poolGroups?: number;
    /** Requests per second per category, as the run paces them (0: not paced). */
    rates: Record<QuotaCategory, number>;
}

/**
 * What calls cost: seconds of their category's quota at the run's rate (an unpaced category, rate 0,
 * weighs at AWS's default rate), so a `ListUsers` page (UserList, 30/s) weighs four `AdminGetUser`s
 * (UserRead, 120/s).
 */
export function quotaSeconds(calls: number, category: QuotaCategory, rates: Record<QuotaCategory, number>): number {
    const rate = rates[category] > 0 ? rates[category] : DEFAULT_QUOTA_RATES[category];
    return calls / rate;
}

/** Pages to list `items` things, 60 a page; at least one. */
export function pagesFor(items: number): number {
    return Math.max(1, Math.ceil(items / LIST_PAGE_SIZE));
}

/** The estimated cost of each way of each part of a refresh, in quota seconds. */
export interface RefreshCosts {
    usersPerUser: number;
    usersPages: number;
    groupsPerUser: number;
    groupsPages: number;
}

/**
 * The estimate. Users one by one: an `AdminGetUser` each. Users in pages: the pool's pages of `ListUsers`
 * (at least as many users as recorded) and an `AdminGetUser` per user whose MFA is managed. Groups one by
 * one: an `AdminListGroupsForUser` each. Groups in pages: the pages of `ListGroups` and, per group, the
 * pages of its members; the pool's memberships are estimated from the recorded users' (the rest of the
 * pool taken to be in groups as often as they are).
 */
export function estimateRefresh(facts: RefreshFacts): RefreshCosts {
    const { recordedUsers: n, rates } = facts;
    const poolUsers = Math.max(facts.poolUsers ?? n, n);
    const groups = Math.max(facts.poolGroups ?? facts.recordedGroups, facts.recordedGroups);
    const memberships = n > 0 ? Math.ceil((facts.recordedMemberships * poolUsers) / n) : 0;
    const groupPages = groups === 0 ? 0 : groups + Math.ceil(memberships / LIST_PAGE_SIZE);
    return {
        usersPerUser: quotaSeconds(n, "userRead", rates),
        usersPages: quotaSeconds(pagesFor(poolUsers), "userList", rates) + quotaSeconds(facts.usersReadForMfa, "userRead", rates),
        groupsPerUser: quotaSeconds(n, "userResourceRead", rates),
        groupsPages: quotaSeconds(pagesFor(groups), "userPoolResourceRead", rates) + quotaSeconds(groupPages, "userList", rates),
    };
}

/** How a refresh reads its users and their groups, and the most pages each scan may take. */
export interface RefreshWays {
    users: ReadWay;
    groups: ReadWay;
    /**
     * Pages of `ListUsers` past which the scan costs more than reading the users one by one: the scan
     * stops there and the users are read one by one (the pool's estimate was low). Infinity when forced.
     */
    maxUserPages: number;
    /** The same for the pages of `ListUsersInGroup`, over every group. */
    maxMemberPages: number;
}

/**
 * The cheaper way for each part, by the estimate: pages only where they cost less than one by one (a
 * batch of 100 in a pool of a million stays one by one). A forced setting takes that way for both, with
 * no page limit. With `auto`, each scan gets the budget of the way it replaces, so a wrong estimate
 * costs at most twice the per-user read.
 */
export function chooseRefreshWays(facts: RefreshFacts, setting: ReadWaySetting = "auto"): RefreshWays {
    if (setting !== "auto") return { users: setting, groups: setting, maxUserPages: Infinity, maxMemberPages: Infinity };
    const costs = estimateRefresh(facts);
    const pageCost = quotaSeconds(1, "userList", facts.rates);
    const listGroupsCost = quotaSeconds(pagesFor(facts.poolGroups ?? facts.recordedGroups), "userPoolResourceRead", facts.rates);
    return {
        users: costs.usersPages < costs.usersPerUser ? "pages" : "per-user",
        groups: costs.groupsPages < costs.groupsPerUser ? "pages" : "per-user",
        maxUserPages: Math.floor(costs.usersPerUser / pageCost),
        maxMemberPages: Math.floor(Math.max(costs.groupsPerUser - listGroupsCost, 0) / pageCost),
    };
}

/**
 * Whether describing the pool (one `DescribeUserPool`, to learn its size) could pay: only when pages
 * would be cheaper even if the pool held no one but the recorded users.
 */
export function pagesCouldPay(facts: Omit<RefreshFacts, "poolUsers" | "poolGroups">): boolean {
    const ways = chooseRefreshWays({ ...facts, poolUsers: facts.recordedUsers });
    return ways.users === "pages" || ways.groups === "pages";
}

/** The counts a refresh's estimate starts from, out of the recorded users. */
export function refreshFactsOf(users: ReadonlyArray<[string, BatchUserRecord]>, rates: Record<QuotaCategory, number>): RefreshFacts {
    const groups = new Set<string>();
    let memberships = 0;
    let mfa = 0;
    for (const [, record] of users) {
        for (const group of record.groups ?? []) groups.add(group);
        memberships += record.groups?.length ?? 0;
        if (needsUserRead(record)) mfa++;
    }
    return { recordedUsers: users.length, usersReadForMfa: mfa, recordedMemberships: memberships, recordedGroups: groups.size, rates };
}

/** Whether a recorded user must be read with `AdminGetUser` even when its page was read: its MFA is managed. */
export function needsUserRead(record: BatchUserRecord): boolean {
    return record.mfa !== undefined;
}

/**
 * The user of a scan that is the recorded user: listed under the recorded canonical Username, with the
 * recorded sub (the identity gate's rule, `judgeIdentity`). Undefined when not: the caller
 * then asks `AdminGetUser` by the recorded Username, so a scan never by itself declares a user gone.
 */
export function scannedUserOf(
    scanned: ReadonlyMap<string, CognitoUserRecord>,
    record: Pick<BatchUserRecord, "cognitoUsername" | "sub">,
): CognitoUserRecord | undefined {
    const user = scanned.get(record.cognitoUsername);
    return judgeIdentity(user, record).kind === "same" ? user : undefined;
}

/**
 * How a batch proves the identities of the recorded users it is about to write to (update or delete):
 * one `AdminGetUser` each, or the pool in pages of `ListUsers` (Username and sub, 60 a page), whichever
 * costs fewer quota seconds; with the pages' budget (past it, the scan stops and the users are proven one
 * by one, so a low estimate of the pool costs at most twice the per-user way).
 */
export function chooseProofWay(
    writes: number,
    poolUsers: number | undefined,
    rates: Record<QuotaCategory, number>,
): { way: ReadWay; maxPages: number } {
    const perUser = quotaSeconds(writes, "userRead", rates);
    const pages = quotaSeconds(pagesFor(Math.max(poolUsers ?? writes, writes)), "userList", rates);
    return { way: pages < perUser ? "pages" : "per-user", maxPages: Math.floor(perUser / quotaSeconds(1, "userList", rates)) };
}

/** Each user's groups, sorted, from every group's members (canonical Usernames). */
export function groupsByUser(members: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
    const byUser = new Map<string, string[]>();
    for (const [group, usernames] of members) {
        for (const username of usernames) {
            const groups = byUser.get(username);
            if (groups) groups.push(group);
            else byUser.set(username, [group]);
        }
    }
    for (const groups of byUser.values()) groups.sort();
    return byUser;
}
