/**
 * Deleting a user: a user or pool that is already gone counts as deleted.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { isNotFound } from "../core/errors";
import { adminDeleteUser } from "../cognito/adminDeleteUser";
import { step } from "./step";

/** Deletes the user by its canonical Username; succeeds when it is already gone. */
export async function deleteUser(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    cognitoUsername: string,
    displayName = cognitoUsername,
): Promise<void> {
    try {
        await step("AdminDeleteUser", { userPoolId, username: displayName }, () => adminDeleteUser(client, userPoolId, cognitoUsername));
    } catch (error) {
        if (!isNotFound(error)) throw error;
    }
}
