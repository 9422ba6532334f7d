/**
 * The fields of one user, shared by `CognitoUser` and each user of a `CognitoUserBatch`.
 */
import * as pulumi from "@pulumi/pulumi";
import { MfaArgs } from "./mfaArgs";

/** What is declared about one user, besides its username, pool and connection. */
export interface UserFieldsArgs {
    /**
     * Attributes, name to string value (`"true"`, not `true`). Standard names as they are (`email`,
     * `given_name`, ...); any other name is a custom attribute, written with or without `custom:`.
     * Updated in place; a removed name is deleted from the user. Attributes Cognito sets (`sub`) never diff.
     */
    attributes?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Permanent password: the user is CONFIRMED and can sign in at once. Secret. Excludes `temporaryPassword` and `generatePassword`. Updated in place. */
    password?: pulumi.Input<string>;
    /** Temporary password: the user is FORCE_CHANGE_PASSWORD and must choose a new one at first sign-in. Secret. Updated in place. */
    temporaryPassword?: pulumi.Input<string>;
    /**
     * `true`: the provider generates a permanent password meeting the pool's password policy and returns it
     * as the secret output `password`. It stays the same on later updates.
     */
    generatePassword?: pulumi.Input<boolean>;
    /** Whether the user can sign in. Default `true`. Updated in place (`AdminEnableUser` / `AdminDisableUser`). */
    enabled?: pulumi.Input<boolean>;
    /** Group names. Membership is kept exactly as declared: groups added and removed in place. The groups must exist. */
    groups?: pulumi.Input<pulumi.Input<string>[]>;
    /** Passed to `AdminCreateUser` for the pool's Lambda triggers. Used at create only: a later change does nothing. */
    clientMetadata?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Passed to `AdminCreateUser` as `ValidationData` for the pre sign-up trigger. Used at create only. */
    validationData?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Passed to `AdminCreateUser`: move an email / phone alias from another user. Used at create only. */
    forceAliasCreation?: pulumi.Input<boolean>;
    /** MFA to enrol and enable (`{ totp: true }`, `{ sms: true }`). Absent: not managed; removed once declared: turned off. */
    mfa?: pulumi.Input<MfaArgs>;
}
