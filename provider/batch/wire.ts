/**
 * The batch as Pulumi carries and records it: the users cross every RPC (program → engine → provider host
 * and back) and sit in the state as compact JSON strings, one per property, not as maps of maps. Pulumi
 * encodes a property value field by field in every process it crosses; 10,000 users as maps cost each
 * process seconds of CPU and the whole tree gigabytes, while one string costs next to nothing. The CLI
 * still previews a change of such a string per entry (it decodes JSON strings for display), so a
 * preview names the users that change. Passwords and TOTP secrets stay out of the readable strings, in
 * their own secret ones.
 *
 * Pure: the handlers decode at entry and encode at exit (./handlers.ts); nothing else sees the strings.
 * The earlier form (the same property names holding maps, written by 0.1.0 and until this change) is
 * still read, so every stack refreshes, updates and destroys after an upgrade, and the first update
 * rewrites it in this form without a Cognito write.
 */
import { CognitoUserError } from "../shared/errors";
import { hasOwn, isPlainObject } from "../shared/types";
import { isUnknown } from "../shared/unknown";
import { BatchInputs, BatchOutputs, BatchUserRecord, DeclaredPasswords, DeclaredUser } from "./types";

/** A string property holding JSON, or, in state written before this form, the decoded value itself. */
export type Encoded<T> = string | T;

/** The batch's checked inputs as recorded: the users and their passwords as JSON strings. */
export type BatchWireInputs = Omit<BatchInputs, "declaredUsers" | "userPasswords"> & {
    /** JSON of `Record<username, DeclaredUser>`, in declaration order. */
    declaredUsers: Encoded<Record<string, DeclaredUser>>;
    /** JSON of `Record<username, DeclaredPasswords>`; secret (the program makes it so). */
    userPasswords: Encoded<Record<string, DeclaredPasswords>>;
};

/** A recorded user as the state holds it: a `BatchUserRecord` without the fields at their usual value. */
export interface StoredUserRecord {
    /** The user's immutable id. */
    sub: string;
    /** Absent when it is the declared username (pools without email or phone as username). */
    cognitoUsername?: string;
    /** Absent when `CONFIRMED`. */
    status?: string;
    /** Present (false) only when the user is disabled. */
    enabled?: false;
    /** Absent when the user is in no group. */
    groups?: string[];
    /** Absent when the user has no declared attribute. */
    attributes?: Record<string, string>;
    generatePassword?: true;
    passwordManaged?: false;
    mfa?: BatchUserRecord["mfa"];
}

/** The batch's outputs as recorded: the users and each secret map as JSON strings. */
export type BatchWireOutputs = Omit<BatchOutputs, "users" | "passwords" | "temporaryPasswords" | "totpSecrets"> & {
    /** JSON of `Record<username, StoredUserRecord>`. */
    users: Encoded<Record<string, BatchUserRecord>>;
    /** JSON of `Record<username, password>`; secret (`additionalSecretOutputs`). */
    passwords: Encoded<Record<string, string>>;
    /** JSON of `Record<username, temporary password>`; secret. */
    temporaryPasswords: Encoded<Record<string, string>>;
    /** JSON of `Record<username, base32 TOTP secret>`, present only when some user has one; secret. */
    totpSecrets?: Encoded<Record<string, string>>;
};

/** The status most recorded users have, left out of their stored record. */
const USUAL_STATUS = "CONFIRMED";

/**
 * Parses a property's JSON string; a value already decoded (earlier state, or a test) is taken as it is.
 * The error names the property, never its value (it may hold passwords).
 */
export function decodeJson<T>(value: unknown, property: string): T | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") return value as T;
    try {
        return JSON.parse(value) as T;
    } catch {
        throw new CognitoUserError("VALIDATION_ERROR", `the batch's ${property} is not valid JSON (${value.length} characters).`);
    }
}

/** A user's stored record, without the fields at their usual value. */
export function storedRecordOf(username: string, record: BatchUserRecord): StoredUserRecord {
    const stored: StoredUserRecord = { sub: record.sub };
    if (record.cognitoUsername !== username) stored.cognitoUsername = record.cognitoUsername;
    if (record.status !== USUAL_STATUS) stored.status = record.status;
    if (record.enabled === false) stored.enabled = false;
    if (record.groups?.length) stored.groups = record.groups;
    if (record.attributes && Object.keys(record.attributes).length > 0) stored.attributes = record.attributes;
    if (record.generatePassword) stored.generatePassword = true;
    if (record.passwordManaged === false) stored.passwordManaged = false;
    if (record.mfa !== undefined) stored.mfa = record.mfa;
    return stored;
}

