/**
 * Deleting a user, by its recorded canonical Username at the service recorded for it. A user Cognito
 * answers is not there counts as deleted (a retry after a lost answer lands here); a pool Cognito
 * cannot find does only where that proves the pool gone.
 */
import { describeConnection } from "../shared/connection";
import { isResourceNotFound, isUserNotFound, poolNotFoundError } from "../shared/errors";
import { CognitoGateway } from "../shared/gateway";
import { getRecordedUser, ReadContext } from "./read";

/**
 * Deletes the user recorded as `cognitoUsername` (with `sub`, when recorded), after checking that Cognito
 * still has that very user; succeeds when it is already gone. A missing pool is taken as gone only at an
 * endpoint the user was created at by name (cognito-local, moto, LocalStack: one account, so
 * ResourceNotFoundException there means the pool is gone). At AWS, where the same answer comes for a
 * pool in another account or Region, it fails with the way out.
 */
export async function deleteUser(cognito: CognitoGateway, context: ReadContext, cognitoUsername: string, sub?: string): Promise<void> {
    try {
        // Only that very user: by an alias value or a reused name, the delete could reach another one.
        if (!(await getRecordedUser(cognito, context, { cognitoUsername, sub }, "AdminGetUser (before AdminDeleteUser)"))) return;
        await cognito.adminDeleteUser({ user: context, username: cognitoUsername });
    } catch (error) {
        if (isUserNotFound(error)) return;
        if (isResourceNotFound(error)) {
            if (context.endpoint) return;
            throw poolNotFoundError({
                operation: "AdminDeleteUser",
                username: context.username,
                userPoolId: context.userPoolId,
                where: describeConnection(context),
                recorded: true,
            });
        }
        throw error;
    }
}
