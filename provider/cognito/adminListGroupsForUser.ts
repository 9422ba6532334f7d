import { AdminListGroupsForUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/** `AdminListGroupsForUser`, every page; group names sorted. */
export async function adminListGroupsForUser(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    username: string,
): Promise<string[]> {
    const groups: string[] = [];
    let nextToken: string | undefined;
    do {
        const r = await client.send(
            new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username, NextToken: nextToken, Limit: 60 }),
        );
        for (const g of r.Groups ?? []) if (g.GroupName) groups.push(g.GroupName);
        nextToken = r.NextToken;
    } while (nextToken);
    return groups.sort();
}
