import { CognitoIdentityProviderClient, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";

/**
 * `ListUsers` with an exact-match filter; returns the canonical Usernames found. Used to find a user by
 * `sub`, which `AdminGetUser` is not guaranteed to accept.
 */
export async function listUsersByAttribute(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    attribute: "sub" | "email" | "phone_number" | "preferred_username",
    value: string,
): Promise<string[]> {
    const escaped = value.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    const r = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: `${attribute} = "${escaped}"`, Limit: 2 }));
    return (r.Users ?? []).map((u) => u.Username).filter((u): u is string => !!u);
}
