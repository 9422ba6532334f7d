/**
 * A user declared with `mfa: { totp: true }` through the real Pulumi CLI, against cognito-local: after
 * `pulumi up` it signs in only with the TOTP code computed from its `totpSecret` output; the secret and
 * the otpauth:// URI are secrets in the state and never printed; a second `up` and a refresh change
 * nothing; `mfa: { totp: false }` turns it off; bad input fails in check without printing a password;
 * destroy leaves the pool empty.
 */
import * as assert from "node:assert/strict";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { createTestPool, listPoolUsers, startTestCognito, TestCognito, TestPool } from "../support/cognito";
import { enablePoolMfa, signInWithTotp, wrongCode } from "../support/mfa";
import { assertNoSecrets, assertNoStackTrace, newPassword, TestStack, UserSpec } from "../support/testStack";

/** The users program of test/support/testStack.ts, also exporting the MFA outputs. */
const MFA_PROGRAM = `
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CognitoUser } from "pulumi-cognito-user";

const config = new pulumi.Config();
const specs = JSON.parse(fs.readFileSync(path.join(__dirname, "users.json"), "utf8"));
export const users: Record<string, unknown> = {};
for (const { name, passwordKey, temporaryPasswordKey, ...args } of specs) {
    const user = new CognitoUser(name, {
        ...args,
        password: passwordKey ? config.requireSecret(passwordKey) : undefined,
        temporaryPassword: temporaryPasswordKey ? config.requireSecret(temporaryPasswordKey) : undefined,
    });
    users[name] = { cognitoUsername: user.cognitoUsername, mfa: user.mfa, totpSecret: user.totpSecret, totpUri: user.totpUri };
}
`;

describe("MFA through the Pulumi CLI (e2e)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let stack: TestStack;
    const secrets = { otpPassword: newPassword(), tempPassword: newPassword() };
    const known: Record<string, string> = { ...secrets };
    let otp: UserSpec & { clientId: string; mfa: { totp: boolean } };

    before(async function () {
        await ensurePulumi();
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, {
            authFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        });
        await enablePoolMfa(cognito.client, pool.id);
        stack = new TestStack("mfa", cognito, MFA_PROGRAM);
        await stack.init(secrets);
        otp = {
            name: "otp",
            userPoolId: pool.id,
            username: "otp-user",
            passwordKey: "otpPassword",
            clientId: pool.clientId,
            mfa: { totp: true },
        };
    });

    after(async function () {
        await stack?.dispose();
        await cognito?.stop();
    });

    const app = () => ({ userPoolId: pool.id, clientId: pool.clientId });
    async function totpOutputs(): Promise<{ totpSecret: string; totpUri: string; mfa: unknown }> {
        const outputs = await stack.secretOutputs();
        return (outputs.users as Record<string, { totpSecret: string; totpUri: string; mfa: unknown }>).otp;
    }

    it("pulumi up enrols the token: the user signs in only with the code computed from its totpSecret output", async function () {
        stack.declare([otp]);
        const up = await stack.up();
        assertNoStackTrace(up);
        const { totpSecret, totpUri, mfa } = await totpOutputs();
        known.totpSecret = totpSecret;
        known.totpUri = totpUri;
        assert.deepEqual(mfa, { totp: true, sms: false, preferred: "totp" });
        assert.match(totpUri, /^otpauth:\/\/totp\//);

        assert.equal((await signInWithTotp(cognito.client, app(), "otp-user", secrets.otpPassword)).result, "SOFTWARE_TOKEN_MFA");
        assert.equal(
            (await signInWithTotp(cognito.client, app(), "otp-user", secrets.otpPassword, { code: wrongCode(totpSecret) })).result,
            "CODE_REFUSED",
        );
        assert.equal(
            (await signInWithTotp(cognito.client, app(), "otp-user", secrets.otpPassword, { secret: totpSecret })).result,
            "SIGNED_IN",
        );
    });

    it("keeps totpSecret and totpUri secret: encrypted in the state, never printed", async function () {
        const state = await stack.exportState();
        const outputs = state.users.get("otp")!.outputs!;
        for (const key of ["totpSecret", "totpUri", "password"]) {
            assert.equal(
                (outputs[key] as Record<string, unknown>)?.["4dabf18193072939515e22adb298388d"],
                "1b47061264138c4ac30d75fd1eb44270",
                `${key} is a secret`,
            );
        }
        assertNoSecrets(state.raw, { totpSecret: known.totpSecret, totpUri: known.totpUri, otpPassword: secrets.otpPassword }, "the state");
        const plain = await stack.run(["stack", "output", "--json"]);
        assert.match(plain.stdout, /\[secret\]/);
        assertNoSecrets(stack.transcript.join("\n"), known, "the CLI output");
    });

    it("a second pulumi up and a refresh change nothing", async function () {
        const preview = await stack.run(["preview", "--diff", "--expect-no-changes"]);
        assertNoStackTrace(preview);
        const refresh = await stack.run(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
        assertNoStackTrace(refresh);
        assert.equal((await totpOutputs()).totpSecret, known.totpSecret, "the secret survives a refresh");
    });

    it("check refuses MFA with a temporary password before any call, without printing it", async function () {
        stack.declare([
            otp,
            {
                name: "temp",
                userPoolId: pool.id,
                username: "temp-user",
                temporaryPasswordKey: "tempPassword",
                clientId: pool.clientId,
                mfa: { totp: true },
            } as UserSpec,
        ]);
        const preview = await stack.run(["preview"], { allowFailure: true });
        assert.notEqual(preview.code, 0);
        assert.match(preview.stdout + preview.stderr, /MFA needs a permanent password/);
        assertNoSecrets(preview.stdout + preview.stderr, { tempPassword: secrets.tempPassword }, "the preview");
        stack.declare([otp]);
    });

    it("mfa: { totp: false } turns it off: the password alone signs in again", async function () {
        stack.declare([{ ...otp, mfa: { totp: false } } as UserSpec]);
        await stack.up();
        const { totpSecret, mfa } = await totpOutputs();
        assert.equal(totpSecret ?? undefined, undefined, "no secret while TOTP is off");
        assert.deepEqual(mfa, { totp: false, sms: false });
        assert.equal((await signInWithTotp(cognito.client, app(), "otp-user", secrets.otpPassword)).result, "SIGNED_IN");
    });

    it("destroy leaves the pool empty, and nothing secret was ever printed", async function () {
        await stack.run(["destroy", "--yes", "--skip-preview"]);
        assert.deepEqual(await listPoolUsers(cognito.client, pool.id), []);
        assertNoSecrets(stack.transcript.join("\n"), known, "the CLI output");
    });
});
