/**
 * Reading a whole pool's users in pages of `ListUsers` (60 a page), each page retried after throttling
 * and the whole scan bounded by a page budget: what a batch's refresh and its identity proofs read
 * instead of one `AdminGetUser` per user when that costs less against Cognito's quotas.
 */
import { CognitoUserRecord, UserRef } from "../shared/cognito/gateway";
import { BatchRun, withThrottleRetry } from "./executor";

/** Raised to stop a scan that went over its page budget. */
export class OverBudget extends Error {}

/** Every page of a listing, each page retried after throttling; OverBudget past `budget.pages` pages. */
export async function allPages<T>(
    run: BatchRun,
    budget: { pages: number },
    page: (token?: string) => Promise<{ items: T[]; nextToken?: string }>,
): Promise<T[]> {
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

/** The pool's users by canonical Username, in pages of `ListUsers`; undefined past the budget. */
export async function scanUsers(run: BatchRun, ref: UserRef, maxPages: number): Promise<Map<string, CognitoUserRecord> | undefined> {
    try {
        const users = await allPages(run, { pages: maxPages }, (nextToken) => run.cognito.listUsersPage({ user: ref, nextToken }));
        return new Map(users.map((user) => [user.username, user]));
    } catch (error) {
        if (error instanceof OverBudget) return undefined;
        throw error;
    }
}

/** The batch's name in errors about the whole pool: `(seed)`. */
export function batchRef(run: BatchRun): UserRef {
    return { userPoolId: run.settings.userPoolId, username: `(${run.label})`, resourceUrn: run.settings.resourceUrn };
}
