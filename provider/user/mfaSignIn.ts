/**
 * Signing in as a user to set its MFA, as real Cognito answers: with tokens, or with a challenge
 * (MFA_SETUP in pools that require MFA, SOFTWARE_TOKEN_MFA, SMS_MFA, SELECT_MFA_TYPE for a user that
 * already has MFA). A code may be refused once because Cognito does not take the same code twice, and MFA
 * the provider cannot answer is turned off as an administrator first; an emulator may lack
 * AdminSetUserMFAPreference (cognito-local).
 */
import { ChallengeNameType } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserError } from "../shared/errors";
import { CognitoGateway, ProvenUser } from "../shared/cognito/gateway";
import { AuthAnswer } from "../shared/cognito/gatewaySignIn";
import { MfaSettings, totpCode, totpStep } from "../shared/mfa";
import { UserInputs } from "../shared/types";
import { EnrolmentClient } from "./mfaPrepare";

/** The user an MFA step works on: as declared, as this operation proved it, and the permanent password it signs in with. */
export interface MfaSubject {
    inputs: UserInputs;
    /** The user, proven in this operation: every sign-in and MFA call names it (its `ref.secrets` collect every session and token). */
    user: ProvenUser;
    password?: string;
    /** The TOTP secret recorded for it, if any (to answer SOFTWARE_TOKEN_MFA when it already has a token). */
    knownSecret?: string;
}

/** A signed-in session of the user: tokens, or a session string for MFA_SETUP. */
export interface SignedIn {
    accessToken?: string;
    /** The MFA_SETUP challenge's session (pools that require MFA): enrolment goes through it. */
    setupSession?: string;
}

/**
 * Signs in with the user's password. A user that already has MFA is asked for a code: the provider
 * answers SOFTWARE_TOKEN_MFA from the recorded secret; any challenge it cannot answer (SMS_MFA, a token
 * whose secret it does not know) is cleared by turning the user's MFA off as an administrator and
 * signing in again: the caller sets the declared MFA right after.
 */
export async function signInAsUser(
    cognito: CognitoGateway,
    subject: MfaSubject,
    app: EnrolmentClient,
    options: { forEnrolment: boolean; secret?: string },
): Promise<SignedIn> {
    const { inputs } = subject;
    const who = `user "${inputs.username}" in pool ${inputs.userPoolId}`;
    if (!subject.password) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `the provider does not know the password of ${who}, so it cannot sign in to set its MFA: declare \`password\` or \`generatePassword: true\`.`,
        );
    }
    const password = subject.password;
    const secret = options.secret ?? subject.knownSecret;
    let clearedMfa = false;
    for (let attempt = 0; attempt < 4; attempt++) {
        let answer = remember(
            subject,
            await cognito.initiateAuth({
                user: subject.user,
                client: app,
                password,
                purpose: "to set MFA",
            }),
        );
        if (answer.challenge === "SELECT_MFA_TYPE" && secret) {
            answer = await respondToChallenge(cognito, subject, app, "SELECT_MFA_TYPE", answer.session!, { ANSWER: "SOFTWARE_TOKEN_MFA" });
        }
        const challenge = answer.challenge;
        if (!challenge && answer.accessToken) return { accessToken: answer.accessToken };
        if (challenge === "MFA_SETUP" && options.forEnrolment) return { setupSession: answer.session };
        if (challenge === "SOFTWARE_TOKEN_MFA" && secret) {
            try {
                const done = await respondToChallenge(cognito, subject, app, "SOFTWARE_TOKEN_MFA", answer.session!, {
                    SOFTWARE_TOKEN_MFA_CODE: totpCode(secret),
                });
                if (done.accessToken) return { accessToken: done.accessToken };
            } catch (error) {
                // Cognito takes a code once: the one just used for enrolment is refused until the next step.
                if (!isCodeRefused(error) || attempt > 1) throw error;
                await nextTotpStep();
                continue;
            }
        }
        if (challenge === "NEW_PASSWORD_REQUIRED") {
            throw new CognitoUserError(
                "COGNITO_ERROR",
                `${who} must change its password (status FORCE_CHANGE_PASSWORD), so MFA cannot be enrolled: declare a permanent \`password\` or \`generatePassword: true\`.`,
                { operation: `${app.flow} (to set MFA)` },
            );
        }
        if (
            !clearedMfa &&
            (challenge === "SOFTWARE_TOKEN_MFA" || challenge === "SMS_MFA" || challenge === "SELECT_MFA_TYPE" || challenge === "MFA_SETUP")
        ) {
            // MFA the provider cannot answer: off as an administrator, then the declared MFA is set anew.
            await adminSetMfaPreference(cognito, subject, { totp: false, sms: false }, { strict: true });
            clearedMfa = true;
            continue;
        }
        throw new CognitoUserError(
            "COGNITO_ERROR",
            `signing in as ${who} to set its MFA answered ${challenge ? `the challenge ${challenge}` : "no tokens"}, which the provider cannot complete.`,
            { operation: `${app.flow} (to set MFA)` },
        );
    }
    throw new CognitoUserError("COGNITO_ERROR", `signing in as ${who} to set its MFA did not succeed after several tries.`, {
        operation: `${app.flow} (to set MFA)`,
    });
}

