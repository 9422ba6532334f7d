/**
 * Reading a user back, and the identity check every write of a recorded user begins with. Refresh,
 * update and delete find a user only by its recorded canonical Username and accept it only with the
 * recorded sub; the search by alias or sub is for naming a user to import or get, never for finding a
 * managed user again. A pool Cognito cannot find is "gone" only with proof (../shared/poolMissing.ts).
 */
import { describeConnection } from "../shared/cognito/connection";
import { isResourceNotFound, isUserNotFound, poolNotFoundError } from "../shared/errors";
import { CognitoGateway, CognitoUserRecord, IdentityVerdict, RecordedIdentity, UserRef } from "../shared/cognito/gateway";
import { takenOverWarning } from "../shared/cognito/identityGate";
import { printWarning } from "../shared/notices";
import { assertMissingPoolGone } from "../shared/cognito/poolMissing";
import { UserInputs, UserOutputs } from "../shared/types";
import { toUserOutputs } from "./outputs";
import { withMfaReadBack } from "../shared/mfa";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who a read is about and where: the pool, the user's name for messages, the connection, and the recorded account and URN. */
export type ReadContext = Pick<UserInputs, "userPoolId" | "username" | "region" | "endpoint" | "profile" | "resourceUrn"> & {
    /** The AWS account recorded at create, when recorded. */
    accountId?: string;
};

/** A recorded user judged: the identity verdict, or the pool proven deleted (its users with it). */
export type RecordedUserVerdict = IdentityVerdict | { kind: "poolGone" };

/**
 * `AdminGetUser` by the exact name given, for a user not recorded yet (create, import, get). Undefined
 * when Cognito answers that the user does not exist; a missing pool is an error naming the pool and the connection.
 */
export async function getUser(
    cognito: CognitoGateway,
    context: ReadContext,
    name: string,
    options: { operation?: string } = {},
): Promise<CognitoUserRecord | undefined> {
    const operation = options.operation ?? "AdminGetUser";
    try {
        return await cognito.adminGetUser({ user: context, username: name, operation });
    } catch (error) {
        if (isUserNotFound(error)) return undefined;
        if (isResourceNotFound(error)) {
            throw poolNotFoundError({
                operation,
                username: context.username,
                userPoolId: context.userPoolId,
                where: describeConnection(context),
            });
        }
        throw error;
    }
}

/**
 * The identity check of a recorded user, in one `AdminGetUser` by its recorded canonical Username: the
 * very user (with the proof every write needs), gone, or taken over (the name now another sub's). A
 * missing pool is `poolGone` only when proven (the caller's account is the recorded one, or a loopback
 * emulator without accounts); otherwise NOT_FOUND naming both accounts.
 */
export async function proveRecordedUser(
    cognito: CognitoGateway,
    context: ReadContext,
    recorded: RecordedIdentity,
    options: { operation?: string; ref?: UserRef } = {},
): Promise<RecordedUserVerdict> {
    const operation = options.operation ?? "AdminGetUser";
    const ref: UserRef = options.ref ?? { userPoolId: context.userPoolId, username: context.username, resourceUrn: context.resourceUrn };
    let found: CognitoUserRecord | undefined;
    try {
        found = await cognito.adminGetUser({ user: ref, username: recorded.cognitoUsername, operation });
    } catch (error) {
        if (isUserNotFound(error)) found = undefined;
        else if (isResourceNotFound(error)) {
            await assertMissingPoolGone(cognito, context, ref, operation);
            return { kind: "poolGone" };
        } else throw error;
    }
    return cognito.identify(found, recorded, ref);
}

/**
 * Finds a user a program names for import or `CognitoUser.get`: by Username, then by alias (email,
 * phone) or sub, which real Cognito's `AdminGetUser` does not promise to accept. Only for naming a user
 * to adopt or look at: a managed user is found by its recorded canonical Username alone.
 */
export async function findUserByAnyName(
    cognito: CognitoGateway,
    context: ReadContext,
    name: string,
): Promise<CognitoUserRecord | undefined> {
    const byUsername = await getUser(cognito, context, name);
    if (byUsername) return byUsername;
    const attribute = uuidPattern.test(name) ? "sub" : name.includes("@") ? "email" : name.startsWith("+") ? "phone_number" : undefined;
    if (!attribute) return undefined;
    const matches = await cognito.listUsers({ user: context, attribute, value: name });
    return matches.length === 1 ? getUser(cognito, context, matches[0]) : undefined;
}

/** The pool's account, to record: from `DescribeUserPool`'s ARN, read once per run; undefined if it cannot be read. */
export async function poolAccount(cognito: CognitoGateway, context: ReadContext): Promise<string | undefined> {
    return cognito.describeUserPool({ user: context }).then(
        (facts) => facts.accountId,
        () => undefined,
    );
}

/**
 * Refresh of a recorded user: its outputs as Cognito now has them, or undefined when it is gone (its
 * pool proven deleted, or its Username now another user's: then with a warning saying so), so `pulumi
 * refresh` drops it. Records the pool's account, which state from earlier versions lacks.
 */
export async function refreshUser(
    cognito: CognitoGateway,
    inputs: UserInputs,
    olds: Partial<UserOutputs> & RecordedIdentity,
): Promise<UserOutputs | undefined> {
    const context = { ...inputs, accountId: olds.accountId };
    const verdict = await proveRecordedUser(cognito, context, olds);
    if (verdict.kind === "takenOver") {
        const ref = { userPoolId: inputs.userPoolId, username: inputs.username, resourceUrn: inputs.resourceUrn };
        printWarning(takenOverWarning({ ref, recorded: olds, foundSub: verdict.foundSub }));
        return undefined;
    }
    if (verdict.kind !== "same") return undefined;
    return readBack(cognito, inputs, verdict.record, olds);
}

/** A user's outputs from its record: its groups read, the pool's account recorded. */
export async function readBack(
    cognito: CognitoGateway,
    inputs: UserInputs,
    user: CognitoUserRecord,
    olds?: Partial<UserOutputs>,
): Promise<UserOutputs> {
    const groups = await cognito.adminListGroupsForUser({ user: inputs, username: user.username });
    const outputs = outputsOfRead(inputs, user, groups, olds);
    const accountId = olds?.accountId ?? (await poolAccount(cognito, inputs));
    return accountId ? { ...outputs, accountId } : outputs;
}

/**
 * The outputs of a user read back: what Cognito reports (the user, its groups) over the inputs, with the
 * passwords and MFA secrets only the state knows. Pure: a refresh that reads the pool in pages makes the
 * very same outputs from a page's user and the groups' members.
 */
export function outputsOfRead(inputs: UserInputs, user: CognitoUserRecord, groups: string[], olds?: Partial<UserOutputs>): UserOutputs {
    const adopted = olds?.cognitoUsername === undefined;
    const outputs = toUserOutputs(
        inputs,
        user,
        groups,
        {
            password: olds?.password,
            temporaryPassword: olds?.temporaryPassword,
            passwordManaged: adopted ? false : (olds?.passwordManaged ?? true),
        },
        adopted ? undefined : (olds?.attributes ?? {}),
    );
    if (olds?.accountId) outputs.accountId = olds.accountId;
    return withMfaReadBack(outputs, olds);
}
