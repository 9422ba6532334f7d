/**
 * A pool Cognito cannot find (`ResourceNotFoundException`) is the same answer for a deleted pool, a pool
 * in another Region and a pool in another AWS account. It counts as gone, and its users with it, only
 * with proof: the caller's credentials act in the account recorded at create (STS), at the recorded
 * Region (every call goes there); or the endpoint is a loopback emulator that serves no STS, which has
 * no accounts (cognito-local). Otherwise refresh and destroy fail, naming both accounts, and nothing
 * leaves the state.
 */
import { describeConnection, isLoopbackEndpoint } from "./connection";
import { errorShape, poolNotFoundError } from "../errors";
import { CognitoGateway, UserRef } from "./gateway";
import type { CallerAccount } from "./gatewayPool";

/** Where a recorded user or batch lives, as its state records it. */
export interface RecordedPlace {
    userPoolId: string;
    region: string;
    endpoint?: string;
    profile?: string;
    /** The AWS account that held the pool at create; absent in state written before 0.2.0. */
    accountId?: string;
}

/** Whether a missing pool is proven gone, and why not when it is not. */
export type MissingPoolJudgement = { gone: true } | { gone: false; why: string };

/** The rule, pure: the recorded account against the caller's (or the failure to read it). */
export function judgeMissingPool(place: RecordedPlace, caller: CallerAccount | { failed: string }): MissingPoolJudgement {
    if ("failed" in caller)
        return {
            gone: false,
            why: `The caller's account could not be read (sts:GetCallerIdentity: ${caller.failed}), so nothing proves the pool was deleted.`,
        };
    if ("stsNotServed" in caller) {
        if (isLoopbackEndpoint(place.endpoint)) return { gone: true };
        return { gone: false, why: `The endpoint ${place.endpoint} serves no STS, so nothing proves which account was asked.` };
    }
    if (place.accountId === caller.account) return { gone: true };
    if (place.accountId) {
        return {
            gone: false,
            why: `The pool was created in AWS account ${place.accountId}, and these credentials act in account ${caller.account}: run again with the credentials (profile, AWS_PROFILE) of account ${place.accountId}.`,
        };
    }
    return {
        gone: false,
        why:
            `These credentials act in account ${caller.account}, and the state (written by an earlier version) does not record which account holds the pool, ` +
            "so nothing proves it was deleted. Run `pulumi refresh` with the right credentials while the pool exists: it records the account.",
    };
}

/**
 * Resolves when the missing pool is proven gone (the caller then takes its users for gone); otherwise
 * raises NOT_FOUND naming the pool, the connection, both accounts and the way out.
 */
export async function assertMissingPoolGone(cognito: CognitoGateway, place: RecordedPlace, ref: UserRef, operation: string): Promise<void> {
    const caller = await cognito.callerAccount({ user: ref }).catch((error: unknown) => ({ failed: errorShape(error).message }));
    const judgement = judgeMissingPool(place, caller);
    if (judgement.gone) return;
    throw poolNotFoundError({
        operation,
        username: ref.username,
        userPoolId: place.userPoolId,
        where: describeConnection(place),
        recorded: true,
        why: judgement.why,
        resourceUrn: ref.resourceUrn,
    });
}
