/**
 * MFA through the CognitoUser provider's handlers against cognito-local: a user declared with
 * `mfa: { totp: true }` is enrolled (its secret is the output `totpSecret`) and then signs in only with
 * the TOTP code computed from that secret; refresh reports MFA drift; an update re-enrols or turns MFA
 * off; bad input and a pool or client that cannot do it fail before any write; a create whose enrolment
 * fails leaves no user behind; no secret appears in any error.
 *
 * cognito-local returns MFA challenges only from InitiateAuth (its AdminInitiateAuth issues tokens), and
 * lacks AdminSetUserMFAPreference (the provider then uses the user's own SetUserMFAPreference).
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { AdminGetUserCommand, CreateUserPoolClientCommand, SetUserMFAPreferenceCommand } from "@aws-sdk/client-cognito-identity-provider";
import * as batchHandlers from "../support/batchHandlers";
import { QUOTA_CATEGORIES } from "../../provider/batch/quotas";
import { BatchInputs, BatchOutputs } from "../../provider/batch/types";
import * as handlers from "../../provider/user/handlers";
import { forgetMfaFacts } from "../../provider/shared/cognito/gatewaySignIn";
import { totpCode } from "../../provider/shared/mfa";
import { UserInputs, UserOutputs } from "../../provider/shared/types";
import { freePort } from "../../provider/local/cognitoLocal";
import { createTestPool, expectError, listPoolUsers, startTestCognito, TestCognito, TestPool, TEST_REGION } from "../support/cognito";
import { FaultProxy, startFaultProxy } from "../support/faultProxy";
import { enablePoolMfa, signInWithTotp, wrongCode } from "../support/mfa";

/** A fresh password meeting the test pools' policy; never printed. */
function newPassword(): string {
    return `Pw1!${randomBytes(12).toString("base64url")}aZ9`;
}

/** Asserts that no secret occurs in the text, without echoing either. */
function assertNoSecret(text: string, secrets: Array<string | undefined>): void {
    for (const secret of secrets) if (secret) assert.ok(!text.includes(secret), "a secret appears in the text");
}

const ALL_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] as const;