/** Answers a challenge of the user's sign-in, as the sign-in began (admin or not). */
export async function respondToChallenge(
    cognito: CognitoGateway,
    subject: MfaSubject,
    app: EnrolmentClient,
    challenge: ChallengeNameType,
    session: string,
    responses: Record<string, string>,
): Promise<AuthAnswer> {
    const request = { user: subject.user, client: app, challenge, session, responses };
    return remember(subject, await cognito.respondToAuthChallenge(request));
}

/** Keeps an answer's session and tokens out of every later error about the user. */
function remember(subject: MfaSubject, answer: AuthAnswer): AuthAnswer {
    subject.user.ref.secrets?.push(answer.session, answer.idToken, answer.accessToken, answer.refreshToken);
    return answer;
}

/** Endpoints (emulators) found to lack AdminSetUserMFAPreference, for the life of the process. */
const noAdminPreference = new Set<string>();

/** Whether an error says the service does not implement the operation (an emulator). */
function isUnsupportedOperation(error: unknown): boolean {
    const name = (error as { cognitoName?: string; name?: string })?.cognitoName ?? (error as Error)?.name ?? "";
    const message = (error as Error)?.message ?? "";
    return (
        /Unsupported|UnknownOperation|NotImplemented|InvalidAction/i.test(name) ||
        /unsupported (feature|x-amz-target)|not (yet )?implemented/i.test(message)
    );
}

/**
 * `AdminSetUserMFAPreference`. At an emulator endpoint that lacks it (cognito-local), returns false
 * (`strict`: raises a COGNITO_ERROR saying so); it is tried there with a single attempt, since the
 * emulator answers 500, which the SDK would otherwise retry.
 */
export async function adminSetMfaPreference(
    cognito: CognitoGateway,
    subject: MfaSubject,
    mfa: MfaSettings,
    options: { strict?: boolean } = {},
): Promise<boolean> {
    const { inputs } = subject;
    const endpoint = inputs.endpoint;
    const request = { user: subject.user, mfa };
    const unsupported = () => {
        if (!options.strict) return false;
        throw new CognitoUserError(
            "COGNITO_ERROR",
            `the Cognito at ${endpoint} does not implement AdminSetUserMFAPreference, and user "${inputs.username}" has MFA the provider cannot answer at sign-in: ` +
                "turn its MFA off there by hand (SetUserMFAPreference) and run `pulumi up` again.",
            { operation: "AdminSetUserMFAPreference" },
        );
    };
    if (endpoint && noAdminPreference.has(endpoint)) return unsupported();
    if (!endpoint) {
        await cognito.adminSetUserMfaPreference(request);
        return true;
    }
    const probe = cognito.singleAttempt();
    try {
        await probe.adminSetUserMfaPreference(request);
        return true;
    } catch (error) {
        if (!isUnsupportedOperation(error)) {
            // Anything else (throttling included) through the configured client and its retries.
            await cognito.adminSetUserMfaPreference(request);
            return true;
        }
        noAdminPreference.add(endpoint);
        return unsupported();
    } finally {
        probe.destroy();
    }
}

/** Whether Cognito refused a TOTP code (wrong, expired, or already used). */
export function isCodeRefused(error: unknown): boolean {
    const name = (error as { cognitoName?: string })?.cognitoName ?? (error as Error)?.name;
    return name === "CodeMismatchException" || name === "ExpiredCodeException" || name === "EnableSoftwareTokenMFAException";
}

/** Waits until the next 30-second TOTP step (plus a little), so a new code is computed. */
export async function nextTotpStep(): Promise<void> {
    const { msToNext } = totpStep();
    await new Promise((resolve) => setTimeout(resolve, msToNext + 250));
}
