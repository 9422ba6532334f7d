/**
 * The MFA lifecycle against a mocked SDK (aws-sdk-client-mock), for the answers of real Cognito the
 * emulators do not give: a pool that requires MFA (MFA_SETUP: enrolment through the challenge's session),
 * a client with a secret (SECRET_HASH on every sign-in call), a user with SMS MFA the provider cannot
 * answer (turned off as an administrator first), and an error carrying a secret (redacted).
 */
import { strict as assert } from "assert";
import {
    AdminGetUserCommand,
    AdminInitiateAuthCommand,
    AdminRespondToAuthChallengeCommand,
    AdminSetUserMFAPreferenceCommand,
    AssociateSoftwareTokenCommand,
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    GetUserPoolMfaConfigCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { createHmac } from "crypto";
import { CognitoUserError } from "../../provider/shared/errors";
import { totpCode } from "../../provider/shared/mfa";
import { UserInputs } from "../../provider/shared/types";
import { CognitoGateway, ProvenUser } from "../../provider/shared/cognito/gateway";
import { forgetMfaFacts } from "../../provider/shared/cognito/gatewaySignIn";
import { applyMfa } from "../../provider/user/mfa";
import { prepareMfa } from "../../provider/user/mfaPrepare";
import { checkedInputs, REAL_POOL, TEST_PASSWORD } from "./fixtures";

const SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const CLIENT_SECRET = "client-secret-never-shown";
const ACCESS_TOKEN = "eyJ.access.token";

describe("MFA lifecycle against a mocked Cognito", () => {
    let mock: ReturnType<typeof mockClient>;
    let client: CognitoGateway;
    let inputs: UserInputs;

    let alice: ProvenUser;

    beforeEach(async () => {
        forgetMfaFacts();
        mock = mockClient(CognitoIdentityProviderClient);
        const sdk = new CognitoIdentityProviderClient({ region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
        client = new CognitoGateway(sdk, { region: "eu-west-1" });
        inputs = checkedInputs({ username: "alice", password: TEST_PASSWORD, clientId: "app123client", mfa: { totp: true } });
        mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } });
        mock.on(DescribeUserPoolClientCommand).resolves({
            UserPoolClient: { ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH"], ClientSecret: CLIENT_SECRET },
        });
        mock.on(AdminSetUserMFAPreferenceCommand).resolves({});
        // Every sign-in and MFA call names a user proven in the operation, as a create or update proves it.
        mock.on(AdminGetUserCommand).resolves({ Username: "alice", UserAttributes: [{ Name: "sub", Value: "sub-alice" }] });
        const ref = { userPoolId: REAL_POOL, username: "alice", secrets: [TEST_PASSWORD] };
        const verdict = client.identify(
            await client.adminGetUser({ user: ref, username: "alice" }),
            { cognitoUsername: "alice", sub: "sub-alice" },
            ref,
        );
        alice = (verdict as { proven: ProvenUser }).proven;
    });
    afterEach(() => mock.restore());

    const subject = () => ({ inputs, user: alice, password: TEST_PASSWORD });
    const hashFor = (username: string) =>
        createHmac("sha256", CLIENT_SECRET)
            .update(username + "app123client")
            .digest("base64");

    it("in a pool that requires MFA, enrols through the MFA_SETUP session and finishes the challenge", async () => {
        mock.on(AdminInitiateAuthCommand).resolves({ ChallengeName: "MFA_SETUP", Session: "s1" });
        mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: SECRET, Session: "s2" });
        mock.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS", Session: "s3" });
        mock.on(AdminRespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS_TOKEN } });

        const prepared = await prepareMfa(client, {}, inputs, subject().user.ref);
        const state = await applyMfa(client, subject(), prepared);
        assert.equal(state.totpSecret, SECRET);
        assert.match(state.totpUri!, /^otpauth:\/\/totp\//);

        const auth = mock.commandCalls(AdminInitiateAuthCommand)[0].args[0].input;
        assert.equal(auth.AuthFlow, "ADMIN_USER_PASSWORD_AUTH");
        assert.equal(auth.AuthParameters?.SECRET_HASH, hashFor("alice"), "a client with a secret gets SECRET_HASH");
        assert.deepEqual(mock.commandCalls(AssociateSoftwareTokenCommand)[0].args[0].input, { Session: "s1" });
        const verify = mock.commandCalls(VerifySoftwareTokenCommand)[0].args[0].input;
        assert.equal(verify.Session, "s2");
        assert.ok([totpCode(SECRET, Date.now() - 30_000), totpCode(SECRET)].includes(verify.UserCode!));
        const respond = mock.commandCalls(AdminRespondToAuthChallengeCommand)[0].args[0].input;
        assert.equal(respond.ChallengeName, "MFA_SETUP");
        assert.equal(respond.Session, "s3");
        assert.equal(respond.ChallengeResponses?.SECRET_HASH, hashFor("alice"));
        const preference = mock.commandCalls(AdminSetUserMFAPreferenceCommand)[0].args[0].input;
        assert.deepEqual(preference.SoftwareTokenMfaSettings, { Enabled: true, PreferredMfa: true });
        assert.deepEqual(preference.SMSMfaSettings, { Enabled: false, PreferredMfa: false });
    });

    it("a user with SMS MFA it cannot answer: turns MFA off as an administrator, signs in again, enrols", async () => {
        mock.on(AdminInitiateAuthCommand)
            .resolvesOnce({ ChallengeName: "SMS_MFA", Session: "s1" })
            .resolves({ AuthenticationResult: { AccessToken: ACCESS_TOKEN } });
        mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: SECRET });
        mock.on(VerifySoftwareTokenCommand).resolves({ Status: "SUCCESS" });

        const prepared = await prepareMfa(client, { mfa: { totp: false, sms: true, preferred: "sms" } }, inputs, subject().user.ref);
        await applyMfa(client, subject(), prepared);
        const preferences = mock.commandCalls(AdminSetUserMFAPreferenceCommand).map((c) => c.args[0].input);
        assert.equal(preferences.length, 2);
        assert.deepEqual(preferences[0].SMSMfaSettings, { Enabled: false, PreferredMfa: false }, "first off");
        assert.deepEqual(preferences[1].SoftwareTokenMfaSettings, { Enabled: true, PreferredMfa: true }, "then as declared");
        assert.equal(mock.commandCalls(AdminInitiateAuthCommand).length, 2);
        assert.deepEqual(mock.commandCalls(AssociateSoftwareTokenCommand)[0].args[0].input, { AccessToken: ACCESS_TOKEN });
    });

    it("never shows the password, the token or the new secret in an error", async () => {
        mock.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: ACCESS_TOKEN } });
        mock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: SECRET });
        const echo = Object.assign(new Error(`bad ${ACCESS_TOKEN} ${SECRET} ${TEST_PASSWORD}`), { name: "InvalidParameterException" });
        mock.on(VerifySoftwareTokenCommand).rejects(echo);
        const prepared = await prepareMfa(client, {}, inputs, subject().user.ref);
        const error = await applyMfa(client, subject(), prepared).then(
            () => assert.fail("expected an error"),
            (e: unknown) => e as CognitoUserError,
        );
        assert.ok(error instanceof CognitoUserError);
        assert.match(error.message, /VerifySoftwareToken/);
        for (const secret of [ACCESS_TOKEN, SECRET, TEST_PASSWORD])
            assert.ok(!error.message.includes(secret), "a secret appears in the error");
    });

    it("a pool with MFA OFF fails before any sign-in, naming the fix", async () => {
        mock.on(GetUserPoolMfaConfigCommand).resolves({ MfaConfiguration: "OFF" });
        const error = await prepareMfa(client, {}, inputs, subject().user.ref).then(
            () => assert.fail("expected an error"),
            (e: unknown) => e as CognitoUserError,
        );
        assert.equal(error.code, "VALIDATION_ERROR");
        assert.match(error.message, /mfaConfiguration: "OPTIONAL"/);
        assert.equal(mock.commandCalls(AdminInitiateAuthCommand).length, 0);
    });

    it("turning MFA off calls only AdminSetUserMFAPreference: no sign-in, no client needed", async () => {
        const off = checkedInputs({ username: "alice", password: TEST_PASSWORD, mfa: { totp: false } });
        const prepared = await prepareMfa(
            client,
            { mfa: { totp: true, sms: false, preferred: "totp" }, totpSecret: SECRET },
            off,
            subject().user.ref,
        );
        const state = await applyMfa(client, { ...subject(), inputs: off }, prepared);
        assert.equal(state.totpSecret, undefined);
        assert.equal(mock.commandCalls(AdminInitiateAuthCommand).length, 0);
        assert.equal(mock.commandCalls(DescribeUserPoolClientCommand).length, 0);
        assert.deepEqual(mock.commandCalls(AdminSetUserMFAPreferenceCommand)[0].args[0].input.SoftwareTokenMfaSettings, {
            Enabled: false,
            PreferredMfa: false,
        });
    });
});
