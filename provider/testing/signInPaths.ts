/**
 * The sign-in paths a fixture user can be declared with, besides a permanent password: a temporary
 * password (first sign-in must choose a new one), a disabled user, and TOTP MFA. What each adds to the
 * user's `CognitoUser`, to the embedded pool, and to `signIn`.
 */
import {
    AdminInitiateAuthCommandOutput,
    CognitoIdentityProviderClient,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoGateway } from "../shared/cognito/gateway";
import { isUserNotFound } from "../shared/errors";
import { totpCode } from "../shared/mfa";
import { AppClientAuth, FixtureTokens } from "./auth";
import { CompleteNewPassword, FixtureChallenge, FixtureSignInOptions, refreshTokens, signInAnswering, TokenCache } from "./signInFlow";
import { uniqueUsername, withUniqueEmail } from "./uniqueUsernames";

/** The sign-in path fields of a fixture user's declaration. */
export interface FixtureSignInPathSpec {
    /**
     * A temporary password instead of a permanent one: the user is FORCE_CHANGE_PASSWORD and `signIn`
     * returns the NEW_PASSWORD_REQUIRED challenge, or completes it with `signIn(key, { newPassword })`.
     * Excludes `password` and `mfa`. Never printed.
     */
    temporaryPassword?: string;
    /** `false`: the user exists but cannot sign in (real Cognito and moto refuse it; cognito-local does not). Default true. */
    enabled?: boolean;
    /**
     * `{ totp: true }`: the user gets a software token (TOTP) enrolled; `signIn` answers SOFTWARE_TOKEN_MFA
     * with the code computed from its secret, and `totp(key)` gives the current code (for UI tests). The
     * embedded pool turns optional TOTP MFA on; your own pool must allow it.
     */
    mfa?: { totp?: boolean };
}

/** What a created fixture user adds for the sign-in paths. */
export interface FixtureSignInPathUser {
    /** The username as declared; `username` is the one created (made unique under `mocha --parallel`). */
    declaredUsername: string;
    /** Its enrolled TOTP secret (base32), with `mfa: { totp: true }`. Do not print it. */
    totpSecret?: string;
    /** Whether its password is temporary (until `signIn(key, { newPassword })` replaces it). */
    passwordIsTemporary: boolean;
}

/** A sign-in's result: tokens, or for a user with a temporary password, the challenge when no new password was given. */
export type FixtureSignInResult<S> = S extends { temporaryPassword: string } ? FixtureTokens | FixtureChallenge : FixtureTokens;

/** Problems in the sign-in path fields of one declared user. */
export function signInPathProblems(key: string, spec: FixtureSignInPathSpec & { password?: string }): string[] {
    const problems: string[] = [];
    if (spec.temporaryPassword !== undefined && typeof spec.temporaryPassword !== "string")
        problems.push(`user "${key}": temporaryPassword must be a string`);
    if (spec.temporaryPassword !== undefined && spec.password !== undefined)
        problems.push(`user "${key}": declare password or temporaryPassword, not both`);
    if (spec.temporaryPassword !== undefined && spec.mfa?.totp)
        problems.push(
            `user "${key}": mfa needs a permanent password (declare password, or none to have one generated), not temporaryPassword`,
        );
    if (spec.mfa !== undefined && (typeof spec.mfa !== "object" || Object.keys(spec.mfa).some((k) => k !== "totp")))
        problems.push(`user "${key}": mfa is { totp: true } (SMS codes cannot be read by a test)`);
    if (spec.enabled !== undefined && typeof spec.enabled !== "boolean") problems.push(`user "${key}": enabled must be true or false`);
    return problems;
}

/** What the declaration means for the user's `CognitoUser`: its username, attributes, password kind, `enabled` and MFA. */
export function userResourceArgs(
    spec: FixtureSignInPathSpec & { username: string; password?: string; attributes?: Record<string, string> },
    clientId: string,
    suffix: string | undefined,
): Record<string, unknown> {
    const username = suffix ? uniqueUsername(spec.username, suffix) : spec.username;
    const totp = spec.mfa?.totp === true;
    return {
        username,
        attributes: withUniqueEmail(spec.attributes, spec.username, username),
        password: spec.password,
        temporaryPassword: spec.temporaryPassword,
        generatePassword: spec.password === undefined && spec.temporaryPassword === undefined ? true : undefined,
        enabled: spec.enabled,
        mfa: spec.mfa !== undefined ? { totp } : undefined,
        clientId: totp ? clientId : undefined,
    };
}

/** Whether any declared user asks for TOTP: the embedded pool then allows it. */
export function anyTotp(specs: Record<string, FixtureSignInPathSpec>): boolean {
    return Object.values(specs).some((spec) => spec.mfa?.totp === true);
}

/** Turns optional TOTP MFA on in the embedded pool (cognito-local). */
export async function enableOptionalTotp(client: CognitoIdentityProviderClient, userPoolId: string): Promise<void> {
    await client.send(
        new SetUserPoolMfaConfigCommand({
            UserPoolId: userPoolId,
            MfaConfiguration: "OPTIONAL",
            SoftwareTokenMfaConfiguration: { Enabled: true },
        }),
    );
}

