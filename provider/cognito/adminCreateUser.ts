import { AdminCreateUserCommand, CognitoIdentityProviderClient, UserType } from "@aws-sdk/client-cognito-identity-provider";
import { toAttributeList } from "./attributeList";

/** What `adminCreateUser` needs. */
export interface AdminCreateUserParams {
    userPoolId: string;
    username: string;
    attributes: Record<string, string>;
    temporaryPassword?: string;
    clientMetadata?: Record<string, string>;
    validationData?: Record<string, string>;
    forceAliasCreation?: boolean;
}

/** `AdminCreateUser` with `MessageAction=SUPPRESS`: Cognito sends no email and no SMS, ever. */
export async function adminCreateUser(client: CognitoIdentityProviderClient, params: AdminCreateUserParams): Promise<UserType> {
    const response = await client.send(
        new AdminCreateUserCommand({
            UserPoolId: params.userPoolId,
            Username: params.username,
            UserAttributes: toAttributeList(params.attributes),
            MessageAction: "SUPPRESS",
            TemporaryPassword: params.temporaryPassword,
            ClientMetadata: params.clientMetadata,
            ValidationData: params.validationData ? toAttributeList(params.validationData) : undefined,
            ForceAliasCreation: params.forceAliasCreation,
        }),
    );
    if (!response.User?.Username) throw new Error("AdminCreateUser returned no user");
    return response.User;
}
