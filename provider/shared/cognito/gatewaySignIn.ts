/**
 * The Cognito gateway's sign-in and MFA operations (`CognitoGateway` in ./gateway.ts inherits them):
 * the pool's MFA configuration and an app client's flows, read once per run; signing in as a user and
 * answering a challenge (with the SECRET_HASH a client with a secret needs); enrolling a software token;
 * setting a user's MFA preference. Each acts as or on one user, so each takes a `ProvenUser` (the identity
 * gate of ./gatewayBase.ts). Every password, session, token and client secret a request carries is kept
 * out of its errors.
 */
import * as crypto from "crypto";
import {
    AdminInitiateAuthCommand,
    AdminRespondToAuthChallengeCommand,
    AdminSetUserMFAPreferenceCommand,
    AssociateSoftwareTokenCommand,
    AuthenticationResultType,
    ChallengeNameType,
    DescribeUserPoolClientCommand,
    GetUserPoolMfaConfigCommand,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
    SetUserMFAPreferenceCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { GatewayBase, ProvenUser, UserRef } from "./gatewayBase";
import type { MfaSettings } from "../mfa";

/** A pool's MFA configuration, from `GetUserPoolMfaConfig`. */
export interface PoolMfaConfig {
    /** `OFF`, `OPTIONAL` or `ON`. */
    mode?: string;
    /** Software tokens are allowed. */
    totp: boolean;
    /** SMS MFA is configured (an SNS caller role). */
    sms: boolean;
}

/** An app client's sign-in facts, from `DescribeUserPoolClient`. */
export interface AppClientFacts {
    /** Its explicit auth flows. */
    flows: string[];
    /** Its secret, when it has one. Never shown. */
    secret?: string;
}

/** The app client a sign-in goes through, and the password flow it uses. */
export interface SignInClient {
    clientId: string;
    /** The client's secret, when it has one: every sign-in call then sends a SECRET_HASH. */
    clientSecret?: string;
    flow: "ADMIN_USER_PASSWORD_AUTH" | "USER_PASSWORD_AUTH";
}

/** What a sign-in call answered: a challenge with its session and parameters, or tokens. */
export interface AuthAnswer {
    challenge?: ChallengeNameType;
    session?: string;
    /** The challenge's parameters (`USER_ID_FOR_SRP`, `requiredAttributes`, ...). */
    parameters?: Record<string, string>;
    idToken?: string;
    accessToken?: string;
    refreshToken?: string;
    /** Seconds the tokens are valid. */
    expiresIn?: number;
}

/** Where a software token call stands: with the user's access token, or the MFA_SETUP challenge's session. */
export type TokenSession = { accessToken: string } | { session?: string };

const poolMfaConfigs = new Map<string, Promise<PoolMfaConfig>>();
const appClients = new Map<string, Promise<AppClientFacts>>();

/** Forgets the pools' MFA configuration and the app clients read so far: for tests that change them. */
export function forgetMfaFacts(): void {
    poolMfaConfigs.clear();
    appClients.clear();
}

/** The gateway's sign-in and MFA operations. */
export abstract class CognitoSignIn extends GatewayBase {
    /** `GetUserPoolMfaConfig`, once per pool and connection for the life of the process. */
    getUserPoolMfaConfig(request: { user: UserRef }): Promise<PoolMfaConfig> {
        const { userPoolId } = request.user;
        return this.cachedCall(poolMfaConfigs, userPoolId, "GetUserPoolMfaConfig", request.user, async () => {
            const r = await this.client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }));
            return {
                mode: r.MfaConfiguration,
                totp: r.SoftwareTokenMfaConfiguration?.Enabled === true,
                sms: r.SmsMfaConfiguration?.SmsConfiguration?.SnsCallerArn !== undefined,
            };
        });
    }

    /** `DescribeUserPoolClient`: the client's auth flows and secret, once per client and connection. */
    describeUserPoolClient(request: { user: UserRef; clientId: string }): Promise<AppClientFacts> {
        const { userPoolId } = request.user;
        const key = `${userPoolId}|${request.clientId}`;
        return this.cachedCall(appClients, key, "DescribeUserPoolClient", request.user, async () => {
            const r = await this.client.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: request.clientId }));
            return { flows: r.UserPoolClient?.ExplicitAuthFlows ?? [], secret: r.UserPoolClient?.ClientSecret };
        });
    }

    /**
     * Signs in with a password: `AdminInitiateAuth` for the admin flow, else `InitiateAuth`. `purpose`
     * names the call in errors: `AdminInitiateAuth (to set MFA)`.
     */
    initiateAuth(request: { user: ProvenUser; client: SignInClient; password: string; purpose: string }): Promise<AuthAnswer> {
        const { client: app, password } = request;
        const username = this.writeTarget(request.user).Username;
        const admin = app.flow === "ADMIN_USER_PASSWORD_AUTH";
        const parameters = { USERNAME: username, PASSWORD: password, ...secretHash(app, username) };
        const operation = `${admin ? "AdminInitiateAuth" : "InitiateAuth"} (${request.purpose})`;
        return this.call(operation, request.user.ref, [password, app.clientSecret], async () =>
            authAnswer(
                admin
                    ? await this.client.send(
                          new AdminInitiateAuthCommand({
                              UserPoolId: request.user.ref.userPoolId,
                              ClientId: app.clientId,
                              AuthFlow: app.flow,
                              AuthParameters: parameters,
                          }),
                      )
                    : await this.client.send(
                          new InitiateAuthCommand({ ClientId: app.clientId, AuthFlow: app.flow, AuthParameters: parameters }),
                      ),
            ),
        );
    }

    /** `AdminRespondToAuthChallenge`, or `RespondToAuthChallenge`, as the sign-in began; errors name the challenge. */
    respondToAuthChallenge(request: {
        user: ProvenUser;
        client: SignInClient;
        challenge: ChallengeNameType;
        session: string;
        responses: Record<string, string>;
    }): Promise<AuthAnswer> {
        const { client: app, challenge, session } = request;
        const username = this.writeTarget(request.user).Username;
        const admin = app.flow === "ADMIN_USER_PASSWORD_AUTH";
        const challengeResponses = { USERNAME: username, ...request.responses, ...secretHash(app, username) };
        const input = { ClientId: app.clientId, ChallengeName: challenge, Session: session, ChallengeResponses: challengeResponses };
        const operation = `${admin ? "AdminRespondToAuthChallenge" : "RespondToAuthChallenge"}(${challenge})`;
        return this.call(operation, request.user.ref, [session, app.clientSecret], async () =>
            authAnswer(
                admin
                    ? await this.client.send(new AdminRespondToAuthChallengeCommand({ ...input, UserPoolId: request.user.ref.userPoolId }))
                    : await this.client.send(new RespondToAuthChallengeCommand(input)),
            ),
        );
    }

    /** `AssociateSoftwareToken`: a new TOTP secret for the signed-in user. */
    associateSoftwareToken(request: { user: ProvenUser; at: TokenSession }): Promise<{ secret?: string; session?: string }> {
        this.writeTarget(request.user);
        return this.call("AssociateSoftwareToken", request.user.ref, tokenSecrets(request.at), async () => {
            const r = await this.client.send(new AssociateSoftwareTokenCommand(tokenInput(request.at)));
            return { secret: r.SecretCode, session: r.Session };
        });
    }

    /** `VerifySoftwareToken` with a code of the new secret; Cognito then replaces an earlier token. */
    verifySoftwareToken(request: {
        user: ProvenUser;
        at: TokenSession;
        code: string;
        deviceName: string;
    }): Promise<{ status?: string; session?: string }> {
        this.writeTarget(request.user);
        return this.call("VerifySoftwareToken", request.user.ref, tokenSecrets(request.at), async () => {
            const r = await this.client.send(
                new VerifySoftwareTokenCommand({
                    ...tokenInput(request.at),
                    UserCode: request.code,
                    FriendlyDeviceName: request.deviceName,
                }),
            );
            return { status: r.Status, session: r.Session };
        });
    }

    /** `AdminSetUserMFAPreference`: the enabled methods and the preferred one. */
    async adminSetUserMfaPreference(request: { user: ProvenUser; mfa: MfaSettings }): Promise<void> {
        const input = { ...this.writeTarget(request.user), ...preferenceSettings(request.mfa) };
        await this.call("AdminSetUserMFAPreference", request.user.ref, [], () =>
            this.client.send(new AdminSetUserMFAPreferenceCommand(input)),
        );
    }

    /** `SetUserMFAPreference`: the same, as the signed-in user (for services that lack the admin call). */
    async setUserMfaPreference(request: { user: ProvenUser; accessToken: string; mfa: MfaSettings }): Promise<void> {
        this.writeTarget(request.user);
        const input = { AccessToken: request.accessToken, ...preferenceSettings(request.mfa) };
        await this.call("SetUserMFAPreference", request.user.ref, [request.accessToken], () =>
            this.client.send(new SetUserMFAPreferenceCommand(input)),
        );
    }
}

