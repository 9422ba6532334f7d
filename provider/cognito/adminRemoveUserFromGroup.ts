import { AdminRemoveUserFromGroupCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/** `AdminRemoveUserFromGroup`. */
export async function adminRemoveUserFromGroup(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    username: string,
    group: string,
): Promise<void> {
    await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }));
}
