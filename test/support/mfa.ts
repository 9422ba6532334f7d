/**
 * MFA helpers for tests against cognito-local and moto: turn a pool's MFA on, and sign in as a user the
 * way an app would, answering SOFTWARE_TOKEN_MFA with the code an authenticator app computes from the
 * user's secret (otpauth, through provider/core/mfa.ts).
 */
import {
    AdminInitiateAuthCommand,
    AdminRespondToAuthChallengeCommand,
    CognitoIdentityProviderClient,
    InitiateAuthCommand,
    InitiateAuthCommandOutput,
    RespondToAuthChallengeCommand,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { totpCode } from "../../provider/core/mfa";

/** Turns the pool's MFA to `mode` with software tokens allowed (and SMS, given an SNS role ARN). */
export async function enablePoolMfa(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    options: { mode?: "OPTIONAL" | "ON" | "OFF"; totp?: boolean; smsRoleArn?: string } = {},
): Promise<void> {
    await client.send(
        new SetUserPoolMfaConfigCommand({
            UserPoolId: userPoolId,
            MfaConfiguration: options.mode ?? "OPTIONAL",
            SoftwareTokenMfaConfiguration: { Enabled: options.totp ?? true },
            SmsMfaConfiguration: options.smsRoleArn
                ? {
                      SmsAuthenticationMessage: "Your code is {####}",
                      SmsConfiguration: { SnsCallerArn: options.smsRoleArn, ExternalId: "tests" },
                  }
                : undefined,
        }),
    );
}

/** How a sign-in ended: tokens, or the challenge Cognito asked for (and the code refused, if any). */
export interface SignInOutcome {
    /** "SIGNED_IN", a challenge name the helper did not answer, or "CODE_REFUSED". */
    result: string;
    /** The challenge Cognito asked for first, if any. */
    firstChallenge?: string;
    accessToken?: string;
}

/**
 * Signs in with USER_PASSWORD_AUTH (or ADMIN_USER_PASSWORD_AUTH with `admin`), answering SOFTWARE_TOKEN_MFA
 * with `code` (default: the current code of `secret`). A refused code is "CODE_REFUSED".
 */
export async function signInWithTotp(
    client: CognitoIdentityProviderClient,
    target: { userPoolId: string; clientId: string; admin?: boolean },
    username: string,
    password: string,
    answer: { secret?: string; code?: string } = {},
): Promise<SignInOutcome> {
    const parameters = { USERNAME: username, PASSWORD: password };
    const first: InitiateAuthCommandOutput = target.admin
        ? await client.send(
              new AdminInitiateAuthCommand({
                  UserPoolId: target.userPoolId,
                  ClientId: target.clientId,
                  AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
                  AuthParameters: parameters,
              }),
          )
        : await client.send(
              new InitiateAuthCommand({ ClientId: target.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: parameters }),
          );
    if (first.AuthenticationResult?.AccessToken) return { result: "SIGNED_IN", accessToken: first.AuthenticationResult.AccessToken };
    const challenge = first.ChallengeName ?? "NO_TOKENS";
    const code = answer.code ?? (answer.secret ? totpCode(answer.secret) : undefined);
    if (challenge !== "SOFTWARE_TOKEN_MFA" || code === undefined) return { result: challenge, firstChallenge: challenge };
    const request = {
        ClientId: target.clientId,
        ChallengeName: "SOFTWARE_TOKEN_MFA" as const,
        Session: first.Session,
        ChallengeResponses: { USERNAME: first.ChallengeParameters?.USER_ID_FOR_SRP ?? username, SOFTWARE_TOKEN_MFA_CODE: code },
    };
    try {
        const done = target.admin
            ? await client.send(new AdminRespondToAuthChallengeCommand({ ...request, UserPoolId: target.userPoolId }))
            : await client.send(new RespondToAuthChallengeCommand(request));
        if (done.AuthenticationResult?.AccessToken)
            return { result: "SIGNED_IN", firstChallenge: challenge, accessToken: done.AuthenticationResult.AccessToken };
        return { result: done.ChallengeName ?? "NO_TOKENS", firstChallenge: challenge };
    } catch (error) {
        if ((error as Error).name === "CodeMismatchException") return { result: "CODE_REFUSED", firstChallenge: challenge };
        throw error;
    }
}

/** A code that is not the current one for `secret` (nor the neighbouring steps'). */
export function wrongCode(secret: string): string {
    const near = new Set([-30_000, 0, 30_000].map((offset) => totpCode(secret, Date.now() + offset)));
    for (let n = 0; ; n++) {
        const candidate = String(n).padStart(6, "0");
        if (!near.has(candidate)) return candidate;
    }
}
