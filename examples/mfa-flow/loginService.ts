/**
 * The code under test: the sign-in backend of an app whose users protect their account with an
 * authenticator app (TOTP). It walks Cognito's challenges the way a login screen does, one step per
 * request, and guards a sensitive action ("change the payout account") so that only users who have
 * TOTP MFA on may do it.
 */
import {
    CognitoIdentityProviderClient,
    GetUserCommand,
    InitiateAuthCommand,
    InitiateAuthCommandOutput,
    RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";

/** What the login screen shows next. */
export type LoginStep =
    | { next: "done"; idToken: string; accessToken: string }
    | { next: "enter-code"; session: string; username: string }
    | { next: "choose-password"; session: string; username: string }
    | { next: "refused"; reason: string };

/** A login backend for one app client (USER_PASSWORD_AUTH). */
export class LoginService {
    constructor(
        private readonly client: CognitoIdentityProviderClient,
        private readonly clientId: string,
    ) {}

    /** Step 1: username and password. */
    async start(username: string, password: string): Promise<LoginStep> {
        return this.step(username, () =>
            this.client.send(
                new InitiateAuthCommand({
                    ClientId: this.clientId,
                    AuthFlow: "USER_PASSWORD_AUTH",
                    AuthParameters: { USERNAME: username, PASSWORD: password },
                }),
            ),
        );
    }

    /** Step 2a: the six digits from the authenticator app. */
    async enterCode(username: string, session: string, code: string): Promise<LoginStep> {
        return this.step(username, () =>
            this.client.send(
                new RespondToAuthChallengeCommand({
                    ClientId: this.clientId,
                    ChallengeName: "SOFTWARE_TOKEN_MFA",
                    Session: session,
                    ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
                }),
            ),
        );
    }

    /** Step 2b: the first sign-in with a temporary password chooses a new one. */
    async choosePassword(username: string, session: string, newPassword: string): Promise<LoginStep> {
        return this.step(username, () =>
            this.client.send(
                new RespondToAuthChallengeCommand({
                    ClientId: this.clientId,
                    ChallengeName: "NEW_PASSWORD_REQUIRED",
                    Session: session,
                    ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
                }),
            ),
        );
    }

    /**
     * The guard of the sensitive action: the caller's access token must be valid and its user must have
     * TOTP MFA on (so whoever holds the password alone cannot change where the money goes).
     */
    async mayChangePayoutAccount(accessToken: string): Promise<{ allow: boolean; reason: string }> {
        try {
            const user = await this.client.send(new GetUserCommand({ AccessToken: accessToken }));
            if (!(user.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA"))
                return { allow: false, reason: "turn on an authenticator app first" };
            return { allow: true, reason: "TOTP MFA is on" };
        } catch (error) {
            return { allow: false, reason: `not signed in (${(error as Error).name})` };
        }
    }

    private async step(username: string, call: () => Promise<InitiateAuthCommandOutput>): Promise<LoginStep> {
        let answer: InitiateAuthCommandOutput;
        try {
            answer = await call();
        } catch (error) {
            return { next: "refused", reason: (error as Error).name };
        }
        const result = answer.AuthenticationResult;
        if (result?.IdToken && result.AccessToken) return { next: "done", idToken: result.IdToken, accessToken: result.AccessToken };
        const who = answer.ChallengeParameters?.USER_ID_FOR_SRP ?? username;
        if (answer.ChallengeName === "SOFTWARE_TOKEN_MFA") return { next: "enter-code", session: answer.Session!, username: who };
        if (answer.ChallengeName === "NEW_PASSWORD_REQUIRED") return { next: "choose-password", session: answer.Session!, username: who };
        return { next: "refused", reason: `unsupported challenge ${answer.ChallengeName}` };
    }
}
