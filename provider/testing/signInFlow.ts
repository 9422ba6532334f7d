/**
 * Signing fixture users in through every path a test needs: a password alone, a password and the TOTP
 * code of the user's enrolled secret (SOFTWARE_TOKEN_MFA answered by the fixture), a temporary password
 * (NEW_PASSWORD_REQUIRED completed with a new password when asked, else handed back), and tokens cached
 * per user for the run, refreshed with REFRESH_TOKEN_AUTH before they expire.
 */
import {
    AdminInitiateAuthCommand,
    AdminInitiateAuthCommandOutput,
    AdminRespondToAuthChallengeCommand,
    AuthFlowType,
    ChallengeNameType,
    CognitoIdentityProviderClient,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { totpCode, totpStep } from "../shared/mfa";
import { AppClientAuth, decodeJwtPayload, FixtureTokens, secretHash } from "./auth";

/** A challenge Cognito answered a sign-in with, which the fixture handed back instead of completing it. */
export interface FixtureChallenge {
    /** E.g. `NEW_PASSWORD_REQUIRED`, `SMS_MFA`, `MFA_SETUP`. */
    challengeName: string;
    /** The session to answer it with (RespondToAuthChallenge). */
    session?: string;
    /** Cognito's challenge parameters (`USER_ID_FOR_SRP`, `requiredAttributes`, ...). */
    parameters: Record<string, string>;
}

/** Options of a sign-in. */
export interface FixtureSignInOptions {
    /**
     * For a user with a temporary password: complete NEW_PASSWORD_REQUIRED with this password (the user
     * becomes CONFIRMED; later sign-ins use it). Without it, the challenge is returned.
     */
    newPassword?: string;
    /** Sign in anew instead of returning cached (or refreshed) tokens. */
    fresh?: boolean;
}

/** Who signs in. */
export interface SignInSubject {
    /** The name to sign in with (the username as created). */
    username: string;
    password: string;
    /** The user's enrolled TOTP secret, if any: SOFTWARE_TOKEN_MFA is answered with its current code. */
    totpSecret?: string;
}

/** What a full sign-in returns: tokens, or a challenge the fixture does not complete. */
export type SignInAnswer = { tokens: FixtureTokens } | { challenge: FixtureChallenge };

/**
 * Completes NEW_PASSWORD_REQUIRED, the one step of a sign-in that writes to the user (its password):
 * through the identity gate, for the very user the fixture created (./signInPaths.ts).
 */
export type CompleteNewPassword = (session: string | undefined, newPassword: string) => Promise<AdminInitiateAuthCommandOutput>;

const MAX_ROUNDS = 6;

/** Signs in with the password, answering what the fixture can answer; see the module comment. */
export async function signInAnswering(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    app: AppClientAuth,
    subject: SignInSubject,
    options: FixtureSignInOptions,
    completeNewPassword: CompleteNewPassword,
): Promise<SignInAnswer> {
    let codeRetries = 0;
    let answer = await initiate(client, userPoolId, app, subject.username, { USERNAME: subject.username, PASSWORD: subject.password });
    for (let round = 0; round < MAX_ROUNDS; round++) {
        if (answer.AuthenticationResult?.IdToken && answer.AuthenticationResult.AccessToken)
            return { tokens: toTokens(answer.AuthenticationResult) };
        const name = answer.ChallengeName;
        const parameters = (answer.ChallengeParameters ?? {}) as Record<string, string>;
        // Cognito names the user in the challenge (USER_ID_FOR_SRP): in email pools, its canonical Username.
        const who = parameters.USER_ID_FOR_SRP ?? subject.username;
        const respond = (challenge: ChallengeNameType, responses: Record<string, string>) =>
            respondToChallenge(client, userPoolId, app, who, challenge, answer.Session, responses);
        if (name === "SELECT_MFA_TYPE" && subject.totpSecret) {
            answer = await respond("SELECT_MFA_TYPE", { ANSWER: "SOFTWARE_TOKEN_MFA" });
            continue;
        }
        if (name === "SOFTWARE_TOKEN_MFA" && subject.totpSecret) {
            try {
                answer = await respond("SOFTWARE_TOKEN_MFA", { SOFTWARE_TOKEN_MFA_CODE: totpCode(subject.totpSecret) });
            } catch (error) {
                // Cognito takes each code once: the step's code may have been used (by the enrolment, another
                // sign-in); wait for the next step and sign in again.
                if (!isCodeRefused(error) || codeRetries++ >= 2) throw error;
                await new Promise((resolve) => setTimeout(resolve, totpStep().msToNext + 250));
                answer = await initiate(client, userPoolId, app, subject.username, {
                    USERNAME: subject.username,
                    PASSWORD: subject.password,
                });
            }
            continue;
        }
        if (name === "NEW_PASSWORD_REQUIRED" && options.newPassword) {
            answer = await completeNewPassword(answer.Session, options.newPassword);
            continue;
        }
        return { challenge: { challengeName: name ?? "NO_TOKENS", session: answer.Session, parameters } };
    }
    throw new Error(
        `Cognito kept answering with challenges (last: ${answer.ChallengeName}); the fixture stopped after ${MAX_ROUNDS} rounds`,
    );
}

/**
 * New ID and access tokens from a refresh token (REFRESH_TOKEN_AUTH); the refresh token stays unless
 * Cognito rotates it. `username` is the one the SECRET_HASH needs (the token's `cognito:username`).
 */
export async function refreshTokens(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    app: AppClientAuth,
    tokens: FixtureTokens,
): Promise<FixtureTokens> {
    const username = String(tokens.claims["cognito:username"] ?? "");
    const parameters = { REFRESH_TOKEN: tokens.refreshToken ?? "" };
    const answer = await initiate(client, userPoolId, app, username, parameters, "REFRESH_TOKEN_AUTH");
    const result = answer.AuthenticationResult;
    if (!result?.IdToken || !result.AccessToken) throw new Error(`REFRESH_TOKEN_AUTH answered ${answer.ChallengeName ?? "no tokens"}`);
    return toTokens({ ...result, RefreshToken: result.RefreshToken ?? tokens.refreshToken });
}

/** When the tokens stop working: the earlier of the ID and access tokens' `exp`, in ms. */
export function expiresAt(tokens: FixtureTokens): number {
    const exps = [tokens.claims.exp, decodeJwtPayload(tokens.accessToken).exp].filter((v): v is number => typeof v === "number");
    if (exps.length > 0) return Math.min(...exps) * 1000;
    return Date.now() + (tokens.expiresIn ?? 3600) * 1000;
}

/** InitiateAuth, or AdminInitiateAuth for the admin flow, with the SECRET_HASH a client with a secret needs. */
async function initiate(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    app: AppClientAuth,
    username: string,
    parameters: Record<string, string>,
    flow: AuthFlowType = app.flow,
): Promise<AdminInitiateAuthCommandOutput> {
    const withHash =
        app.clientSecret !== undefined ? { ...parameters, SECRET_HASH: secretHash(app.clientSecret, username, app.clientId) } : parameters;
    if (app.flow === "ADMIN_USER_PASSWORD_AUTH") {
        return client.send(
            new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: app.clientId, AuthFlow: flow, AuthParameters: withHash }),
        );
    }
    return client.send(new InitiateAuthCommand({ ClientId: app.clientId, AuthFlow: flow, AuthParameters: withHash }));
}

