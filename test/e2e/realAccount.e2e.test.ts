/**
 * Safe in a real account, through the real Pulumi CLI against the stricter embedded Cognito (moto's
 * server: pools per Region, password policies enforced). Each case is a way a user could be lost, taken
 * over or re-pointed, or a password printed; each asserts on what is really in Cognito and in the state.
 */
import * as assert from "node:assert/strict";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    CognitoIdentityProviderClient,
    DeleteGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { getStoredUser, startTestCognito, TestCognito } from "../support/cognito";
import { createMotoPool, MotoPool, startMoto, TestMoto } from "../support/moto";
import { assertNoSecrets, assertNoStackTrace, newPassword, outputsOf, TestStack, UserSpec } from "../support/testStack";

/** The policy of the pools here: a weak password is refused by the provider before any write. */
const POLICY = { MinimumLength: 12, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true };

describe("safe in a real account, through the Pulumi CLI against the stricter emulator (e2e)", function () {
    let moto: TestMoto;
    let other: TestCognito;
    let client: CognitoIdentityProviderClient;
    let pool: MotoPool;

    before(async function () {
        await ensurePulumi();
        moto = await startMoto();
        // A second, different Cognito: where a changed AWS_ENDPOINT_URL* would send calls.
        other = await startTestCognito();
        pool = await createMotoPool(moto, "us-east-1", { groups: ["editors", "admins"], passwordPolicy: POLICY });
        client = moto.clientFor("us-east-1");
    });

    after(async function () {
        await moto?.stop();
        await other?.stop();
    });

    /** A stack whose users live in the moto pool; `secrets` go to its config. */
    async function newStack(name: string, secrets: Record<string, string> = {}): Promise<TestStack> {
        const stack = new TestStack(name, moto);
        await stack.init(secrets);
        return stack;
    }

    async function stored(username: string) {
        return getStoredUser(client, pool.id, username);
    }

    describe("1. the environment never moves or deletes a user", function () {
        let stack: TestStack;
        let ann: UserSpec;
        let sub: string;

        before(async function () {
            stack = await newStack("region");
            ann = { name: "ann", userPoolId: pool.id, username: "ann", generatePassword: true, groups: ["editors"] };
            stack.declare([ann]);
            await stack.up({ env: { AWS_REGION: "us-east-1" } });
            sub = outputsOf((await stack.exportState()).users.get("ann")).sub;
        });

        after(async function () {
            await stack?.dispose();
        });

        it("a changed AWS_REGION or aws:region changes nothing: the Region comes from the pool id", async function () {
            const preview = await stack.run(["preview", "--diff"], { env: { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "eu-west-1" } });
            assert.doesNotMatch(preview.stdout, /replace|delete/i);
            await stack.run(["config", "set", "aws:region", "eu-west-1"]);
            await stack.up({ env: { AWS_REGION: "eu-west-1" } });
            assert.equal((await stored("ann"))?.attributes.sub, sub, "the same user, never replaced");
            assert.equal(outputsOf((await stack.exportState()).users.get("ann")).sub, sub);
            await stack.run(["config", "set", "aws:region", "us-east-1"]);
        });

        it("an endpoint from AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER that does not hold the user fails the update and moves nothing", async function () {
            await stack.run(["config", "rm", "cognito-user:endpoint"]);
            try {
                const env = { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: other.endpoint, AWS_ENDPOINT_URL: other.endpoint };
                const failed = await stack.up({ env, allowFailure: true });
                assert.notEqual(failed.code, 0);
                assert.match(failed.stdout + failed.stderr, /\[NOT_FOUND\][^\n]*does not hold it/);
                assertNoStackTrace(failed);
                assert.equal((await stored("ann"))?.attributes.sub, sub, "the user is still where it was created");
                const state = await stack.exportState();
                assert.equal(
                    (outputsOf(state.users.get("ann")) as { endpoint?: string }).endpoint,
                    moto.endpoint,
                    "the recorded endpoint stays",
                );

                // Refresh reads at the recorded endpoint whatever the environment says.
                await stack.run(["refresh", "--yes", "--skip-preview"], { env });
                assert.equal(outputsOf((await stack.exportState()).users.get("ann")).sub, sub);
            } finally {
                await stack.run(["config", "set", "cognito-user:endpoint", moto.endpoint]);
            }
            const again = await stack.run(["preview", "--diff"]);
            assert.doesNotMatch(again.stdout, /[~+-]\s*pulumi-nodejs:dynamic/);
        });
    });

    describe("2. a failed update leaves no change the state does not know", function () {
        let stack: TestStack;
        const secrets = { good: newPassword(), weak: "weakpass" };
        let bea: UserSpec;

        before(async function () {
            stack = await newStack("update", secrets);
            bea = {
                name: "bea",
                userPoolId: pool.id,
                username: "bea",
                attributes: { given_name: "Bea" },
                passwordKey: "good",
                groups: ["editors"],
            };
            stack.declare([bea]);
            await stack.up();
        });

        after(async function () {
            await stack?.dispose();
            assertNoSecrets(stack.transcript.join("\n"), { good: secrets.good }, "the CLI output");
        });

        it("a password the pool's policy refuses fails before any write, naming the rule", async function () {
            stack.declare([{ ...bea, attributes: { given_name: "Bea-2" }, groups: ["editors", "admins"], passwordKey: "weak" }]);
            const failed = await stack.up({ allowFailure: true });
            assert.notEqual(failed.code, 0);
            assert.match(
                failed.stdout + failed.stderr,
                /\[VALIDATION_ERROR\][^\n]*does not meet the pool's password policy \(shorter than 12 characters/,
            );
            assertNoStackTrace(failed);
            const user = (await stored("bea"))!;
            assert.equal(user.attributes.given_name, "Bea", "nothing was written");
            assert.deepEqual(user.groups, ["editors"]);

            stack.declare([bea]);
            const preview = await stack.run(["preview", "--diff"]);
            assert.doesNotMatch(preview.stdout, /[~+-]\s*pulumi-nodejs:dynamic/, "the old declaration is what Cognito holds");
        });

        it("a step failing midway records what was applied: the next up converges without a refresh", async function () {
            await moto.clientFor("us-east-1").send(new DeleteGroupCommand({ UserPoolId: pool.id, GroupName: "admins" }));
            stack.declare([{ ...bea, attributes: { given_name: "Bea-3" }, groups: ["editors", "admins"] }]);
            const failed = await stack.up({ allowFailure: true });
            assert.notEqual(failed.code, 0);
            assert.match(failed.stdout + failed.stderr, /AdminAddUserToGroup\(admins\)/);
            assert.equal((await stored("bea"))!.attributes.given_name, "Bea-3", "the attributes were written before the failure");

            // The old declaration again: the state knows given_name changed, so this up writes it back.
            stack.declare([bea]);
            await stack.up();
            assert.equal((await stored("bea"))!.attributes.given_name, "Bea");
            assert.deepEqual((await stored("bea"))!.groups, ["editors"]);
        });
    });

    describe("3. refresh and destroy never re-point to another user", function () {
        it("a user deleted out of band whose email another user now has: refresh drops it, destroy leaves the other user", async function () {
            const stack = await newStack("repoint");
            try {
                stack.declare([
                    { name: "ann", userPoolId: pool.id, username: "ann@example.com", attributes: { email: "ann@example.com" } },
                ]);
                await stack.up();
                await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: "ann@example.com" }));
                await client.send(
                    new AdminCreateUserCommand({
                        UserPoolId: pool.id,
                        Username: "other",
                        UserAttributes: [{ Name: "email", Value: "ann@example.com" }],
                        MessageAction: "SUPPRESS",
                    }),
                );
                await stack.run(["refresh", "--yes", "--skip-preview"]);
                assert.equal((await stack.exportState()).users.size, 0, "the gone user is dropped, not re-pointed");
                await stack.run(["destroy", "--yes", "--skip-preview"]);
                assert.ok(await stored("other"), "the other user is untouched");
            } finally {
                await stack.dispose();
                await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: "other" })).catch(() => undefined);
            }
        });
    });

    describe("4. no check failure prints a password", function () {
        it("pulumi.secret passwords that fail check (two kinds, or too long) never appear in the output", async function () {
            const stack = await newStack("check");
            const both = newPassword();
            const long = `Aa1!${"x".repeat(266)}`;
            try {
                for (const spec of [
                    { name: "two", userPoolId: pool.id, username: "two", password: both, temporaryPassword: both },
                    { name: "long", userPoolId: pool.id, username: "long", password: long },
                ]) {
                    stack.declare([spec]);
                    const failed = await stack.run(["preview"], { allowFailure: true });
                    assert.notEqual(failed.code, 0);
                    assert.match(failed.stdout + failed.stderr, /password/);
                    assertNoSecrets(failed.stdout + failed.stderr, { password: spec.password }, `preview of ${spec.name}`);
                }
                assert.equal(
                    await client.send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: "two" })).then(
                        () => true,
                        () => false,
                    ),
                    false,
                );
            } finally {
                await stack.dispose();
            }
        });
    });
});
