import { AdminDeleteUserAttributesCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/** `AdminDeleteUserAttributes` for removed attributes. */
export async function adminDeleteUserAttributes(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    username: string,
    names: string[],
): Promise<void> {
    await client.send(new AdminDeleteUserAttributesCommand({ UserPoolId: userPoolId, Username: username, UserAttributeNames: names }));
}
