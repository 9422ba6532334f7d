/**
 * MFA against Cognito: enrolling a software token (sign in as the user, AssociateSoftwareToken,
 * VerifySoftwareToken with a code computed from the secret) and setting the user's MFA preference, as a
 * step of a create (./create.ts) or an update (./update.ts). The planning is pure (../shared/mfa.ts); the
 * checks before any write are in ./mfaPrepare.ts, signing in as the user in ./mfaSignIn.ts.
 */
import { CognitoUserError } from "../shared/errors";
import { CognitoGateway } from "../shared/cognito/gateway";
import { TokenSession } from "../shared/cognito/gatewaySignIn";
import { MfaOutputs, MfaSettings, mfaEnabled, mfaToCognito, totpCode, totpUri } from "../shared/mfa";
import { UserInputs, UserOutputs } from "../shared/types";
import { EnrolmentClient, enrolmentClient, MfaPreparation } from "./mfaPrepare";
import { adminSetMfaPreference, isCodeRefused, MfaSubject, nextTotpStep, respondToChallenge, signInAsUser } from "./mfaSignIn";

/** The MFA part of a user's outputs after the provider applied it. */
export type MfaState = MfaOutputs & { mfa?: MfaSettings; mfaSettingList?: string[]; preferredMfaSetting?: string };

/** The friendly device name the enrolled token gets in Cognito. */
const DEVICE_NAME = "pulumi-cognito-user";

/**
 * Applies a prepared MFA plan to an existing user: enrols a new software token when the plan says so,
 * then sets the user's MFA preference. Returns the MFA outputs to record (the new secret and its URI,
 * or none when TOTP is off). Throws a CognitoUserError naming the step; the caller rolls a create back.
 */
export async function applyMfa(cognito: CognitoGateway, subject: MfaSubject, prepared: MfaPreparation): Promise<MfaState> {
    const { plan } = prepared;
    const { inputs } = subject;
    if (!plan.desired || !plan.setPreference) return recordedMfaState(subject, inputs.mfa, subject.knownSecret);
    const desired = plan.desired;
    let secret = desired.totp ? subject.knownSecret : undefined;
    let accessToken: string | undefined;
    if (plan.enrolTotp) {
        const enrolled = await enrolSoftwareToken(cognito, subject, prepared.app!);
        secret = enrolled.secret;
        accessToken = enrolled.accessToken;
        subject.user.ref.secrets?.push(secret);
    }
    await setMfaPreference(cognito, subject, desired, { accessToken, secret, app: prepared.app });
    return recordedMfaState(subject, inputs.mfa, desired.totp ? secret : undefined);
}

/** The MFA outputs to record: the declared MFA (none when not managed), the secret while TOTP is on. */
function recordedMfaState(subject: Pick<MfaSubject, "inputs">, mfa: MfaSettings | undefined, secret: string | undefined): MfaState {
    const state: MfaState = { mfa, ...mfaToCognito(mfa), totpSecret: undefined, totpUri: undefined };
    if (mfa?.totp && secret) {
        state.totpSecret = secret;
        state.totpUri = totpUri(secret, subject.inputs.username, subject.inputs.userPoolId);
    }
    return state;
}

/**
 * Signs in as the user and enrols a new software token: AssociateSoftwareToken (with the access token,
 * or with the MFA_SETUP session in a pool that requires MFA), then VerifySoftwareToken with a code
 * computed from the secret Cognito returned. Cognito replaces an earlier token when the new one is verified.
 */
async function enrolSoftwareToken(
    cognito: CognitoGateway,
    subject: MfaSubject,
    app: EnrolmentClient,
): Promise<{ secret: string; accessToken?: string }> {
    const signedIn = await signInAsUser(cognito, subject, app, { forEnrolment: true });
    const { ref } = subject.user;
    const at = (session: string | undefined): TokenSession => (signedIn.accessToken ? { accessToken: signedIn.accessToken } : { session });
    const associated = await cognito.associateSoftwareToken({ user: subject.user, at: at(signedIn.setupSession) });
    const secret = associated.secret;
    if (!secret)
        throw new CognitoUserError("COGNITO_ERROR", `AssociateSoftwareToken returned no secret for user "${subject.inputs.username}".`);
    ref.secrets?.push(secret, associated.session);

    // A code Cognito refuses at a step boundary (clock skew) is tried once more with the next step's code.
    const verify = (session: string | undefined) =>
        cognito.verifySoftwareToken({ user: subject.user, at: at(session), code: totpCode(secret), deviceName: DEVICE_NAME });
    let verified;
    try {
        verified = await verify(associated.session);
    } catch (error) {
        if (!isCodeRefused(error)) throw error;
        await nextTotpStep();
        verified = await verify(associated.session);
    }
    if (verified.status !== "SUCCESS") {
        throw new CognitoUserError(
            "COGNITO_ERROR",
            `VerifySoftwareToken answered ${verified.status ?? "no status"} for user "${subject.inputs.username}" in pool ${subject.inputs.userPoolId}.`,
            { operation: "VerifySoftwareToken" },
        );
    }
    if (signedIn.setupSession) {
        // Finish the MFA_SETUP challenge, as a client would; the tokens show the sign-in now works.
        const done = await respondToChallenge(cognito, subject, app, "MFA_SETUP", verified.session ?? associated.session!, {});
        return { secret, accessToken: done.accessToken };
    }
    return { secret, accessToken: signedIn.accessToken };
}

/**
 * Sets the user's MFA preference: `AdminSetUserMFAPreference`, or where the service lacks it (cognito-local),
 * the user's own `SetUserMFAPreference` with an access token (the enrolment's, or a new sign-in's).
 */
async function setMfaPreference(
    cognito: CognitoGateway,
    subject: MfaSubject,
    mfa: MfaSettings,
    session: { accessToken?: string; secret?: string; app?: EnrolmentClient },
): Promise<void> {
    if (await adminSetMfaPreference(cognito, subject, mfa)) return;
    let accessToken = session.accessToken;
    if (!accessToken) {
        const app = session.app ?? (await enrolmentClient(cognito, subject.inputs, subject.user.ref));
        accessToken = (await signInAsUser(cognito, subject, app, { forEnrolment: false, secret: session.secret })).accessToken;
    }
    await cognito.setUserMfaPreference({ user: subject.user, accessToken: accessToken!, mfa });
}

/**
 * The MFA step of a create, as a follow-up after the password and groups (and before a disable):
 * nothing for a new user whose declared MFA is off. `record` receives the MFA outputs to record.
 */
export function mfaFollowUps(
    cognito: CognitoGateway,
    prepared: MfaPreparation,
    subject: MfaSubject,
    record: (state: MfaState) => void,
): Array<[string, () => Promise<void>]> {
    record(recordedMfaState(subject, subject.inputs.mfa, undefined));
    if (!mfaEnabled(prepared.plan.desired)) return [];
    return [["MFA enrolment", async () => record(await applyMfa(cognito, subject, prepared))]];
}

/** The MFA outputs an update records when its plan changes nothing about MFA. */
export function unchangedMfaState(olds: Partial<UserOutputs>, news: UserInputs): MfaState {
    const state = recordedMfaState({ inputs: news }, news.mfa, olds.totpSecret);
    delete state.mfaSettingList;
    delete state.preferredMfaSetting;
    return state;
}