/** A user's whole record from its stored one (the inverse of `storedRecordOf`). */
export function recordOfStored(username: string, stored: StoredUserRecord): BatchUserRecord {
    const record: BatchUserRecord = {
        cognitoUsername: stored.cognitoUsername ?? username,
        sub: stored.sub,
        status: stored.status ?? USUAL_STATUS,
        enabled: stored.enabled !== false,
        groups: stored.groups ?? [],
        attributes: stored.attributes ?? {},
    };
    if (stored.generatePassword) record.generatePassword = true;
    if (stored.passwordManaged === false) record.passwordManaged = false;
    if (stored.mfa !== undefined) record.mfa = stored.mfa;
    return record;
}

/** Whether recorded outputs are in the form before this one (maps): the next update rewrites them. */
export function isEarlierForm(outputs: Partial<BatchWireOutputs>): boolean {
    return isPlainObject(outputs.users);
}

/** Every user of stored outputs, decoded: the stored form, or the earlier form as it is. */
export function recordsOf(users: unknown): Record<string, BatchUserRecord> | undefined {
    if (users === undefined || users === null) return undefined;
    if (typeof users !== "string") return users as Record<string, BatchUserRecord>;
    const stored = decodeJson<Record<string, StoredUserRecord>>(users, "users") ?? {};
    const records: Record<string, BatchUserRecord> = {};
    for (const username of Object.keys(stored)) records[username] = recordOfStored(username, stored[username]);
    return records;
}

/** A secret map of stored outputs (`passwords`, ...), decoded; `{}` when absent. */
export function secretMapOf(value: unknown, property: string): Record<string, string> {
    return decodeJson<Record<string, string>>(value, property) ?? {};
}

/** Recorded outputs, either form, as the provider works on them. `users` stays undefined when absent. */
export function decodeOutputs(outputs: Partial<BatchWireOutputs>): Partial<BatchOutputs> {
    const decoded: Partial<BatchOutputs> = { ...(outputs as Partial<BatchOutputs>) };
    if (hasOwn(outputs, "users")) decoded.users = recordsOf(outputs.users);
    for (const key of ["passwords", "temporaryPasswords", "totpSecrets"] as const) {
        if (hasOwn(outputs, key)) decoded[key] = decodeJson<Record<string, string>>(outputs[key], key);
    }
    return decoded;
}

/** Outputs to record, in this form. */
export function encodeOutputs(outputs: BatchOutputs): BatchWireOutputs {
    const stored: Record<string, StoredUserRecord> = {};
    for (const username of Object.keys(outputs.users)) stored[username] = storedRecordOf(username, outputs.users[username]);
    return {
        ...outputs,
        users: JSON.stringify(stored),
        passwords: JSON.stringify(outputs.passwords),
        temporaryPasswords: JSON.stringify(outputs.temporaryPasswords),
        ...(outputs.totpSecrets !== undefined ? { totpSecrets: JSON.stringify(outputs.totpSecrets) } : {}),
    };
}

/**
 * Outputs to record in the form `recorded` has: a refresh keeps the earlier form until an update (which
 * the program drives, with this version's secret outputs) rewrites it.
 */
export function encodeOutputsLike(recorded: Partial<BatchWireOutputs>, outputs: BatchOutputs): BatchWireOutputs {
    return isEarlierForm(recorded) ? outputs : encodeOutputs(outputs);
}

/** Checked inputs, either form (or unknown in preview), as the provider works on them. */
export function decodeInputs(inputs: BatchWireInputs): BatchInputs {
    const users = inputs.declaredUsers;
    const passwords = inputs.userPasswords;
    return {
        ...inputs,
        declaredUsers: isUnknown(users) ? (users as never) : (decodeJson<Record<string, DeclaredUser>>(users, "declaredUsers") ?? {}),
        userPasswords: isUnknown(passwords)
            ? (passwords as never)
            : (decodeJson<Record<string, DeclaredPasswords>>(passwords, "userPasswords") ?? {}),
    };
}

/** Checked inputs to record: the users and the passwords as JSON strings (unknown ones stay unknown). */
export function encodeInputs(inputs: BatchInputs): BatchWireInputs {
    const encode = (value: unknown) => (isUnknown(value) ? (value as string) : JSON.stringify(value));
    return { ...inputs, declaredUsers: encode(inputs.declaredUsers), userPasswords: encode(inputs.userPasswords) };
}
