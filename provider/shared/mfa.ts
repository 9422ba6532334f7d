/**
 * MFA, the pure part: what `mfa` and `clientId` mean, their validation, how the recorded MFA compares
 * with the declared one, which steps an update takes, and TOTP codes and `otpauth://` URIs.
 *
 * TOTP codes come from `otpauth` (RFC 4226 / RFC 6238, the Key Uri Format authenticator apps read): a
 * well-kept library with a CommonJS build for Node that uses `node:crypto`, so the dynamic-provider host
 * (CommonJS) loads it without an ES-module loader, and no hand-written HMAC code computes a secret's codes.
 */
import { Secret, TOTP } from "otpauth";
import { InputFailure, isPlainObject, MfaInputs, MfaSettings, RawInputs, UserInputs } from "./types";

export type { MfaInputs, MfaOutputs, MfaSettings } from "./types";
import { isKnown, isUnknown } from "./unknown";

/** What the update does about MFA. */
export interface MfaPlan {
    /** What the user's MFA must be afterwards; undefined when MFA is not managed (nothing to do). */
    desired?: MfaSettings;
    /** Enrol a (new) software token: AssociateSoftwareToken and VerifySoftwareToken. */
    enrolTotp: boolean;
    /** Set the MFA preference (enabled methods and the preferred one). */
    setPreference: boolean;
}

/** `mfa` turned off: what removing a declared `mfa` means. */
export const MFA_OFF: MfaSettings = { totp: false, sms: false };

/** Cognito's names of the methods, as `AdminGetUser` lists them. */
export const COGNITO_MFA_NAMES = { totp: "SOFTWARE_TOKEN_MFA", sms: "SMS_MFA" } as const;

const MFA_KEYS = ["totp", "sms", "preferred"];

/** `mfa` normalized: both flags, and `preferred` set to the one enabled method (TOTP when both and none chosen). */
export function normalizeMfa(raw: { totp?: boolean; sms?: boolean; preferred?: "totp" | "sms" }): MfaSettings {
    const totp = raw.totp === true;
    const sms = raw.sms === true;
    const mfa: MfaSettings = { totp, sms };
    if (totp && sms) mfa.preferred = raw.preferred ?? "totp";
    else if (totp) mfa.preferred = "totp";
    else if (sms) mfa.preferred = "sms";
    return mfa;
}

/** Whether any method is on. */
export function mfaEnabled(mfa: MfaSettings | undefined): boolean {
    return mfa !== undefined && (mfa.totp || mfa.sms);
}

/**
 * Validates `mfa` and `clientId` of raw inputs; returns the normalized values and the failures (each
 * names its property and the fix; none carries a secret). `path` prefixes property names (the batch's
 * `users[3].`); `clientIdPath` is where the batch declares the client (batch-wide `clientId`).
 */
