/**
 * MFA against Cognito: checking the pool and the app client before anything is written, enrolling a
 * software token (sign in as the user, AssociateSoftwareToken, VerifySoftwareToken with a code computed
 * from the secret), and setting the user's MFA preference. The planning is pure (../core/mfa.ts); this is
 * the part that calls Cognito, each call through a small function below.
 *
 * Written for real Cognito: a sign-in may answer with tokens or with a challenge (MFA_SETUP in pools that
 * require MFA, SOFTWARE_TOKEN_MFA, SMS_MFA, SELECT_MFA_TYPE for a user that already has MFA), a code may
 * be refused once because Cognito does not take the same code twice, and an emulator may lack
 * AdminSetUserMFAPreference (cognito-local), where the user's own SetUserMFAPreference does the same.
 */
import * as crypto from "crypto";
import {
    AdminInitiateAuthCommand,
    AdminRespondToAuthChallengeCommand,
    AdminSetUserMFAPreferenceCommand,
    AssociateSoftwareTokenCommand,
    AuthFlowType,
    ChallengeNameType,
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    GetUserPoolMfaConfigCommand,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
    SetUserMFAPreferenceCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserError, isResourceNotFound } from "../core/errors";
import { MfaOutputs, MfaPlan, MfaSettings, mfaEnabled, mfaToCognito, planMfa, totpCode, totpStep, totpUri } from "../core/mfa";
import { UserInputs, UserOutputs } from "../core/types";
import { createCognitoClient, describeConnection } from "../cognito/client";
import { step, UserRef } from "./step";

/** The password flows the provider signs in with to enrol a token. */
export type EnrolmentFlow = "ADMIN_USER_PASSWORD_AUTH" | "USER_PASSWORD_AUTH";

/** What the provider learned about the app client (DescribeUserPoolClient). */
export interface EnrolmentClient {
    clientId: string;
    /** The client's secret, when it has one: every sign-in then sends a SECRET_HASH. Never shown. */
    clientSecret?: string;
    flow: EnrolmentFlow;
}

/** What `prepareMfa` found, before any write. */
export interface MfaPreparation {
    plan: MfaPlan;
    /** The app client, when the plan signs in (an enrolment). */
    app?: EnrolmentClient;
}

/** The MFA part of a user's outputs after the provider applied it. */
export type MfaState = MfaOutputs & { mfa?: MfaSettings; mfaSettingList?: string[]; preferredMfaSetting?: string };

/** The user an MFA step works on: as declared, its canonical Username, and the permanent password it signs in with. */
export interface MfaSubject {
    inputs: UserInputs;
    cognitoUsername: string;
    password?: string;
    /** The TOTP secret recorded for it, if any (to answer SOFTWARE_TOKEN_MFA when it already has a token). */
    knownSecret?: string;
    ref: UserRef;
}

/** The friendly device name the enrolled token gets in Cognito. */
const DEVICE_NAME = "pulumi-cognito-user";

// ---------------------------------------------------------------------------------------------------
// Preparation: the pool and the app client, read before any write.
// ---------------------------------------------------------------------------------------------------

/** The pool's MFA configuration, once per pool and connection for the life of the process. */
const poolMfaCache = new Map<string, Promise<{ mode?: string; totp: boolean; sms: boolean }>>();
/** App clients, once per client and connection for the life of the process. */
const appClientCache = new Map<string, Promise<{ flows: string[]; secret?: string }>>();

/** Forgets the pools' MFA configuration and the app clients read so far: for tests that change them. */
export function forgetMfaFacts(): void {
    poolMfaCache.clear();
    appClientCache.clear();
}

const connectionKey = (inputs: UserInputs) => `${inputs.region}|${inputs.endpoint ?? ""}|${inputs.profile ?? ""}`;

