/**
 * MFA against moto's server, the stricter emulator: unlike cognito-local, its AdminInitiateAuth asks a
 * user with TOTP for the code (as real Cognito does), it implements AdminSetUserMFAPreference and SMS
 * MFA preferences, and with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true it checks every TOTP code
 * (VerifySoftwareToken and the SOFTWARE_TOKEN_MFA answer) against the current 30-second step only.
 * moto hands every user the same fixed secret; what is under test is the provider's calls, not the secret.
 * Needs `npm run setup` (moto in .tools/moto-venv).
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import * as batchHandlers from "../support/batchHandlers";
import { READ_WAY_VARIABLE } from "../../provider/batch/refresh";
import { BatchInputs, BatchOutputs } from "../../provider/batch/types";
import * as handlers from "../../provider/user/handlers";
import { UserInputs, UserOutputs } from "../../provider/shared/types";
import { forgetMfaFacts } from "../../provider/shared/cognito/gatewaySignIn";
import { expectError, listPoolUsers, UNPACED_RATES } from "../support/cognito";
import { enablePoolMfa, signInWithTotp, wrongCode } from "../support/mfa";
import { createMotoPool, MotoPool, startMoto, TestMoto } from "../support/moto";

function goodPassword(): string {
    return `Pw1!${randomBytes(12).toString("base64url")}aZ9`;
}

const SMS_ROLE = "arn:aws:iam::123456789012:role/cognito-sms";

describe("MFA against moto's server (integration)", function () {
    this.timeout(120000);
    let moto: TestMoto;
    let pool: MotoPool;
    const savedTotp = process.env.MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP;

    before(async function () {
        // moto reads it when it starts: every TOTP code is checked.
        process.env.MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP = "true";
        moto = await startMoto();
        pool = await createMotoPool(moto, "us-east-1");
        await enablePoolMfa(moto.clientFor(pool.region), pool.id, { smsRoleArn: SMS_ROLE });
    });
    after(async function () {
        await moto?.stop();
        if (savedTotp === undefined) delete process.env.MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP;
        else process.env.MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP = savedTotp;
    });
    beforeEach(() => forgetMfaFacts());

    const client = () => moto.clientFor(pool.region);
    const admin = () => ({ userPoolId: pool.id, clientId: pool.clientId, admin: true });

    async function checked(raw: Record<string, unknown>): Promise<UserInputs> {
        const result = await handlers.check(
            {},
            { region: pool.region, endpoint: moto.endpoint, userPoolId: pool.id, clientId: pool.clientId, ...raw },
        );
        assert.deepEqual(result.failures ?? [], []);
        return result.inputs as unknown as UserInputs;
    }

    async function updated(id: string, olds: UserOutputs, raw: Record<string, unknown>): Promise<UserOutputs> {
        const news = await checked(raw);
        assert.equal((await handlers.diff(id, olds, news)).changes, true);
        return (await handlers.update(id, olds, news)).outs as UserOutputs;
    }

    async function storedMfa(username: string): Promise<{ list: string[]; preferred?: string }> {
        const user = await client().send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: username }));
        return { list: user.UserMFASettingList ?? [], preferred: user.PreferredMfaSetting || undefined };
    }

    it("enrols TOTP through AdminInitiateAuth; the admin sign-in then asks for the code and takes only the right one", async function () {
        const password = goodPassword();
        const { id, outs } = await handlers.create(await checked({ username: "moto-totp", password, mfa: { totp: true } }));
        const user = outs as UserOutputs;
        assert.ok(user.totpSecret);
        assert.deepEqual(await storedMfa("moto-totp"), { list: ["SOFTWARE_TOKEN_MFA"], preferred: "SOFTWARE_TOKEN_MFA" });
        assert.equal((await signInWithTotp(client(), admin(), "moto-totp", password)).result, "SOFTWARE_TOKEN_MFA");
        assert.equal(
            (await signInWithTotp(client(), admin(), "moto-totp", password, { code: wrongCode(user.totpSecret!) })).result,
            "CODE_REFUSED",
        );
        assert.equal((await signInWithTotp(client(), admin(), "moto-totp", password, { secret: user.totpSecret })).result, "SIGNED_IN");

        const read = (await handlers.read(id, user)).props as UserOutputs;
        assert.deepEqual(read.mfa, { totp: true, sms: false, preferred: "totp" });
        assert.equal(
            (await handlers.diff(id, read, await checked({ username: "moto-totp", password, mfa: { totp: true } }))).changes,
            false,
        );

        // Off with AdminSetUserMFAPreference: the password alone signs in again.
        const off = await updated(id, read, { username: "moto-totp", password, mfa: { totp: false } });
        assert.deepEqual((await storedMfa("moto-totp")).list, []);
        assert.equal(off.totpSecret, undefined);
        assert.equal((await signInWithTotp(client(), admin(), "moto-totp", password)).result, "SIGNED_IN");
    });

    it("re-enrols a user whose token is on but whose secret is not recorded: the challenge it cannot answer is cleared first", async function () {
        const password = goodPassword();
        const { id, outs } = await handlers.create(await checked({ username: "moto-lost", password, mfa: { totp: true } }));
        const lost = { ...(outs as UserOutputs) };
        delete lost.totpSecret;
        delete lost.totpUri;
        const again = await updated(id, lost, { username: "moto-lost", password, mfa: { totp: true } });
        assert.ok(again.totpSecret);
        assert.deepEqual(await storedMfa("moto-lost"), { list: ["SOFTWARE_TOKEN_MFA"], preferred: "SOFTWARE_TOKEN_MFA" });
        assert.equal((await signInWithTotp(client(), admin(), "moto-lost", password, { secret: again.totpSecret })).result, "SIGNED_IN");
    });

    it("answers SOFTWARE_TOKEN_MFA with the recorded secret when it signs in as a user whose token is on", async function () {
        const password = goodPassword();
        const { id, outs } = await handlers.create(await checked({ username: "moto-known", password, mfa: { totp: true } }));
        // A stale record (TOTP recorded off, secret kept) makes the update enrol while Cognito asks for a code.
        const stale = { ...(outs as UserOutputs), mfa: { totp: false, sms: false } };
        const again = await updated(id, stale, { username: "moto-known", password, mfa: { totp: true } });
        assert.ok(again.totpSecret);
        assert.equal((await signInWithTotp(client(), admin(), "moto-known", password, { secret: again.totpSecret })).result, "SIGNED_IN");
    });

    it("sets SMS MFA for a user with a verified phone, prefers it as declared, and turns it off", async function () {
        const password = goodPassword();
        const attributes = { phone_number: "+15555550100", phone_number_verified: "true" };
        const { id, outs } = await handlers.create(await checked({ username: "moto-sms", password, attributes, mfa: { sms: true } }));
        assert.deepEqual((outs as UserOutputs).mfa, { totp: false, sms: true, preferred: "sms" });
        assert.deepEqual(await storedMfa("moto-sms"), { list: ["SMS_MFA"], preferred: "SMS_MFA" });
        assert.equal((await signInWithTotp(client(), admin(), "moto-sms", password)).result, "SMS_MFA");

        const both = await updated(id, outs as UserOutputs, {
            username: "moto-sms",
            password,
            attributes,
            mfa: { totp: true, sms: true, preferred: "sms" },
        });
        assert.ok(both.totpSecret, "TOTP enrolled while SMS stays preferred");
        assert.deepEqual(both.mfa, { totp: true, sms: true, preferred: "sms" });
        assert.deepEqual((await storedMfa("moto-sms")).preferred, "SMS_MFA");

        await updated(id, both, { username: "moto-sms", password, attributes, mfa: { sms: false } });
        assert.deepEqual((await storedMfa("moto-sms")).list, []);
    });

    it("a pool with MFA OFF (moto's default) fails with VALIDATION_ERROR before any write", async function () {
        const plain = await createMotoPool(moto, pool.region);
        const inputs = (
            await handlers.check(
                {},
                {
                    region: plain.region,
                    endpoint: moto.endpoint,
                    userPoolId: plain.id,
                    clientId: plain.clientId,
                    username: "never",
                    generatePassword: true,
                    mfa: { totp: true },
                },
            )
        ).inputs as unknown as UserInputs;
        const error = await expectError(() => handlers.create(inputs));
        assert.equal(error.code, "VALIDATION_ERROR");
        assert.match(error.message, /OPTIONAL/);
        assert.deepEqual(await listPoolUsers(client(), plain.id), []);
    });

    it("a batch enrols its users' tokens through the batch's clientId and records the secrets in the secret map", async function () {
        const p1 = goodPassword();
        const raw = {
            region: pool.region,
            endpoint: moto.endpoint,
            userPoolId: pool.id,
            clientId: pool.clientId,
            rates: UNPACED_RATES,
            batchName: "mfa-batch",
            declaredUsers: [
                { username: "batch-totp-1", mfa: { totp: true } },
                { username: "batch-totp-2", generatePassword: true, mfa: { totp: true } },
                { username: "batch-plain", generatePassword: true },
            ],
            userPasswords: { "batch-totp-1": { password: p1 } },
        };
        const result = await batchHandlers.check({}, raw);
        assert.deepEqual(result.failures ?? [], []);
        const { id, outs } = await batchHandlers.create(result.inputs as unknown as BatchInputs);
        const batch = outs as BatchOutputs;
        assert.deepEqual(Object.keys(batch.totpSecrets ?? {}).sort(), ["batch-totp-1", "batch-totp-2"]);
        assert.deepEqual(batch.users["batch-totp-1"].mfa, { totp: true, sms: false, preferred: "totp" });
        assert.equal(batch.users["batch-plain"].mfa, undefined);
        const code = { secret: batch.totpSecrets!["batch-totp-1"] };
        assert.equal((await signInWithTotp(client(), admin(), "batch-totp-1", p1, code)).result, "SIGNED_IN");
        assert.equal(
            (
                await signInWithTotp(client(), admin(), "batch-totp-2", batch.passwords["batch-totp-2"], {
                    secret: batch.totpSecrets!["batch-totp-2"],
                })
            ).result,
            "SIGNED_IN",
        );

        // Refresh keeps the secrets; a second plan is empty.
        const read = (await batchHandlers.read(id, batch)).props as BatchOutputs;
        assert.deepEqual(read.totpSecrets, batch.totpSecrets);
        // Read in pages (forced; three users are read one by one by cost), the MFA users with AdminGetUser: the same state.
        process.env[READ_WAY_VARIABLE] = "pages";
        try {
            assert.deepEqual((await batchHandlers.read(id, batch)).props, read);
        } finally {
            delete process.env[READ_WAY_VARIABLE];
        }
        assert.equal((await batchHandlers.diff(id, read, result.inputs as unknown as BatchInputs)).changes, false);
        await batchHandlers.remove(id, read);
    });
});