/** RespondToAuthChallenge, or AdminRespondToAuthChallenge for the admin flow. */
async function respondToChallenge(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    app: AppClientAuth,
    username: string,
    challenge: ChallengeNameType,
    session: string | undefined,
    responses: Record<string, string>,
): Promise<AdminInitiateAuthCommandOutput> {
    const challengeResponses: Record<string, string> = { USERNAME: username, ...responses };
    if (app.clientSecret !== undefined) challengeResponses.SECRET_HASH = secretHash(app.clientSecret, username, app.clientId);
    const request = { ClientId: app.clientId, ChallengeName: challenge, Session: session, ChallengeResponses: challengeResponses };
    if (app.flow === "ADMIN_USER_PASSWORD_AUTH") {
        return client.send(new AdminRespondToAuthChallengeCommand({ ...request, UserPoolId: userPoolId }));
    }
    return client.send(new RespondToAuthChallengeCommand(request));
}

function toTokens(result: { IdToken?: string; AccessToken?: string; RefreshToken?: string; ExpiresIn?: number }): FixtureTokens {
    return {
        idToken: result.IdToken!,
        accessToken: result.AccessToken!,
        refreshToken: result.RefreshToken,
        expiresIn: result.ExpiresIn,
        claims: decodeJwtPayload(result.IdToken!),
    };
}

function isCodeRefused(error: unknown): boolean {
    const name = (error as Error)?.name;
    return name === "CodeMismatchException" || name === "ExpiredCodeException";
}

/**
 * Tokens per user key for one run: `get` returns cached tokens while they have more than `marginMs` left,
 * refreshes them (REFRESH_TOKEN_AUTH) when less, and signs in anew when they cannot be refreshed.
 * Concurrent requests for one user share one sign-in.
 */
export class TokenCache {
    private readonly tokens = new Map<string, FixtureTokens>();
    private readonly inFlight = new Map<string, Promise<FixtureTokens>>();

    constructor(
        private readonly marginMs: number,
        private readonly log: (line: string) => void = () => undefined,
    ) {}

    /** Cached, refreshed or new tokens for `key`; `signIn` makes new ones, `refresh` refreshes. */
    get(
        key: string,
        signIn: () => Promise<FixtureTokens>,
        refresh: (tokens: FixtureTokens) => Promise<FixtureTokens>,
        fresh = false,
    ): Promise<FixtureTokens> {
        const running = this.inFlight.get(key);
        if (running && !fresh) return running.then(copy);
        const work = (async () => {
            const cached = this.tokens.get(key);
            if (cached && !fresh) {
                if (expiresAt(cached) - Date.now() > this.marginMs) return cached;
                if (cached.refreshToken) {
                    try {
                        const refreshed = await refresh(cached);
                        this.log(`signIn("${key}"): tokens refreshed (REFRESH_TOKEN_AUTH)`);
                        this.tokens.set(key, refreshed);
                        return refreshed;
                    } catch (error) {
                        this.log(`signIn("${key}"): refreshing failed (${(error as Error).name}); signing in anew`);
                    }
                }
            }
            const tokens = await signIn();
            this.tokens.set(key, tokens);
            return tokens;
        })();
        this.inFlight.set(key, work);
        const done = () => {
            if (this.inFlight.get(key) === work) this.inFlight.delete(key);
        };
        work.then(done, done);
        return work.then(copy);
    }

    /** Forgets one user's tokens (its password changed) or, without a key, every user's. */
    forget(key?: string): void {
        if (key === undefined) this.tokens.clear();
        else this.tokens.delete(key);
    }
}

function copy(tokens: FixtureTokens): FixtureTokens {
    return { ...tokens, claims: { ...tokens.claims } };
}
