/**
 * The plain shapes the provider works on, after Pulumi has resolved every `Input`.
 */

/** What the program declared, before `check`: any property may hold anything, or be missing. */
export type RawInputs<T> = { readonly [K in keyof T]?: unknown };

/** The MFA methods a user may have, as declared and as recorded (normalized: both flags present). */
export interface MfaSettings {
    /** A software token (TOTP, an authenticator app) is enrolled and enabled. */
    totp: boolean;
    /** SMS MFA is enabled (the user needs a verified `phone_number`). */
    sms: boolean;
    /** The preferred method when more than one is enabled; set whenever one is enabled. */
    preferred?: "totp" | "sms";
}

/** The MFA inputs of a user (part of `UserInputs`). */
export interface MfaInputs {
    /**
     * The MFA the provider manages. Absent: MFA is not managed (the user's MFA stays as it is, and an
     * existing stack shows no diff); once declared, removing it turns MFA off, as `{ totp: false, sms: false }` does.
     */
    mfa?: MfaSettings;
    /** The app client the provider signs in through to enrol a software token. Required with `mfa.totp`. */
    clientId?: string;
}

/** The MFA outputs of a user (part of `UserOutputs`): both secret. */
export interface MfaOutputs {
    /** The TOTP secret (base32) the provider enrolled. Secret. */
    totpSecret?: string;
    /** The `otpauth://totp/...` URI of that secret, for an authenticator app (or a QR code). Secret. */
    totpUri?: string;
}

/** A user's checked inputs: what the program declared, validated and normalized. */
export interface UserInputs extends MfaInputs {
    /** The pool's id, e.g. `eu-west-1_AbCdEf123` (real Cognito) or `local_AbCd1234` (cognito-local). */
    userPoolId: string;
    /** The username given at creation: a plain name, or an email / phone in pools that sign in with them. */
    username: string;
    /** Declared attributes, names normalized (custom ones as `custom:<name>`), keys sorted. */
    attributes: Record<string, string>;
    /** Permanent password (status CONFIRMED). */
    password?: string;
    /** Temporary password (status FORCE_CHANGE_PASSWORD). */
    temporaryPassword?: string;
    /** Whether the provider generates the permanent password. */
    generatePassword: boolean;
    /** Whether the user can sign in. */
    enabled: boolean;
    /** Group names, sorted, without duplicates. */
    groups: string[];
    /** Handed to `AdminCreateUser` for the pool's Lambda triggers; create only. */
    clientMetadata?: Record<string, string>;
    /** Handed to `AdminCreateUser` for the pre sign-up trigger; create only. */
    validationData?: Record<string, string>;
    /** Handed to `AdminCreateUser`; create only. */
    forceAliasCreation: boolean;
    /**
     * Create only: when the username already exists, adopt that user (bring it to the declared state)
     * instead of failing. For recovering from an interrupted `pulumi up`.
     */
    adoptExisting: boolean;
    /**
     * Create only: `<userPoolId>/<name>` from the `import` resource option. Create then adopts that existing
     * user (found by Username, email, phone or sub) instead of making one, and fails if it does not exist.
     */
    importId?: string;
    /** AWS Region of the pool. */
    region: string;
    /** Cognito endpoint override (cognito-local, LocalStack). */
    endpoint?: string;
    /** Named AWS profile for credentials (a name, never a credential). */
    profile?: string;
    /** Attempts per Cognito call, including retries of throttled calls. */
    maxAttempts: number;
    /**
     * The resource's URN, as the program computes it (`pulumi.createUrn`): named by the errors whose way
     * out is a command that needs it (`pulumi state delete`). No diff compares it.
     */
    resourceUrn?: string;
}

/**
 * Inputs only a create uses (handed to `AdminCreateUser`, or deciding how a create starts). No diff
 * compares them and no later step reads them back, so outputs do not record them; 0.1.0's outputs
 * did, and are read as before.
 */
export const CREATE_ONLY_INPUTS = ["clientMetadata", "validationData", "forceAliasCreation", "adoptExisting", "importId"] as const;

/** An input of `CREATE_ONLY_INPUTS`. */
export type CreateOnlyInput = (typeof CREATE_ONLY_INPUTS)[number];

/** What the provider records for a user: its inputs but the create-only ones, plus what Cognito reports. */
export interface UserOutputs extends Omit<UserInputs, CreateOnlyInput>, MfaOutputs {
    /** The Username Cognito assigned: a UUID (equal to `sub`) in pools that sign in by email or phone. Every call after create uses it. */
    cognitoUsername: string;
    /** The user's immutable id. */
    sub: string;
    /** `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, ... */
    status: string;
    /** When Cognito created the user (ISO 8601). */
    createdAt: string;
    /** When Cognito last changed the user (ISO 8601). */
    lastModifiedAt: string;
    /** The user's preferred MFA method, if any. */
    preferredMfaSetting?: string;
    /** The MFA methods the user has activated. */
    mfaSettingList: string[];
    /**
     * False for a user adopted by import: its password cannot be read back, so the provider leaves the
     * password as it is in Cognito until the declared password changes.
     */
    passwordManaged: boolean;
    /**
     * The AWS account that holds the pool (from the pool's ARN), recorded at create or at the first
     * refresh or update of a user an earlier version recorded: a pool that cannot be found is taken for
     * deleted only when the caller's credentials prove to act in this account.
     */
    accountId?: string;
}

/** A property-level problem found by `check`, in Pulumi's `CheckFailure` shape. */
export interface InputFailure {
    /** The input's name, e.g. `attributes` or `groups`. */
    property: string;
    /** What is wrong and how to fix it. */
    reason: string;
}

/** Default attempts per call: the SDK's adaptive retry backs off on throttling between them. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** A copy without `undefined` values: Pulumi's wire format cannot carry them. */
export function dropUndefined<T extends object>(value: T): T {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        if (v !== undefined) out[key] = v;
    }
    return out as T;
}

/** Whether `record` has `key` of its own (not from its prototype). */
export function hasOwn(record: object, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(record, key);
}

/** Whether a value is an object that is not a list: a map of names to values. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
