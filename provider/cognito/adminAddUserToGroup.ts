import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/** `AdminAddUserToGroup`. */
export async function adminAddUserToGroup(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    username: string,
    group: string,
): Promise<void> {
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }));
}