export function validateMfa(
    raw: RawInputs<UserInputs>,
    path = "",
    clientIdPath = `${path}clientId`,
): { mfa?: MfaSettings; clientId?: string; failures: InputFailure[] } {
    const failures: InputFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });

    const clientId = raw.clientId;
    if (isKnown(clientId) && (typeof clientId !== "string" || !/^[\w+]{1,128}$/.test(clientId)))
        fail(
            clientIdPath,
            `clientId ${JSON.stringify(clientId)} is not an app client id: pass the client's id, e.g. \`clientId: client.id\`.`,
        );

    const rawMfa = raw.mfa;
    if (!isKnown(rawMfa)) return { mfa: isUnknown(rawMfa) ? (rawMfa as MfaSettings) : undefined, clientId: clientId as string, failures };
    if (!isPlainObject(rawMfa)) {
        fail(`${path}mfa`, "mfa must be an object, e.g. `mfa: { totp: true }` (a software token) or `mfa: { sms: true }`.");
        return { failures, clientId: clientId as string };
    }
    for (const key of Object.keys(rawMfa)) {
        if (!MFA_KEYS.includes(key)) fail(`${path}mfa.${key}`, `"${key}" is not an MFA setting; expected totp, sms or preferred.`);
    }
    for (const key of ["totp", "sms"] as const) {
        const value = rawMfa[key];
        if (isKnown(value) && typeof value !== "boolean") fail(`${path}mfa.${key}`, `mfa.${key} must be true or false.`);
    }
    const preferred = rawMfa.preferred;
    if (isKnown(preferred) && preferred !== "totp" && preferred !== "sms")
        fail(`${path}mfa.preferred`, 'mfa.preferred must be "totp" or "sms".');
    // While preview does not know a flag, the rest cannot be judged yet.
    if ([rawMfa.totp, rawMfa.sms, preferred].some(isUnknown))
        return { mfa: rawMfa as unknown as MfaSettings, clientId: clientId as string, failures };
    if (failures.length > 0) return { failures, clientId: clientId as string };

    const mfa = normalizeMfa(rawMfa as { totp?: boolean; sms?: boolean; preferred?: "totp" | "sms" });
    if (preferred !== undefined && preferred !== null && !mfa[preferred as "totp" | "sms"])
        fail(
            `${path}mfa.preferred`,
            `mfa.preferred is "${preferred}", which is not enabled: enable it (\`${preferred}: true\`) or prefer the enabled method.`,
        );

    if (mfaEnabled(mfa)) {
        // A user with MFA signs in with a password and a code: it must have a permanent one the provider knows.
        const temporary = isKnown(raw.temporaryPassword);
        const permanent =
            isKnown(raw.password) || raw.generatePassword === true || isUnknown(raw.generatePassword) || isUnknown(raw.password);
        if (temporary) {
            fail(
                `${path}mfa`,
                "MFA needs a permanent password, and this user has a temporary one (status FORCE_CHANGE_PASSWORD): " +
                    "declare `password` (permanent) or `generatePassword: true` instead of `temporaryPassword`, or remove mfa.",
            );
        } else if (!permanent) {
            fail(
                `${path}mfa`,
                "MFA needs a permanent password the provider knows (it signs in as the user to enrol): declare `password` or `generatePassword: true`.",
            );
        }
    }
    if (mfa.totp && !isKnown(clientId) && !isUnknown(clientId)) {
        fail(
            // A batch user's client is the batch's: reported on the user's mfa.totp, not on a per-user clientId.
            path ? `${path}mfa.totp` : clientIdPath,
            "mfa.totp needs `clientId`: the app client the provider signs in through to enrol the software token " +
                "(it must allow ALLOW_ADMIN_USER_PASSWORD_AUTH or ALLOW_USER_PASSWORD_AUTH), e.g. `clientId: client.id`.",
        );
    }
    if (mfa.sms) {
        const attributes = isPlainObject(raw.attributes) ? raw.attributes : undefined;
        if (attributes && !isUnknown(raw.attributes)) {
            const phone = attributes.phone_number;
            const verified = attributes.phone_number_verified;
            if (!isKnown(phone) || (!isUnknown(verified) && verified !== "true"))
                fail(
                    `${path}mfa.sms`,
                    'mfa.sms needs a verified phone: declare the attributes `phone_number` (E.164, e.g. "+15555550100") and `phone_number_verified: "true"`.',
                );
        } else if (!isUnknown(raw.attributes)) {
            fail(
                `${path}mfa.sms`,
                'mfa.sms needs a verified phone: declare the attributes `phone_number` (E.164, e.g. "+15555550100") and `phone_number_verified: "true"`.',
            );
        }
    }
    return { mfa, clientId: clientId as string, failures };
}

/** Whether two MFA settings mean the same; `preferred` counts only when both methods are on. */
export function sameMfa(a: MfaSettings | undefined, b: MfaSettings | undefined): boolean {
    const x = a ?? MFA_OFF;
    const y = b ?? MFA_OFF;
    if (x.totp !== y.totp || x.sms !== y.sms) return false;
    return !(x.totp && x.sms) || (x.preferred ?? "totp") === (y.preferred ?? "totp");
}

/** The MFA Cognito reports (`UserMFASettingList`, `PreferredMfaSetting`), as settings. */
export function mfaFromCognito(settingList: readonly string[] | undefined, preferredSetting: string | undefined): MfaSettings {
    const list = settingList ?? [];
    const preferred = preferredSetting === COGNITO_MFA_NAMES.sms ? "sms" : preferredSetting === COGNITO_MFA_NAMES.totp ? "totp" : undefined;
    return normalizeMfa({ totp: list.includes(COGNITO_MFA_NAMES.totp), sms: list.includes(COGNITO_MFA_NAMES.sms), preferred });
}

/** Settings as Cognito's `UserMFASettingList` and `PreferredMfaSetting`. */
export function mfaToCognito(mfa: MfaSettings | undefined): { mfaSettingList: string[]; preferredMfaSetting?: string } {
    const list: string[] = [];
    if (mfa?.sms) list.push(COGNITO_MFA_NAMES.sms);
    if (mfa?.totp) list.push(COGNITO_MFA_NAMES.totp);
    return { mfaSettingList: list, preferredMfaSetting: mfa?.preferred ? COGNITO_MFA_NAMES[mfa.preferred] : undefined };
}

