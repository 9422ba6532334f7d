import { AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { toAttributeList } from "./attributeList";

/** `AdminUpdateUserAttributes` for added and changed attributes. */
export async function adminUpdateUserAttributes(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    username: string,
    attributes: Record<string, string>,
): Promise<void> {
    await client.send(
        new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: username, UserAttributes: toAttributeList(attributes) }),
    );
}
