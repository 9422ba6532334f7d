import { AdminGetUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { fromAttributeList } from "./attributeList";

/** A user as Cognito reports it. */
export interface CognitoUserRecord {
    /** The canonical Username. */
    username: string;
    attributes: Record<string, string>;
    enabled: boolean;
    status: string;
    createdAt?: Date;
    lastModifiedAt?: Date;
    preferredMfaSetting?: string;
    mfaSettingList: string[];
}

/** `AdminGetUser`: by Username, or by an alias (email, phone, preferred_username) where the pool has aliases. */
export async function adminGetUser(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    username: string,
): Promise<CognitoUserRecord> {
    const r = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    return {
        username: r.Username ?? username,
        attributes: fromAttributeList(r.UserAttributes),
        enabled: r.Enabled ?? true,
        status: r.UserStatus ?? "UNKNOWN",
        createdAt: r.UserCreateDate,
        lastModifiedAt: r.UserLastModifiedDate,
        preferredMfaSetting: r.PreferredMfaSetting,
        mfaSettingList: r.UserMFASettingList ?? [],
    };
}
