import { AdminDeleteUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/** `AdminDeleteUser`. */
export async function adminDeleteUser(client: CognitoIdentityProviderClient, userPoolId: string, username: string): Promise<void> {
    await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
}
