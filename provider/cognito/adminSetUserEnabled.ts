import { AdminDisableUserCommand, AdminEnableUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/** `AdminEnableUser` or `AdminDisableUser`. */
export async function adminSetUserEnabled(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    username: string,
    enabled: boolean,
): Promise<void> {
    const input = { UserPoolId: userPoolId, Username: username };
    await client.send(enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input));
}
