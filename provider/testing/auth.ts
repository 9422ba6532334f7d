/**
 * Signing fixture users in: which flow the app client allows, the secret hash a client with a secret
 * needs, and the tokens Cognito returns. No signature checks here: the fixture hands tokens to the code
 * under test, which is what should verify them.
 */
import * as crypto from "crypto";
import {
    AdminInitiateAuthCommand,
    AuthenticationResultType,
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";

/** The password flows a fixture can sign in with. */
export type FixtureAuthFlow = "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH";

/** Tokens of a signed-in fixture user. */
export interface FixtureTokens {
    /** The ID token (JWT): who the user is, with `cognito:groups` and attributes. */
    idToken: string;
    /** The access token (JWT): what the user may call. */
    accessToken: string;
    /** The refresh token (opaque). */
    refreshToken?: string;
    /** Seconds until the ID and access tokens expire. */
    expiresIn?: number;
    /** The ID token's payload, decoded (not verified). */
    claims: Record<string, unknown>;
}

/** What the fixture knows about the app client it signs in through. */
export interface AppClientAuth {
    /** The app client id. */
    clientId: string;
    /** Its secret, when it has one: every sign-in then needs a SECRET_HASH. */
    clientSecret?: string;
    /** The flow to use. */
    flow: FixtureAuthFlow;
}

/**
 * Picks the flow for a client from its ExplicitAuthFlows (legacy names included). A client with a secret
 * belongs to a server, so it signs in the way a server would, with AdminInitiateAuth, where allowed.
 *
 * @throws when the client allows neither password flow.
 */
export function chooseAuthFlow(explicitAuthFlows: string[] | undefined, hasSecret: boolean, clientId: string): FixtureAuthFlow {
    const flows = new Set(explicitAuthFlows ?? []);
    const user = flows.has("ALLOW_USER_PASSWORD_AUTH") || flows.has("USER_PASSWORD_AUTH");
    const admin = flows.has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || flows.has("ADMIN_NO_SRP_AUTH");
    if (admin && (hasSecret || !user)) return "ADMIN_USER_PASSWORD_AUTH";
    if (user) return "USER_PASSWORD_AUTH";
    throw new Error(
        `app client ${clientId} allows neither ALLOW_USER_PASSWORD_AUTH nor ALLOW_ADMIN_USER_PASSWORD_AUTH (it allows: ${[...flows].join(", ") || "Cognito's defaults"}); ` +
            "add one of them to its ExplicitAuthFlows to sign fixture users in",
    );
}

/**
 * Learns the client's flows and secret with DescribeUserPoolClient. When the caller may not describe clients
 * (AccessDenied), falls back to what it was told: the given secret, and USER_PASSWORD_AUTH unless told otherwise.
 */
export async function describeAppClient(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    clientId: string,
    given: { clientSecret?: string; authFlow?: FixtureAuthFlow },
): Promise<AppClientAuth> {
    try {
        const { UserPoolClient: app } = await client.send(
            new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
        );
        const clientSecret = given.clientSecret ?? app?.ClientSecret;
        const flow = given.authFlow ?? chooseAuthFlow(app?.ExplicitAuthFlows, clientSecret !== undefined, clientId);
        return { clientId, clientSecret, flow };
    } catch (error) {
        if ((error as Error).name !== "AccessDeniedException") throw error;
        return { clientId, clientSecret: given.clientSecret, flow: given.authFlow ?? "USER_PASSWORD_AUTH" };
    }
}

/** Cognito's SECRET_HASH: Base64(HMAC-SHA256(clientSecret, username + clientId)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
    return crypto
        .createHmac("sha256", clientSecret)
        .update(username + clientId)
        .digest("base64");
}

/** The payload of a JWT, decoded without verifying anything. */
export function decodeJwtPayload(token: string): Record<string, unknown> {
    const part = token.split(".")[1];
    if (part === undefined) throw new Error("not a JWT: expected three dot-separated parts");
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

/**
 * Signs a user in with a password through the app client.
 *
 * @throws when Cognito refuses, or answers with a challenge (MFA, a new password) instead of tokens.
 */
export async function signInWithPassword(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    app: AppClientAuth,
    username: string,
    password: string,
): Promise<FixtureTokens> {
    const parameters: Record<string, string> = { USERNAME: username, PASSWORD: password };
    if (app.clientSecret !== undefined) parameters.SECRET_HASH = secretHash(app.clientSecret, username, app.clientId);
    const response =
        app.flow === "ADMIN_USER_PASSWORD_AUTH"
            ? await client.send(
                  new AdminInitiateAuthCommand({
                      UserPoolId: userPoolId,
                      ClientId: app.clientId,
                      AuthFlow: app.flow,
                      AuthParameters: parameters,
                  }),
              )
            : await client.send(new InitiateAuthCommand({ ClientId: app.clientId, AuthFlow: app.flow, AuthParameters: parameters }));
    const result: AuthenticationResultType | undefined = response.AuthenticationResult;
    if (!result?.IdToken || !result.AccessToken) {
        throw new Error(
            `Cognito answered ${app.flow} with ${response.ChallengeName ? `the challenge ${response.ChallengeName}` : "no tokens"}: ` +
                "fixture users must be able to sign in with their password alone (no MFA, no forced password change)",
        );
    }
    return {
        idToken: result.IdToken,
        accessToken: result.AccessToken,
        refreshToken: result.RefreshToken,
        expiresIn: result.ExpiresIn,
        claims: decodeJwtPayload(result.IdToken),
    };
}