/** A created user as `signIn` needs it. */
export interface SignInUser {
    key: string;
    username: string;
    /** The Username and sub Cognito gave the user at create: the identity a write proves first. */
    cognitoUsername: string;
    sub: string;
    password: string;
    passwordIsTemporary: boolean;
    totpSecret?: string;
}

/**
 * Signs a fixture user in (see signInFlow.ts): cached tokens, refreshed before they expire, or a new
 * sign-in answering SOFTWARE_TOKEN_MFA, and NEW_PASSWORD_REQUIRED when a new password is given. A
 * challenge is returned only for a user with a temporary password; any other is an error.
 * `onNewPassword` records the user's new password.
 */
export async function signInUser(
    client: CognitoIdentityProviderClient,
    pool: { userPoolId: string; region: string; endpoint?: string },
    app: AppClientAuth,
    cache: TokenCache,
    user: SignInUser,
    options: FixtureSignInOptions,
    onNewPassword: (password: string) => void,
): Promise<FixtureTokens | FixtureChallenge> {
    const { userPoolId } = pool;
    let challenge: FixtureChallenge | undefined;
    const completeNewPassword: CompleteNewPassword = (session, newPassword) =>
        completeNewPasswordOfProvenUser(
            new CognitoGateway(client, { region: pool.region, endpoint: pool.endpoint }),
            pool,
            app,
            user,
            session,
            newPassword,
        );
    const signIn = async (): Promise<FixtureTokens> => {
        const answer = await signInAnswering(client, userPoolId, app, user, options, completeNewPassword);
        if ("tokens" in answer) {
            if (user.passwordIsTemporary && options.newPassword) onNewPassword(options.newPassword);
            return answer.tokens;
        }
        challenge = answer.challenge;
        throw new ChallengeAnswered();
    };
    try {
        // A temporary-password user's first sign-in must not come from (or go into) the cache.
        const fresh = options.fresh === true || user.passwordIsTemporary;
        return await cache.get(user.key, signIn, (tokens) => refreshTokens(client, userPoolId, app, tokens), fresh);
    } catch (error) {
        if (!(error instanceof ChallengeAnswered)) throw error;
        if (user.passwordIsTemporary) return challenge!;
        throw new Error(
            `Cognito answered ${app.flow} with the challenge ${challenge!.challengeName}, which the fixture cannot complete ` +
                "(it answers SOFTWARE_TOKEN_MFA for users declared with mfa: { totp: true }, and NEW_PASSWORD_REQUIRED with signIn(key, { newPassword }))",
        );
    }
}

/** Marks a sign-in that ended in a challenge (not an error of Cognito's). */
class ChallengeAnswered extends Error {}

/**
 * NEW_PASSWORD_REQUIRED through the identity gate: the user is first proven the one this fixture created
 * (`AdminGetUser`: its canonical Username and sub), then answered as that user; a Username another user
 * now holds is never given a new password.
 */
async function completeNewPasswordOfProvenUser(
    cognito: CognitoGateway,
    pool: { userPoolId: string },
    app: AppClientAuth,
    user: SignInUser,
    session: string | undefined,
    newPassword: string,
): Promise<AdminInitiateAuthCommandOutput> {
    const ref = { userPoolId: pool.userPoolId, username: user.username, secrets: [user.password, newPassword, session] };
    const found = await cognito.adminGetUser({ user: ref, username: user.cognitoUsername }).catch((error: unknown) => {
        if (isUserNotFound(error)) return undefined;
        throw error;
    });
    const verdict = cognito.identify(found, { cognitoUsername: user.cognitoUsername, sub: user.sub }, ref);
    if (verdict.kind !== "same") {
        const now = verdict.kind === "takenOver" ? `its username now belongs to another user (sub ${verdict.foundSub})` : "it is gone";
        throw new Error(`it is no longer the user this fixture created (sub ${user.sub}): ${now}; no new password was set`);
    }
    const answer = await cognito.respondToAuthChallenge({
        user: verdict.proven,
        client: app,
        challenge: "NEW_PASSWORD_REQUIRED",
        session: session ?? "",
        responses: { NEW_PASSWORD: newPassword },
    });
    return {
        $metadata: {},
        ChallengeName: answer.challenge,
        Session: answer.session,
        ChallengeParameters: answer.parameters,
        AuthenticationResult: answer.accessToken
            ? { IdToken: answer.idToken, AccessToken: answer.accessToken, RefreshToken: answer.refreshToken, ExpiresIn: answer.expiresIn }
            : undefined,
    };
}

/** The current TOTP code of a user enrolled with `mfa: { totp: true }`. */
export function currentTotp(key: string, totpSecret: string | undefined): string {
    if (!totpSecret) throw new Error(`user "${key}" has no TOTP: declare it with mfa: { totp: true }`);
    return totpCode(totpSecret);
}
