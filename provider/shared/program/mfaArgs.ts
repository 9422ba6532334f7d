/**
 * The MFA inputs of a `CognitoUser` and of each user of a `CognitoUserBatch`.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * The MFA the provider manages for a user. It needs a permanent password (`password` or
 * `generatePassword: true`): the provider signs in as the user to enrol a software token.
 */
export interface MfaArgs {
    /**
     * `true`: enrol a software token (TOTP, an authenticator app) and enable it. The provider signs in
     * through `clientId`, calls AssociateSoftwareToken and answers VerifySoftwareToken with a code it
     * computes; the secret is the secret output `totpSecret` (and `totpUri`). The pool must allow
     * software tokens (MFA OPTIONAL or ON). `false` turns it off.
     */
    totp?: pulumi.Input<boolean>;
    /** `true`: enable SMS MFA. The user needs a verified phone (`phone_number`, `phone_number_verified: "true"`). `false` turns it off. */
    sms?: pulumi.Input<boolean>;
    /** The preferred method when both are on. Default `"totp"`. */
    preferred?: pulumi.Input<"totp" | "sms">;
}

/** The app client input that goes with `mfa`. */
export interface MfaClientArgs {
    /**
     * The app client the provider signs in through to enrol a software token (`mfa.totp`). It must allow
     * ALLOW_ADMIN_USER_PASSWORD_AUTH (used when allowed) or ALLOW_USER_PASSWORD_AUTH; a client secret is
     * read with DescribeUserPoolClient. Recorded: a change is an update with no Cognito call.
     */
    clientId?: pulumi.Input<string>;
}

/** Outputs that are secrets: the engine encrypts them in state and masks them in every display. */
export const MFA_SECRET_OUTPUTS = ["totpSecret", "totpUri"];
