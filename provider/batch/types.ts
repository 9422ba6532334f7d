/**
 * The plain shapes of the batch resource (`CognitoUserBatch`): what the program declares per user,
 * what `check` records as inputs, and what the provider records as outputs. The state is keyed by
 * username so a diff shows exactly the users that changed, and holds per user only what the next
 * diff and update need.
 */
import { QuotaRates } from "./quotas";
import type { MfaSettings } from "../shared/mfa";

/**
 * One user as the program declares it, inline or in a file: the same fields as a `CognitoUser`,
 * minus the pool and connection, which the batch sets for every user.
 */
export interface BatchUserSpec {
    /** The username; unique within the batch (compared case-insensitively, as Cognito pools usually do). */
    username: string;
    /** Attributes, name to string value; custom ones with or without `custom:`. */
    attributes?: Record<string, string>;
    /** Permanent password (user CONFIRMED). Secret. */
    password?: string;
    /** Temporary password (user FORCE_CHANGE_PASSWORD). Secret. */
    temporaryPassword?: string;
    /** `true`: the provider generates a permanent password meeting the pool's policy. */
    generatePassword?: boolean;
    /** Whether the user can sign in. Default true. */
    enabled?: boolean;
    /** Group names; the groups must exist. */
    groups?: string[];
    /** Passed to `AdminCreateUser` for the pool's Lambda triggers; create only. */
    clientMetadata?: Record<string, string>;
    /** Passed to `AdminCreateUser` as `ValidationData`; create only. */
    validationData?: Record<string, string>;
    /** Passed to `AdminCreateUser`; create only. */
    forceAliasCreation?: boolean;
    /** MFA to enrol and enable, as for a `CognitoUser` (the batch's `clientId` signs the user in). */
    mfa?: { totp?: boolean; sms?: boolean; preferred?: "totp" | "sms" };
}

/** The fields of a `BatchUserSpec`, for validation of users read from files. */
export const BATCH_USER_FIELDS: readonly (keyof BatchUserSpec)[] = [
    "username",
    "attributes",
    "password",
    "temporaryPassword",
    "generatePassword",
    "enabled",
    "groups",
    "clientMetadata",
    "validationData",
    "forceAliasCreation",
    "mfa",
];

/** A user's declared passwords, split out of the user list into one secret input. */
export interface DeclaredPasswords {
    password?: string;
    temporaryPassword?: string;
}

/**
 * A user as `check` records it (the value under its username): normalized, without passwords, and
 * without fields at their default (enabled, no groups), so the state stays small.
 */
export interface DeclaredUser {
    /** Attribute names normalized (`custom:` added), keys sorted. */
    attributes: Record<string, string>;
    /** Sorted, without duplicates; absent when none. */
    groups?: string[];
    /** Present (false) only when the user is disabled. */
    enabled?: false;
    /** Present (true) only when the password is generated. */
    generatePassword?: true;
    clientMetadata?: Record<string, string>;
    validationData?: Record<string, string>;
    /** Present (true) only when set. */
    forceAliasCreation?: true;
    /** Present only when MFA is managed. */
    mfa?: MfaSettings;
}

/** Batch-wide settings: where the pool is and how fast to call Cognito. */
export interface BatchSettings {
    /** The pool every user is in. */
    userPoolId: string;
    /** AWS Region of the pool. */
    region: string;
    /** Cognito endpoint override (cognito-local, LocalStack). */
    endpoint?: string;
    /** Named AWS profile (a name, never a credential). */
    profile?: string;
    /** Attempts per Cognito call, retries included (SDK adaptive retry). */
    maxAttempts: number;
    /** Cognito calls in flight at once. */
    concurrency: number;
    /** Requests per second per quota category, over AWS's defaults; 0 = not paced. */
    rates?: QuotaRates;
    /** Whether create adopts an existing user of a declared username (recovery after an interrupted run). */
    adoptExisting: boolean;
    /** The app client MFA enrolment signs users in through. */
    clientId?: string;
    /** The resource's name, for progress lines. */
    batchName?: string;
    /** The resource's URN, as the program computes it: named by errors whose way out needs it. No diff compares it. */
    resourceUrn?: string;
}

/**
 * The batch's checked inputs: settings, the users keyed by username, and their passwords (secret).
 * The users are `declaredUsers`, not `users`: the output `users` has another shape (what Cognito
 * reports), and during preview Pulumi shows an input of the same name in place of the output.
 */
export interface BatchInputs extends BatchSettings {
    /** Every declared user, keyed by username. */
    declaredUsers: Record<string, DeclaredUser>;
    /** Declared passwords, keyed by username; only users that declare one. Secret. */
    userPasswords: Record<string, DeclaredPasswords>;
}

/** What the batch records for one user: what Cognito reports and what the next diff needs. */
export interface BatchUserRecord {
    /** The Username Cognito assigned (a UUID in email / phone sign-in pools); every call uses it. */
    cognitoUsername: string;
    /** The user's immutable id. */
    sub: string;
    /** `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, ... */
    status: string;
    /** Whether the user can sign in. */
    enabled: boolean;
    /** Group names, sorted. */
    groups: string[];
    /** The declared attributes, as Cognito has them. */
    attributes: Record<string, string>;
    /** Present (true) when the password is generated. */
    generatePassword?: true;
    /** Present (false) for a user whose password the provider does not know (adopted without one). */
    passwordManaged?: false;
    /** The user's MFA as Cognito reports it; present only when MFA is managed. */
    mfa?: MfaSettings;
}

/** The batch's outputs, as recorded in state. */
export interface BatchOutputs extends BatchSettings {
    /** Every user the batch manages, keyed by the declared username. */
    users: Record<string, BatchUserRecord>;
    /** Permanent passwords, declared or generated, keyed by username. Secret. */
    passwords: Record<string, string>;
    /** Temporary passwords, keyed by username. Secret. */
    temporaryPasswords: Record<string, string>;
    /** Enrolled TOTP secrets (base32), keyed by username; absent in state written before MFA existed. Secret. */
    totpSecrets?: Record<string, string>;
    /** How many users the batch manages. */
    count: number;
    /**
     * The AWS account that holds the pool (from its ARN), recorded at create or at the first refresh or
     * update of a batch an earlier version recorded: a pool that cannot be found is taken for deleted only
     * when the caller's credentials prove to act in this account.
     */
    accountId?: string;
}

/** One user's failure in a batch operation: never carries a password. */
export interface BatchUserFailure {
    /** The declared username. */
    username: string;
    /** What the batch was doing: create, update, delete or read. */
    action: "create" | "update" | "delete" | "read";
    /** The Cognito operation that failed, e.g. `AdminCreateUser`. */
    operation?: string;
    /** The provider's error code, e.g. `COGNITO_ERROR`. */
    code: string;
    /** The provider's message, Cognito's own message included. */
    message: string;
}