/** `GetUserPoolMfaConfig`. */
function getUserPoolMfaConfig(client: CognitoIdentityProviderClient, inputs: UserInputs) {
    const key = `${connectionKey(inputs)}|${inputs.userPoolId}`;
    let config = poolMfaCache.get(key);
    if (!config) {
        config = client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: inputs.userPoolId })).then((r) => ({
            mode: r.MfaConfiguration,
            totp: r.SoftwareTokenMfaConfiguration?.Enabled === true,
            sms: r.SmsMfaConfiguration?.SmsConfiguration?.SnsCallerArn !== undefined,
        }));
        poolMfaCache.set(key, config);
        config.catch(() => poolMfaCache.delete(key));
    }
    return config;
}

/** `DescribeUserPoolClient`: the client's auth flows and secret. */
function describeUserPoolClient(client: CognitoIdentityProviderClient, inputs: UserInputs, clientId: string) {
    const key = `${connectionKey(inputs)}|${inputs.userPoolId}|${clientId}`;
    let app = appClientCache.get(key);
    if (!app) {
        app = client
            .send(new DescribeUserPoolClientCommand({ UserPoolId: inputs.userPoolId, ClientId: clientId }))
            .then((r) => ({ flows: r.UserPoolClient?.ExplicitAuthFlows ?? [], secret: r.UserPoolClient?.ClientSecret }));
        appClientCache.set(key, app);
        app.catch(() => appClientCache.delete(key));
    }
    return app;
}

/**
 * The flow to enrol with: ADMIN_USER_PASSWORD_AUTH (the provider holds admin credentials) where the
 * client allows it, else USER_PASSWORD_AUTH (legacy names included); undefined when it allows neither.
 */
export function chooseEnrolmentFlow(explicitAuthFlows: readonly string[]): EnrolmentFlow | undefined {
    const flows = new Set(explicitAuthFlows);
    if (flows.has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || flows.has("ADMIN_NO_SRP_AUTH")) return "ADMIN_USER_PASSWORD_AUTH";
    if (flows.has("ALLOW_USER_PASSWORD_AUTH") || flows.has("USER_PASSWORD_AUTH")) return "USER_PASSWORD_AUTH";
    return undefined;
}

/**
 * Plans the MFA part of a create or update and checks, before any write, that Cognito can do it: the
 * pool's MFA is not OFF and allows each declared method, and (to enrol a token) the app client exists
 * and allows a password flow. Each problem is a VALIDATION_ERROR naming the fix.
 */
export async function prepareMfa(
    client: CognitoIdentityProviderClient,
    olds: Partial<UserOutputs>,
    inputs: UserInputs,
    ref: UserRef,
): Promise<MfaPreparation> {
    const plan = planMfa(olds, inputs);
    if (!plan.setPreference || !mfaEnabled(plan.desired)) return { plan };
    const desired = plan.desired!;
    const who = `user "${inputs.username}" in pool ${inputs.userPoolId}`;

    const pool = await step("GetUserPoolMfaConfig", ref, () => getUserPoolMfaConfig(client, inputs));
    const fixes: string[] = [];
    if (pool.mode === "OFF") {
        fixes.push(
            `pool ${inputs.userPoolId} has MFA turned OFF: set its MFA to OPTIONAL (\`mfaConfiguration: "OPTIONAL"\` on aws.cognito.UserPool, or SetUserPoolMfaConfig)`,
        );
    }
    if (desired.totp && !pool.totp)
        fixes.push(
            `pool ${inputs.userPoolId} does not allow software tokens: enable them (\`softwareTokenMfaConfiguration: { enabled: true }\` on aws.cognito.UserPool)`,
        );
    if (desired.sms && !pool.sms)
        fixes.push(
            `pool ${inputs.userPoolId} has no SMS configuration for MFA: give it one (\`smsConfiguration\` with an SNS caller role on aws.cognito.UserPool)`,
        );
    if (fixes.length > 0) {
        throw new CognitoUserError("VALIDATION_ERROR", `mfa of ${who} cannot be set: ${fixes.join("; ")}. Nothing was changed.`, {
            operation: "GetUserPoolMfaConfig",
        });
    }
    if (!plan.enrolTotp) return { plan };
    const app = await enrolmentClient(client, inputs, ref);
    ref.secrets?.push(app.clientSecret);
    return { plan, app };
}

