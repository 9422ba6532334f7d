/**
 * Reading a user back: for refresh (drift), the end of an update, import and `CognitoUser.get`.
 * Refresh and update find a user only by its recorded canonical Username; the search by alias or sub
 * is for naming a user to import or get, never for finding a managed user again.
 */
import { describeConnection } from "../shared/connection";
import { isResourceNotFound, isUserNotFound, poolNotFoundError } from "../shared/errors";
import { CognitoGateway, CognitoUserRecord } from "../shared/gateway";
import { UserInputs, UserOutputs } from "../shared/types";
import { toUserOutputs } from "./outputs";
import { withMfaReadBack } from "../shared/mfa";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who a read is about and where: the pool, the user's name for messages, and the connection. */
export type ReadContext = Pick<UserInputs, "userPoolId" | "username" | "region" | "endpoint" | "profile">;

/**
 * `AdminGetUser` by the exact name given. Undefined when Cognito answers that the user does not exist;
 * a missing pool is an error naming the pool and the connection, never "user gone" (`recorded`: the
 * user is one the state holds, and the error says how to forget it if the pool was deleted).
 */
export async function getUser(
    cognito: CognitoGateway,
    context: ReadContext,
    name: string,
    options: { operation?: string; recorded?: boolean } = {},
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
                recorded: options.recorded,
            });
        }
        throw error;
    }
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

/**
 * The recorded user, only if Cognito still has that very user: the same canonical Username and, where
 * recorded, the same sub. `AdminGetUser` also resolves alias values (an email, a phone,
 * preferred_username) in pools that have them, so a name alone could reach another user that took the
 * address; and a user deleted and made again under the same name has another sub.
 */
export async function getRecordedUser(
    cognito: CognitoGateway,
    context: ReadContext,
    recorded: { cognitoUsername: string; sub?: string },
    operation?: string,
): Promise<CognitoUserRecord | undefined> {
    const user = await getUser(cognito, context, recorded.cognitoUsername, { operation, recorded: true });
    if (!user || user.username !== recorded.cognitoUsername) return undefined;
    if (recorded.sub && user.attributes.sub && user.attributes.sub !== recorded.sub) return undefined;
    return user;
}

/**
 * Reads a user's outputs: the user recorded under `cognitoUsername` (a refresh, the end of an update),
 * or, with `lookup`, the one a program names for import. Undefined when the user does not exist, so
 * `pulumi refresh` drops it and the next `up` creates it again.
 */
export async function readUser(
    cognito: CognitoGateway,
    inputs: UserInputs,
    cognitoUsername: string,
    olds?: Partial<UserOutputs>,
    lookup = false,
): Promise<UserOutputs | undefined> {
    const user = lookup
        ? await findUserByAnyName(cognito, inputs, cognitoUsername)
        : await getRecordedUser(cognito, inputs, { cognitoUsername, sub: olds?.sub });
    if (!user) return undefined;
    const groups = await cognito.adminListGroupsForUser({ user: inputs, username: user.username });
    return outputsOfRead(inputs, user, groups, olds);
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
    return withMfaReadBack(outputs, olds);
}