describe("MFA: CognitoUser provider against cognito-local (integration)", function () {
    let cognito: TestCognito;
    let pool: TestPool;

    before(async function () {
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, { authFlows: [...ALL_FLOWS] });
        await enablePoolMfa(cognito.client, pool.id);
    });
    after(async function () {
        await cognito?.stop();
    });
    beforeEach(() => forgetMfaFacts());

    async function checked(raw: Record<string, unknown>, endpoint = cognito.endpoint): Promise<UserInputs> {
        const result = await handlers.check({}, { region: TEST_REGION, endpoint, userPoolId: pool.id, clientId: pool.clientId, ...raw });
        assert.deepEqual(result.failures ?? [], []);
        return result.inputs as unknown as UserInputs;
    }

    async function created(raw: Record<string, unknown>): Promise<{ id: string; outs: UserOutputs }> {
        const { id, outs } = await handlers.create(await checked(raw));
        return { id, outs: outs as UserOutputs };
    }

    async function updated(id: string, olds: UserOutputs, raw: Record<string, unknown>): Promise<UserOutputs> {
        const news = await checked(raw);
        const d = await handlers.diff(id, olds, news);
        assert.equal(d.changes, true, "diff should report the change");
        assert.deepEqual(d.replaces ?? [], []);
        return (await handlers.update(id, olds, news)).outs as UserOutputs;
    }

    async function storedMfa(username: string): Promise<{ list: string[]; preferred?: string }> {
        const user = await cognito.client.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: username }));
        return { list: user.UserMFASettingList ?? [], preferred: user.PreferredMfaSetting || undefined };
    }

    const app = () => ({ userPoolId: pool.id, clientId: pool.clientId });

    it("enrols TOTP at create: the user signs in only with the code computed from the secret output", async function () {
        const password = newPassword();
        const { outs } = await created({ username: "totp-alice", password, mfa: { totp: true } });
        assert.ok(outs.totpSecret && /^[A-Z2-7]+=*$/.test(outs.totpSecret), "totpSecret is a base32 secret");
        assert.match(outs.totpUri ?? "", /^otpauth:\/\/totp\/.+\?/);
        assert.ok(outs.totpUri!.includes(`secret=${outs.totpSecret}`));
        assert.deepEqual(outs.mfa, { totp: true, sms: false, preferred: "totp" });
        assert.deepEqual(outs.mfaSettingList, ["SOFTWARE_TOKEN_MFA"]);
        assert.deepEqual(await storedMfa("totp-alice"), { list: ["SOFTWARE_TOKEN_MFA"], preferred: "SOFTWARE_TOKEN_MFA" });

        assert.equal(
            (await signInWithTotp(cognito.client, app(), "totp-alice", password)).result,
            "SOFTWARE_TOKEN_MFA",
            "password alone is not enough",
        );
        assert.equal(
            (await signInWithTotp(cognito.client, app(), "totp-alice", password, { code: wrongCode(outs.totpSecret!) })).result,
            "CODE_REFUSED",
        );
        assert.equal(
            (await signInWithTotp(cognito.client, app(), "totp-alice", password, { secret: outs.totpSecret })).result,
            "SIGNED_IN",
        );
    });

    it("refresh keeps the secret and shows no change; MFA turned off behind its back is drift the next update re-enrols", async function () {
        const password = newPassword();
        const { id, outs } = await created({ username: "totp-drift", password, mfa: { totp: true } });
        const read1 = (await handlers.read(id, outs)).props as UserOutputs;
        assert.deepEqual(read1.mfa, outs.mfa);
        assert.equal(read1.totpSecret, outs.totpSecret);
        const same = await checked({ username: "totp-drift", password, mfa: { totp: true } });
        assert.equal((await handlers.diff(id, read1, same)).changes, false, "no diff right after create");

        // The user turns TOTP off in the app.
        const signedIn = await signInWithTotp(cognito.client, app(), "totp-drift", password, { secret: outs.totpSecret });
        await cognito.client.send(
            new SetUserMFAPreferenceCommand({
                AccessToken: signedIn.accessToken,
                SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
            }),
        );
        const read2 = (await handlers.read(id, read1)).props as UserOutputs;
        assert.deepEqual(read2.mfa, { totp: false, sms: false }, "refresh reports the drift");
        assert.equal(read2.totpSecret, undefined, "no secret is recorded for a token that is off");
        const d = await handlers.diff(id, read2, same);
        assert.equal(d.changes, true);

        const after = (await handlers.update(id, read2, same)).outs as UserOutputs;
        assert.deepEqual(after.mfa, { totp: true, sms: false, preferred: "totp" });
        assert.ok(after.totpSecret && after.totpSecret !== outs.totpSecret, "a new token is enrolled");
        assert.equal(
            (await signInWithTotp(cognito.client, app(), "totp-drift", password, { secret: after.totpSecret })).result,
            "SIGNED_IN",
        );
    });

    it("turns TOTP off (mfa.totp false, or mfa removed) and on again by update", async function () {
        const password = newPassword();
        const { id, outs } = await created({ username: "totp-toggle", password, mfa: { totp: true } });
        const off = await updated(id, outs, { username: "totp-toggle", password, mfa: { totp: false } });
        assert.deepEqual(off.mfa, { totp: false, sms: false });
        assert.equal(off.totpSecret, undefined);
        assert.equal(off.totpUri, undefined);
        assert.deepEqual((await storedMfa("totp-toggle")).list, []);
        assert.equal(
            (await signInWithTotp(cognito.client, app(), "totp-toggle", password)).result,
            "SIGNED_IN",
            "the password alone signs in again",
        );

        const on = await updated(id, off, { username: "totp-toggle", password, mfa: { totp: true } });
        assert.ok(on.totpSecret);
        assert.equal((await signInWithTotp(cognito.client, app(), "totp-toggle", password)).result, "SOFTWARE_TOKEN_MFA");

        // Removing a declared mfa turns it off and stops managing it.
        const removed = await updated(id, on, { username: "totp-toggle", password });
        assert.equal(removed.mfa, undefined);
        assert.equal(removed.totpSecret, undefined);
        assert.deepEqual((await storedMfa("totp-toggle")).list, []);
        const again = await checked({ username: "totp-toggle", password });
        assert.equal((await handlers.diff(id, removed, again)).changes, false, "no diff once MFA is unmanaged");
    });

    it("enrols at update a user created without MFA, with its generated password, and a new password keeps TOTP", async function () {
        const { id, outs } = await created({ username: "totp-later", generatePassword: true });
        assert.equal(outs.mfa, undefined, "MFA not declared: not managed, nothing recorded");
        const on = await updated(id, outs, { username: "totp-later", generatePassword: true, mfa: { totp: true } });
        assert.ok(on.totpSecret);
        assert.equal(
            (await signInWithTotp(cognito.client, app(), "totp-later", on.password!, { secret: on.totpSecret })).result,
            "SIGNED_IN",
        );

        const password = newPassword();
        const moved = await updated(id, on, { username: "totp-later", password, mfa: { totp: true } });
        assert.equal(moved.totpSecret, on.totpSecret, "a password change does not re-enrol");
        assert.equal(
            (await signInWithTotp(cognito.client, app(), "totp-later", password, { secret: moved.totpSecret })).result,
            "SIGNED_IN",
        );
    });

    it("a disabled user is enrolled before it is disabled; one that stays disabled cannot be enrolled (VALIDATION_ERROR, nothing changed)", async function () {
        const password = newPassword();
        const { id, outs } = await created({ username: "totp-disabled", password, enabled: false, mfa: { totp: true } });
        assert.equal(outs.enabled, false);
        assert.ok(outs.totpSecret);
        assert.deepEqual((await storedMfa("totp-disabled")).list, ["SOFTWARE_TOKEN_MFA"]);

        const { id: id2, outs: plain } = await created({ username: "plain-disabled", password, enabled: false });
        const news = await checked({ username: "plain-disabled", password, enabled: false, mfa: { totp: true } });
        const error = await expectError(() => handlers.update(id2, plain, news));
        assert.equal(error.code, "VALIDATION_ERROR");
        assert.match(error.message, /enable it/);
        assert.deepEqual((await storedMfa("plain-disabled")).list, []);
        // Enabling in the same update works: enable, then enrol.
        const on = await updated(id2, plain, { username: "plain-disabled", password, mfa: { totp: true } });
        assert.ok(on.totpSecret);
        assert.ok(id);
    });

    it("a batch on cognito-local enrols through the batch's clientId and turns MFA off again", async function () {
        const password = newPassword();
        const unpaced = Object.fromEntries(QUOTA_CATEGORIES.map((category) => [category, 0]));
        const raw = (mfa: unknown) => ({
            region: TEST_REGION,
            endpoint: cognito.endpoint,
            userPoolId: pool.id,
            clientId: pool.clientId,
            rates: unpaced,
            batchName: "mfa-local",
            declaredUsers: [{ username: "batch-local-totp", mfa }],
            userPasswords: { "batch-local-totp": { password } },
        });
        const first = await batchHandlers.check({}, raw({ totp: true }));
        assert.deepEqual(first.failures ?? [], []);
        const { id, outs } = await batchHandlers.create(first.inputs as unknown as BatchInputs);
        const secret = (outs as BatchOutputs).totpSecrets?.["batch-local-totp"];
        assert.ok(secret);
        assert.equal((await signInWithTotp(cognito.client, app(), "batch-local-totp", password, { secret })).result, "SIGNED_IN");
        const off = await batchHandlers.check({}, raw({ totp: false }));
        const news = off.inputs as unknown as BatchInputs;
        assert.equal((await batchHandlers.diff(id, outs as BatchOutputs, news)).changes, true);
        const after = (await batchHandlers.update(id, outs as BatchOutputs, news)).outs as BatchOutputs;
        assert.equal(after.totpSecrets, undefined);
        assert.deepEqual(after.users["batch-local-totp"].mfa, { totp: false, sms: false });
        assert.equal((await signInWithTotp(cognito.client, app(), "batch-local-totp", password)).result, "SIGNED_IN");
        await batchHandlers.remove(id, after);
    });

    it("state written before MFA existed: refresh records no MFA and the diff shows no change", async function () {
        const password = newPassword();
        const { id, outs } = await created({ username: "old-state", password });
        const old = { ...outs } as Record<string, unknown>;
        for (const key of ["mfa", "clientId", "totpSecret", "totpUri"]) delete old[key];
        const read = (await handlers.read(id, old)).props as UserOutputs;
        assert.equal(read.mfa, undefined);
        const news = (
            await handlers.check(
                {},
                { region: TEST_REGION, endpoint: cognito.endpoint, userPoolId: pool.id, username: "old-state", password },
            )
        ).inputs as unknown as UserInputs;
        assert.equal((await handlers.diff(id, read, news)).changes, false);
    });

    it("check: MFA with a temporary password, without a password, or TOTP without clientId fail before any call", async function () {
        const nowhere = `http://127.0.0.1:${await freePort()}`;
        const temporary = newPassword();
        const base = { region: TEST_REGION, endpoint: nowhere, userPoolId: pool.id, username: "x" };
        const r1 = await handlers.check({}, { ...base, temporaryPassword: temporary, clientId: pool.clientId, mfa: { totp: true } });
        assert.ok(r1.failures?.some((f) => f.property === "mfa" && /permanent password/.test(f.reason)));
        assertNoSecret(JSON.stringify(r1.failures), [temporary]);
        const r2 = await handlers.check({}, { ...base, clientId: pool.clientId, mfa: { totp: true } });
        assert.ok(r2.failures?.some((f) => f.property === "mfa" && /generatePassword/.test(f.reason)));
        const r3 = await handlers.check({}, { ...base, generatePassword: true, mfa: { totp: true } });
        assert.ok(r3.failures?.some((f) => f.property === "clientId" && /ALLOW_ADMIN_USER_PASSWORD_AUTH/.test(f.reason)));
    });

    it("a pool with MFA OFF, or that does not allow software tokens, fails with VALIDATION_ERROR naming the fix; no user is created", async function () {
        const off = await createTestPool(cognito.client, { authFlows: [...ALL_FLOWS] });
        await enablePoolMfa(cognito.client, off.id, { mode: "OFF", totp: false });
        const inputs = (
            await handlers.check(
                {},
                {
                    region: TEST_REGION,
                    endpoint: cognito.endpoint,
                    userPoolId: off.id,
                    clientId: off.clientId,
                    username: "never",
                    generatePassword: true,
                    mfa: { totp: true },
                },
            )
        ).inputs as unknown as UserInputs;
        const error = await expectError(() => handlers.create(inputs));
        assert.equal(error.code, "VALIDATION_ERROR");
        assert.match(error.message, /MFA turned OFF.*OPTIONAL/);
        assert.match(error.message, /softwareTokenMfaConfiguration/);
        assert.deepEqual(await listPoolUsers(cognito.client, off.id), []);
    });

    it("an app client without a password flow, or not in the pool, fails with VALIDATION_ERROR naming the fix; no user is created", async function () {
        const srpOnly = await cognito.client.send(
            new CreateUserPoolClientCommand({ UserPoolId: pool.id, ClientName: "srp-only", ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] }),
        );
        const before = (await listPoolUsers(cognito.client, pool.id)).length;
        const error = await expectError(async () =>
            handlers.create(
                await checked({
                    username: "no-flow",
                    generatePassword: true,
                    clientId: srpOnly.UserPoolClient!.ClientId,
                    mfa: { totp: true },
                }),
            ),
        );
        assert.equal(error.code, "VALIDATION_ERROR");
        assert.match(error.message, /ALLOW_ADMIN_USER_PASSWORD_AUTH/);
        assert.match(error.message, /explicitAuthFlows/);

        const missing = await expectError(async () =>
            handlers.create(
                await checked({ username: "no-client", generatePassword: true, clientId: "doesnotexist123", mfa: { totp: true } }),
            ),
        );
        assert.equal(missing.code, "VALIDATION_ERROR");
        assert.match(missing.message, /not an app client of that pool/);
        assert.equal((await listPoolUsers(cognito.client, pool.id)).length, before);
    });

    describe("through a proxy that fails VerifySoftwareToken", function () {
        let proxy: FaultProxy;
        before(async function () {
            proxy = await startFaultProxy({ upstream: cognito.endpoint });
        });
        after(async function () {
            await proxy?.stop();
        });

        it("a create whose enrolment fails is rolled back: no half-enrolled user, and no secret in the error", async function () {
            const password = newPassword();
            let token: string | undefined;
            proxy.setRule(({ operation, body }) => {
                if (operation !== "VerifySoftwareToken") return undefined;
                token = (body as { AccessToken?: string }).AccessToken;
                // An error echoing the request's token: the provider must redact it.
                return { type: "InvalidParameterException", message: `token ${token} refused` };
            });
            try {
                const error = await expectError(async () =>
                    handlers.create(await checked({ username: "half", password, mfa: { totp: true } }, proxy.endpoint)),
                );
                assert.match(error.message, /MFA enrolment/);
                assert.match(error.message, /deleted again, nothing is left behind/);
                assert.ok(token, "the proxy saw the VerifySoftwareToken call");
                assertNoSecret(error.message, [password, token]);
            } finally {
                proxy.setRule(undefined);
            }
            assert.ok(!(await listPoolUsers(cognito.client, pool.id)).some((u) => u.Username === "half"));
        });
    });

    it("the enrolment code is the one an authenticator app shows (otpauth, RFC 6238)", async function () {
        const password = newPassword();
        const { outs } = await created({ username: "totp-code", password, mfa: { totp: true } });
        // Any other client computing the code from the URI's secret gets the same code.
        const secret = new URL(outs.totpUri!).searchParams.get("secret")!;
        assert.equal(secret, outs.totpSecret);
        assert.equal(totpCode(secret), totpCode(outs.totpSecret!));
        assert.equal((await signInWithTotp(cognito.client, app(), "totp-code", password, { code: totpCode(secret) })).result, "SIGNED_IN");
    });
});