/** The app client the provider signs in through, checked: it exists and allows a password flow. */
async function enrolmentClient(client: CognitoIdentityProviderClient, inputs: UserInputs, ref: UserRef): Promise<EnrolmentClient> {
    const clientId = inputs.clientId;
    const who = `user "${inputs.username}" in pool ${inputs.userPoolId}`;
    if (!clientId) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `mfa.totp of ${who} needs \`clientId\`: the app client the provider signs in through to enrol the software token. Nothing was changed.`,
        );
    }
    let app: { flows: string[]; secret?: string };
    try {
        app = await step("DescribeUserPoolClient", ref, () => describeUserPoolClient(client, inputs, clientId));
    } catch (error) {
        if (!isResourceNotFound(error)) throw error;
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `clientId ${clientId} of ${who} is not an app client of that pool (at ${describeConnection(inputs)}): pass one of the pool's app clients, e.g. \`clientId: client.id\`. Nothing was changed.`,
            { operation: "DescribeUserPoolClient", cognitoName: "ResourceNotFoundException" },
        );
    }
    const flow = chooseEnrolmentFlow(app.flows);
    if (!flow) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `app client ${clientId} of pool ${inputs.userPoolId} allows no password sign-in (it allows: ${app.flows.join(", ") || "Cognito's defaults"}), ` +
                `so the provider cannot sign in as ${who} to enrol its software token: add ALLOW_ADMIN_USER_PASSWORD_AUTH ` +
                "(or ALLOW_USER_PASSWORD_AUTH) to the client's explicit auth flows (`explicitAuthFlows` on aws.cognito.UserPoolClient), or name another client. Nothing was changed.",
            { operation: "DescribeUserPoolClient" },
        );
    }
    return { clientId, clientSecret: app.secret, flow };
}

// ---------------------------------------------------------------------------------------------------
// Applying: enrol, then set the preference.
// ---------------------------------------------------------------------------------------------------

/**
 * Applies a prepared MFA plan to an existing user: enrols a new software token when the plan says so,
 * then sets the user's MFA preference. Returns the MFA outputs to record (the new secret and its URI,
 * or none when TOTP is off). Throws a CognitoUserError naming the step; the caller rolls a create back.
 */
export async function applyMfa(client: CognitoIdentityProviderClient, subject: MfaSubject, prepared: MfaPreparation): Promise<MfaState> {
    const { plan } = prepared;
    const { inputs } = subject;
    if (!plan.desired || !plan.setPreference) return recordedMfaState(subject, inputs.mfa, subject.knownSecret);
    const desired = plan.desired;
    let secret = desired.totp ? subject.knownSecret : undefined;
    let accessToken: string | undefined;
    if (plan.enrolTotp) {
        const enrolled = await enrolSoftwareToken(client, subject, prepared.app!);
        secret = enrolled.secret;
        accessToken = enrolled.accessToken;
        subject.ref.secrets?.push(secret);
    }
    await setMfaPreference(client, subject, desired, { accessToken, secret, app: prepared.app });
    return recordedMfaState(subject, inputs.mfa, desired.totp ? secret : undefined);
}

/** The MFA outputs to record: the declared MFA (none when not managed), the secret while TOTP is on. */
function recordedMfaState(subject: MfaSubject, mfa: MfaSettings | undefined, secret: string | undefined): MfaState {
    const state: MfaState = { mfa, ...mfaToCognito(mfa), totpSecret: undefined, totpUri: undefined };
    if (mfa?.totp && secret) {
        state.totpSecret = secret;
        state.totpUri = totpUri(secret, subject.inputs.username, subject.inputs.userPoolId);
    }
    return state;
}

/** A signed-in session of the user: tokens, or a session string for MFA_SETUP. */
interface SignedIn {
    accessToken?: string;
    /** The MFA_SETUP challenge's session (pools that require MFA): enrolment goes through it. */
    setupSession?: string;
}

