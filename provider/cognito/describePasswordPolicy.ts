import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { PasswordPolicy, passwordPolicyFromCognito } from "../core/password";

/** The pool's password policy, from `DescribeUserPool`. */
export async function describePasswordPolicy(client: CognitoIdentityProviderClient, userPoolId: string): Promise<PasswordPolicy> {
    const r = await client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    return passwordPolicyFromCognito(r.UserPool?.Policies?.PasswordPolicy);
}
