/**
 * MFA in the batch's compact state: the recorded MFA of a user (in its record) and its TOTP secret (in the
 * secret map `totpSecrets`), as the single-user lifecycle reads them, and the URIs the program shows.
 */
import { mfaToCognito, totpUri } from "../core/mfa";
import type { UserOutputs } from "../core/types";
import type { BatchOutputs, BatchUserRecord } from "./types";

/** The MFA fields of one recorded batch user, as `UserOutputs` holds them. */
export function recordedMfaOf(
    username: string,
    record: BatchUserRecord,
    recorded: Pick<BatchOutputs, "totpSecrets">,
): Pick<UserOutputs, "mfa" | "totpSecret" | "mfaSettingList" | "preferredMfaSetting"> {
    const secrets = recorded.totpSecrets ?? {};
    const secret = record.mfa?.totp && Object.prototype.hasOwnProperty.call(secrets, username) ? secrets[username] : undefined;
    return { mfa: record.mfa, totpSecret: secret, ...mfaToCognito(record.mfa) };
}

/** The `otpauth://` URIs of a batch's TOTP secrets, keyed by username (the issuer is the pool id). */
export function totpUrisOf(userPoolId: string, totpSecrets: Record<string, string> | undefined): Record<string, string> {
    return Object.fromEntries(
        Object.entries(totpSecrets ?? {}).map(([username, secret]) => [username, totpUri(secret, username, userPoolId)]),
    );
}