/**
 * Signs in as the user and enrols a new software token: AssociateSoftwareToken (with the access token,
 * or with the MFA_SETUP session in a pool that requires MFA), then VerifySoftwareToken with a code
 * computed from the secret Cognito returned. Cognito replaces an earlier token when the new one is verified.
 */
async function enrolSoftwareToken(
    client: CognitoIdentityProviderClient,
    subject: MfaSubject,
    app: EnrolmentClient,
): Promise<{ secret: string; accessToken?: string }> {
    const signedIn = await signInAsUser(client, subject, app, { forEnrolment: true });
    const { ref } = subject;
    const associated = await step("AssociateSoftwareToken", ref, () =>
        client.send(
            new AssociateSoftwareTokenCommand(
                signedIn.accessToken ? { AccessToken: signedIn.accessToken } : { Session: signedIn.setupSession },
            ),
        ),
    );
    const secret = associated.SecretCode;
    if (!secret)
        throw new CognitoUserError("COGNITO_ERROR", `AssociateSoftwareToken returned no secret for user "${subject.inputs.username}".`);
    ref.secrets?.push(secret, associated.Session);

    // A code Cognito refuses at a step boundary (clock skew) is tried once more with the next step's code.
    const verify = (session: string | undefined) =>
        step("VerifySoftwareToken", ref, () =>
            client.send(
                new VerifySoftwareTokenCommand({
                    ...(signedIn.accessToken ? { AccessToken: signedIn.accessToken } : { Session: session }),
                    UserCode: totpCode(secret),
                    FriendlyDeviceName: DEVICE_NAME,
                }),
            ),
        );
    let verified;
    try {
        verified = await verify(associated.Session);
    } catch (error) {
        if (!isCodeRefused(error)) throw error;
        await nextTotpStep();
        verified = await verify(associated.Session);
    }
    if (verified.Status !== "SUCCESS") {
        throw new CognitoUserError(
            "COGNITO_ERROR",
            `VerifySoftwareToken answered ${verified.Status ?? "no status"} for user "${subject.inputs.username}" in pool ${subject.inputs.userPoolId}.`,
            { operation: "VerifySoftwareToken" },
        );
    }
    if (signedIn.setupSession) {
        // Finish the MFA_SETUP challenge, as a client would; the tokens show the sign-in now works.
        const done = await respondToChallenge(client, subject, app, "MFA_SETUP", verified.Session ?? associated.Session!, {});
        return { secret, accessToken: done.AuthenticationResult?.AccessToken };
    }
    return { secret, accessToken: signedIn.accessToken };
}

/**
 * Signs in with the user's password. A user that already has MFA is asked for a code: the provider
 * answers SOFTWARE_TOKEN_MFA from the recorded secret; any challenge it cannot answer (SMS_MFA, a token
 * whose secret it does not know) is cleared by turning the user's MFA off as an administrator and
 * signing in again: the caller sets the declared MFA right after.
 */
