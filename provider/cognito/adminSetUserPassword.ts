import { AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/** `AdminSetUserPassword`: permanent makes the user CONFIRMED, temporary FORCE_CHANGE_PASSWORD. */
export async function adminSetUserPassword(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    username: string,
    password: string,
    permanent: boolean,
): Promise<void> {
    await client.send(
        new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: password, Permanent: permanent }),
    );
}