/** The recorded MFA state of a user, as diff and update read it. */
export interface RecordedMfa {
    mfa?: MfaSettings;
    clientId?: string;
    totpSecret?: string;
}

/**
 * The inputs whose change `diff` reports: `mfa` when the declared MFA differs from the recorded one
 * (a removed `mfa` turns a managed MFA off; an absent one on a stack that never managed it changes
 * nothing), or when TOTP is declared but no secret is recorded (an adopted user: it is enrolled anew);
 * `clientId` when it changes (recorded, for later enrolments).
 */
export function mfaChanges(olds: RecordedMfa, news: MfaInputs): string[] {
    const changed: string[] = [];
    if (planMfa(olds, news).setPreference) changed.push("mfa");
    if ((olds.clientId ?? undefined) !== (news.clientId ?? undefined)) changed.push("clientId");
    return changed;
}

/** Plans the MFA part of an update (or of a create, from nothing recorded). */
export function planMfa(olds: RecordedMfa, news: MfaInputs): MfaPlan {
    const desired = news.mfa ?? (olds.mfa !== undefined ? MFA_OFF : undefined);
    if (desired === undefined) return { enrolTotp: false, setPreference: false };
    const enrolTotp = desired.totp && (olds.mfa?.totp !== true || !olds.totpSecret);
    const setPreference = enrolTotp || olds.mfa === undefined || !sameMfa(olds.mfa, desired);
    return { desired, enrolTotp, setPreference };
}

/** The TOTP parameters Cognito uses: SHA-1, 6 digits, 30-second steps (RFC 6238's defaults). */
const TOTP_PARAMETERS = { algorithm: "SHA1", digits: 6, period: 30 } as const;

/** The TOTP generator of a base32 secret. */
function totpOf(secret: string, label = "user", issuer = ""): TOTP {
    return new TOTP({ ...TOTP_PARAMETERS, secret: Secret.fromBase32(secret.replace(/\s+/g, "").toUpperCase()), label, issuer });
}

/** The code an authenticator app shows for `secret` at `timestamp` (ms; default now). */
export function totpCode(secret: string, timestamp: number = Date.now()): string {
    return totpOf(secret).generate({ timestamp });
}

/** The 30-second step `timestamp` falls in, and the ms until the next one. */
export function totpStep(timestamp: number = Date.now()): { step: number; msToNext: number } {
    const periodMs = TOTP_PARAMETERS.period * 1000;
    return { step: Math.floor(timestamp / periodMs), msToNext: periodMs - (timestamp % periodMs) };
}

/** The `otpauth://totp/<issuer>:<label>?secret=...` URI of a secret, for authenticator apps and QR codes. */
export function totpUri(secret: string, label: string, issuer: string): string {
    return totpOf(secret, label, issuer).toString();
}

/** The MFA fields of a user's outputs. */
export type MfaRecord = {
    mfa?: MfaSettings;
    totpSecret?: string;
    totpUri?: string;
    mfaSettingList?: string[];
    preferredMfaSetting?: string;
};

/**
 * Sets the MFA fields of `outputs` from `state` (a field `state` has as undefined is removed: Pulumi's wire
 * format cannot carry undefined). Returns `outputs`.
 */
export function withMfaState<T extends MfaRecord>(outputs: T, state: MfaRecord | undefined): T {
    if (!state) return outputs;
    const target = outputs as MfaRecord;
    for (const key of ["mfa", "totpSecret", "totpUri", "mfaSettingList", "preferredMfaSetting"] as const) {
        if (!(key in state)) continue;
        if (state[key] === undefined) delete target[key];
        else (target as Record<string, unknown>)[key] = state[key];
    }
    return outputs;
}

/**
 * The MFA of a user as read back from Cognito (refresh, the end of an update): recorded only when the
 * provider manages it (`recorded.mfa` present), from the user's `UserMFASettingList`, so drift shows in the
 * next diff; the recorded secret stays while TOTP is on. A user whose MFA is not managed records none.
 */
export function withMfaReadBack<T extends MfaRecord>(outputs: T, recorded: MfaRecord | undefined): T {
    const managed = recorded?.mfa !== undefined;
    const mfa = managed ? mfaFromCognito(outputs.mfaSettingList, outputs.preferredMfaSetting) : undefined;
    const secret = mfa?.totp ? recorded?.totpSecret : undefined;
    return withMfaState(outputs, { mfa, totpSecret: secret, totpUri: secret ? recorded?.totpUri : undefined });
}