async function signInAsUser(
    client: CognitoIdentityProviderClient,
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
    const secret = options.secret ?? subject.knownSecret;
    let clearedMfa = false;
    for (let attempt = 0; attempt < 4; attempt++) {
        let answer = await initiateAuth(client, subject, app);
        if (answer.ChallengeName === "SELECT_MFA_TYPE" && secret) {
            answer = await respondToChallenge(client, subject, app, "SELECT_MFA_TYPE", answer.Session!, { ANSWER: "SOFTWARE_TOKEN_MFA" });
        }
        const challenge = answer.ChallengeName;
        if (!challenge && answer.AuthenticationResult?.AccessToken) return { accessToken: answer.AuthenticationResult.AccessToken };
        if (challenge === "MFA_SETUP" && options.forEnrolment) return { setupSession: answer.Session };
        if (challenge === "SOFTWARE_TOKEN_MFA" && secret) {
            try {
                const done = await respondToChallenge(client, subject, app, "SOFTWARE_TOKEN_MFA", answer.Session!, {
                    SOFTWARE_TOKEN_MFA_CODE: totpCode(secret),
                });
                if (done.AuthenticationResult?.AccessToken) return { accessToken: done.AuthenticationResult.AccessToken };
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
            await adminSetMfaPreference(client, subject, { totp: false, sms: false }, { strict: true });
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

/** Cognito's SECRET_HASH for a client with a secret: Base64(HMAC-SHA256(clientSecret, username + clientId)). */
function secretHash(app: EnrolmentClient, username: string): Record<string, string> {
    if (!app.clientSecret) return {};
    const hash = crypto
        .createHmac("sha256", app.clientSecret)
        .update(username + app.clientId)
        .digest("base64");
    return { SECRET_HASH: hash };
}

/** `AdminInitiateAuth` or `InitiateAuth` with the user's password. */
function initiateAuth(client: CognitoIdentityProviderClient, subject: MfaSubject, app: EnrolmentClient) {
    const { inputs, cognitoUsername, ref } = subject;
    const parameters = { USERNAME: cognitoUsername, PASSWORD: subject.password!, ...secretHash(app, cognitoUsername) };
    const flow: AuthFlowType = app.flow;
    return step(`${flow === "ADMIN_USER_PASSWORD_AUTH" ? "AdminInitiateAuth" : "InitiateAuth"} (to set MFA)`, ref, async () => {
        const answer =
            flow === "ADMIN_USER_PASSWORD_AUTH"
                ? await client.send(
                      new AdminInitiateAuthCommand({
                          UserPoolId: inputs.userPoolId,
                          ClientId: app.clientId,
                          AuthFlow: flow,
                          AuthParameters: parameters,
                      }),
                  )
                : await client.send(new InitiateAuthCommand({ ClientId: app.clientId, AuthFlow: flow, AuthParameters: parameters }));
        ref.secrets?.push(answer.Session, answer.AuthenticationResult?.AccessToken, answer.AuthenticationResult?.RefreshToken);
        return answer;
    });
}

/** `AdminRespondToAuthChallenge` or `RespondToAuthChallenge`, as the sign-in began. */
function respondToChallenge(
    client: CognitoIdentityProviderClient,
    subject: MfaSubject,
    app: EnrolmentClient,
    challenge: ChallengeNameType,
    session: string,
    responses: Record<string, string>,
) {
    const { inputs, cognitoUsername, ref } = subject;
    const challengeResponses = { USERNAME: cognitoUsername, ...responses, ...secretHash(app, cognitoUsername) };
    const admin = app.flow === "ADMIN_USER_PASSWORD_AUTH";
    return step(`${admin ? "AdminRespondToAuthChallenge" : "RespondToAuthChallenge"}(${challenge})`, ref, async () => {
        const request = { ClientId: app.clientId, ChallengeName: challenge, Session: session, ChallengeResponses: challengeResponses };
        const answer = admin
            ? await client.send(new AdminRespondToAuthChallengeCommand({ ...request, UserPoolId: inputs.userPoolId }))
            : await client.send(new RespondToAuthChallengeCommand(request));
        ref.secrets?.push(answer.Session, answer.AuthenticationResult?.AccessToken, answer.AuthenticationResult?.RefreshToken);
        return answer;
    });
}

/** Cognito's preference settings for `mfa`. */
function preferenceSettings(mfa: MfaSettings) {
    return {
        SoftwareTokenMfaSettings: { Enabled: mfa.totp, PreferredMfa: mfa.totp && mfa.preferred === "totp" },
        SMSMfaSettings: { Enabled: mfa.sms, PreferredMfa: mfa.sms && mfa.preferred === "sms" },
    };
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
async function adminSetMfaPreference(
    client: CognitoIdentityProviderClient,
    subject: MfaSubject,
    mfa: MfaSettings,
    options: { strict?: boolean } = {},
): Promise<boolean> {
    const { inputs, cognitoUsername, ref } = subject;
    const endpoint = inputs.endpoint;
    const request = new AdminSetUserMFAPreferenceCommand({
        UserPoolId: inputs.userPoolId,
        Username: cognitoUsername,
        ...preferenceSettings(mfa),
    });
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
        await step("AdminSetUserMFAPreference", ref, () => client.send(request));
        return true;
    }
    const probe = createCognitoClient({ region: inputs.region, endpoint, profile: inputs.profile, maxAttempts: 1 });
    try {
        await step("AdminSetUserMFAPreference", ref, () => probe.send(request));
        return true;
    } catch (error) {
        if (!isUnsupportedOperation(error)) {
            // Anything else (throttling included) through the configured client and its retries.
            await step("AdminSetUserMFAPreference", ref, () => client.send(request));
            return true;
        }
        noAdminPreference.add(endpoint);
        return unsupported();
    } finally {
        probe.destroy();
    }
}

/**
 * Sets the user's MFA preference: `AdminSetUserMFAPreference`, or where the service lacks it (cognito-local),
 * the user's own `SetUserMFAPreference` with an access token (the enrolment's, or a new sign-in's).
 */
async function setMfaPreference(
    client: CognitoIdentityProviderClient,
    subject: MfaSubject,
    mfa: MfaSettings,
    session: { accessToken?: string; secret?: string; app?: EnrolmentClient },
): Promise<void> {
    if (await adminSetMfaPreference(client, subject, mfa)) return;
    let accessToken = session.accessToken;
    if (!accessToken) {
        const app = session.app ?? (await enrolmentClient(client, subject.inputs, subject.ref));
        accessToken = (await signInAsUser(client, subject, app, { forEnrolment: false, secret: session.secret })).accessToken;
    }
    await step("SetUserMFAPreference", subject.ref, () =>
        client.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, ...preferenceSettings(mfa) })),
    );
}

/** Whether Cognito refused a TOTP code (wrong, expired, or already used). */
function isCodeRefused(error: unknown): boolean {
    const name = (error as { cognitoName?: string })?.cognitoName ?? (error as Error)?.name;
    return name === "CodeMismatchException" || name === "ExpiredCodeException" || name === "EnableSoftwareTokenMFAException";
}

/** Waits until the next 30-second TOTP step (plus a little), so a new code is computed. */
async function nextTotpStep(): Promise<void> {
    const { msToNext } = totpStep();
    await new Promise((resolve) => setTimeout(resolve, msToNext + 250));
}

/**
 * Where in an update the MFA step goes: before a disable (a disabled user cannot sign in to enrol), and
 * after an enable. A user that stays disabled cannot enrol: a VALIDATION_ERROR before any write.
 */
export function assertCanEnrol(olds: Partial<UserOutputs>, news: UserInputs, prepared: MfaPreparation): void {
    if (!prepared.plan.enrolTotp) return;
    if (olds.enabled === false && news.enabled === false) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `user "${news.username}" is disabled, so the provider cannot sign in as it to enrol its software token: ` +
                "enable it (`enabled: true`) for the update that turns mfa.totp on; it may be disabled again afterwards. Nothing was changed.",
        );
    }
}

/**
 * The MFA step of a create, as a follow-up after the password and groups (and before a disable):
 * nothing for a new user whose declared MFA is off. `record` receives the MFA outputs to record.
 */
export function mfaFollowUps(
    client: CognitoIdentityProviderClient,
    prepared: MfaPreparation,
    subject: MfaSubject,
    record: (state: MfaState) => void,
): Array<[string, () => Promise<void>]> {
    record(recordedMfaState(subject, subject.inputs.mfa, undefined));
    if (!mfaEnabled(prepared.plan.desired)) return [];
    return [["MFA enrolment", async () => record(await applyMfa(client, subject, prepared))]];
}

/** The MFA outputs an update records when its plan changes nothing about MFA. */
export function unchangedMfaState(olds: Partial<UserOutputs>, news: UserInputs): MfaState {
    const state = recordedMfaState({ inputs: news } as MfaSubject, news.mfa, olds.totpSecret);
    delete state.mfaSettingList;
    delete state.preferredMfaSetting;
    return state;
}