/** Cognito's SECRET_HASH for a client with a secret: Base64(HMAC-SHA256(clientSecret, username + clientId)). */
function secretHash(app: SignInClient, username: string): Record<string, string> {
    if (!app.clientSecret) return {};
    const hash = crypto
        .createHmac("sha256", app.clientSecret)
        .update(username + app.clientId)
        .digest("base64");
    return { SECRET_HASH: hash };
}

/** A sign-in call's answer, named. */
function authAnswer(r: {
    ChallengeName?: ChallengeNameType;
    Session?: string;
    ChallengeParameters?: Record<string, string>;
    AuthenticationResult?: AuthenticationResultType;
}): AuthAnswer {
    return {
        challenge: r.ChallengeName,
        session: r.Session,
        parameters: r.ChallengeParameters,
        idToken: r.AuthenticationResult?.IdToken,
        accessToken: r.AuthenticationResult?.AccessToken,
        refreshToken: r.AuthenticationResult?.RefreshToken,
        expiresIn: r.AuthenticationResult?.ExpiresIn,
    };
}

/** `{ AccessToken }` or `{ Session }`, never both. */
function tokenInput(at: TokenSession): { AccessToken: string } | { Session?: string } {
    return "accessToken" in at ? { AccessToken: at.accessToken } : { Session: at.session };
}

function tokenSecrets(at: TokenSession): Array<string | undefined> {
    return "accessToken" in at ? [at.accessToken] : [at.session];
}

/** Cognito's preference settings for `mfa`. */
function preferenceSettings(mfa: MfaSettings) {
    return {
        SoftwareTokenMfaSettings: { Enabled: mfa.totp, PreferredMfa: mfa.totp && mfa.preferred === "totp" },
        SMSMfaSettings: { Enabled: mfa.sms, PreferredMfa: mfa.sms && mfa.preferred === "sms" },
    };
}
