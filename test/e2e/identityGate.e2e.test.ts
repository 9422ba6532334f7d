/**
 * The identity gate, through the real Pulumi CLI against moto's server (the embedded Cognito that has
 * AWS accounts: one store per account, STS): no write reaches a user the provider cannot prove is its
 * own, whichever path writes; and a pool that cannot be found is "gone" only when the caller proves to
 * act in the account recorded at create. Each case asserts on what is really in Cognito and in the state.
 */
import * as assert from "node:assert/strict";
import { CognitoIdentityProviderClient, DeleteUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { adminSignIn, getStoredUser, replaceUser } from "../support/cognito";
import { createMotoPool, MotoPool, startMoto, TestMoto } from "../support/moto";
import {
    assertNoSecrets,
    assertNoStackTrace,
    credentials,
    newPassword,
    outputsOf,
    TestStack,
    USERS_AND_BATCH_PROGRAM,
} from "../support/testStack";
import { decodeOutputs } from "../../provider/batch/wire";

const BATCH_TYPE = "pulumi-nodejs:dynamic/cognito:CognitoUserBatch";

/** The account moto puts every request signed with unknown keys in, and the one assumed roles act in. */
const HOME_ACCOUNT = "123456789012";
const OTHER_ACCOUNT = "111111111111";

describe("the identity gate, through the Pulumi CLI against moto (e2e)", function () {
    let moto: TestMoto;
    let client: CognitoIdentityProviderClient;

    before(async function () {
        await ensurePulumi();
        moto = await startMoto();
        client = moto.clientFor("us-east-1");
    });
    after(async function () {
        await moto?.stop();
    });

    async function newStack(name: string, secrets: Record<string, string> = {}): Promise<TestStack> {
        const stack = new TestStack(name, moto, USERS_AND_BATCH_PROGRAM);
        await stack.init(secrets);
        return stack;
    }

    function declareBatch(stack: TestStack, poolId: string, users: Array<Record<string, unknown>>): void {
        stack.declareBatch({ userPoolId: poolId, users, defaults: { generatePassword: true } });
    }

    async function batchOutputs(stack: TestStack): Promise<{ users: Record<string, { sub: string }>; accountId?: string }> {
        const batch = (await stack.exportState()).resources.find((r) => r.type === BATCH_TYPE);
        return (batch ? decodeOutputs(batch.outputs ?? {}) : { users: {} }) as never;
    }

    /** Deletes `username` and makes another user of that name: a stranger with their own password and given_name. */
    async function takeOver(poolId: string, username: string, password: string): Promise<void> {
        await replaceUser(client, poolId, username, { username, attributes: { given_name: "Stranger" }, password });
    }

    describe("1. a username taken over by someone else is never written to", function () {
        let stack: TestStack;
        let pool: MotoPool;
        const secrets = { mine: newPassword(), mine2: newPassword() };
        const strangerPassword = newPassword();
        const batchUsers = (givenName: string, groups: string[]) =>
            Array.from({ length: 12 }, (_, i) => ({ username: `b${i}`, attributes: { given_name: `${givenName}${i}` }, groups }));
        let tinaSub: string;
        let b2Sub: string;

        before(async function () {
            pool = await createMotoPool(moto, "us-east-1", { groups: ["viewers", "admins"] });
            stack = await newStack("takeover", secrets);
            const tina = {
                name: "tina",
                userPoolId: pool.id,
                username: "tina",
                attributes: { given_name: "A" },
                groups: ["viewers"],
                passwordKey: "mine",
            };
            stack.declare([tina]);
            declareBatch(stack, pool.id, batchUsers("A", ["viewers"]));
            await stack.up();
            tinaSub = outputsOf((await stack.exportState()).users.get("tina")).sub;
            b2Sub = (await batchOutputs(stack)).users.b2.sub;
            await takeOver(pool.id, "tina", strangerPassword);
            await takeOver(pool.id, "b2", strangerPassword);
        });
        after(async function () {
            await stack?.dispose();
            assertNoSecrets(stack.transcript.join("\n"), { ...secrets, strangerPassword }, "the CLI output");
        });

        it("an up that changes attributes, groups and password fails for them, naming the URN and both subs; the strangers are untouched", async function () {
            stack.declare([
                {
                    name: "tina",
                    userPoolId: pool.id,
                    username: "tina",
                    attributes: { given_name: "B" },
                    groups: ["admins"],
                    passwordKey: "mine2",
                },
            ]);
            declareBatch(stack, pool.id, batchUsers("B", ["admins"]));
            const failed = await stack.up({ allowFailure: true });
            const output = failed.stdout + failed.stderr;
            assert.notEqual(failed.code, 0);
            assertNoStackTrace(failed);
            const tinaUrn = (await stack.exportState()).users.get("tina")!.urn;
            const tinaError = output.split("\n").find((line) => line.includes("[IDENTITY_MISMATCH]") && line.includes(`"tina"`));
            assert.ok(tinaError, `no IDENTITY_MISMATCH for tina in:\n${output}`);
            for (const part of [tinaUrn, tinaSub, "pulumi state delete", "pulumi refresh"])
                assert.ok(tinaError.includes(part), `tina's error lacks ${part}`);
            assert.match(output, new RegExp(`\\[IDENTITY_MISMATCH\\][^\\n]*"b2"[^\\n]*sub ${b2Sub}`));

            for (const username of ["tina", "b2"]) {
                const stranger = (await getStoredUser(client, pool.id, username))!;
                assert.equal(stranger.attributes.given_name, "Stranger", `${username}'s attributes were written`);
                assert.deepEqual(stranger.groups, [], `${username} was put in a group`);
                assert.equal(await adminSignIn(client, pool, username, strangerPassword), "SIGNED_IN", `${username}'s password was reset`);
            }
            // The batch's other users were proven and updated.
            assert.equal((await getStoredUser(client, pool.id, "b3"))!.attributes.given_name, "B3");
            assert.deepEqual((await getStoredUser(client, pool.id, "b3"))!.groups, ["admins"]);
        });

        it("refresh drops the taken-over users with a warning saying so, and the next destroy leaves the strangers", async function () {
            const refreshed = await stack.run(["refresh", "--yes", "--skip-preview"]);
            assert.match(refreshed.stdout + refreshed.stderr, /the username tina now belongs to another user/);
            const state = await stack.exportState();
            assert.equal(state.users.get("tina"), undefined, "tina is dropped from the state");
            assert.deepEqual(
                Object.keys((await batchOutputs(stack)).users).sort(),
                batchUsers("B", [])
                    .map((u) => u.username)
                    .filter((u) => u !== "b2")
                    .sort(),
            );
            await stack.run(["destroy", "--yes", "--skip-preview"]);
            assert.ok(await getStoredUser(client, pool.id, "tina"), "the stranger tina remains");
            assert.ok(await getStoredUser(client, pool.id, "b2"), "the stranger b2 remains");
            assert.equal(await getStoredUser(client, pool.id, "b3"), undefined);
        });
    });

    describe("2. another account's credentials: refresh and destroy fail, forgetting nothing", function () {
        let stack: TestStack;
        let pool: MotoPool;
        let otherAccount: NodeJS.ProcessEnv;

        before(async function () {
            pool = await createMotoPool(moto, "us-east-1", { groups: ["viewers"] });
            stack = await newStack("account");
            stack.declare([{ name: "ann", userPoolId: pool.id, username: "ann", generatePassword: true }]);
            declareBatch(stack, pool.id, [{ username: "c1" }, { username: "c2" }]);
            await stack.up();
            // Credentials of another account: moto's STS maps an assumed role to the account in its ARN.
            const sts = new STSClient({
                region: "us-east-1",
                endpoint: moto.endpoint,
                credentials: { accessKeyId: credentials.AWS_ACCESS_KEY_ID, secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY },
            });
            const role = await sts.send(
                new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/any`, RoleSessionName: "e2e" }),
            );
            sts.destroy();
            otherAccount = {
                AWS_ACCESS_KEY_ID: role.Credentials!.AccessKeyId,
                AWS_SECRET_ACCESS_KEY: role.Credentials!.SecretAccessKey,
                AWS_SESSION_TOKEN: role.Credentials!.SessionToken,
            };
        });
        after(async function () {
            await stack?.dispose();
        });

        it("records the account that holds the pool", async function () {
            assert.equal((outputsOf((await stack.exportState()).users.get("ann")) as { accountId?: string }).accountId, HOME_ACCOUNT);
            assert.equal((await batchOutputs(stack)).accountId, HOME_ACCOUNT);
        });

        for (const command of [["refresh"], ["destroy"]]) {
            it(`${command[0]} with another account's credentials fails naming both accounts; the users stay in Cognito and in the state`, async function () {
                const failed = await stack.run([...command, "--yes", "--skip-preview"], { env: otherAccount, allowFailure: true });
                assert.notEqual(failed.code, 0);
                assertNoStackTrace(failed);
                const output = failed.stdout + failed.stderr;
                assert.match(
                    output,
                    new RegExp(
                        `\\[NOT_FOUND\\][^\\n]*created in AWS account ${HOME_ACCOUNT}, and these credentials act in account ${OTHER_ACCOUNT}`,
                    ),
                );
                assert.ok((await stack.exportState()).users.get("ann"), "ann stays in the state");
                assert.deepEqual(Object.keys((await batchOutputs(stack)).users).sort(), ["c1", "c2"]);
                for (const username of ["ann", "c1", "c2"])
                    assert.ok(await getStoredUser(client, pool.id, username), `${username} stays in Cognito`);
            });
        }

        it("destroy with the right credentials then removes them", async function () {
            await stack.run(["destroy", "--yes", "--skip-preview"]);
            for (const username of ["ann", "c1", "c2"]) assert.equal(await getStoredUser(client, pool.id, username), undefined);
            assert.equal((await stack.exportState()).resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")).length, 0);
        });
    });

    describe("3. a pool deleted out of band", function () {
        it("destroy proves the account, takes the users for gone with their pool, and empties the state", async function () {
            const pool = await createMotoPool(moto, "us-east-1", { groups: ["viewers"] });
            const stack = await newStack("poolgone");
            try {
                stack.declare([{ name: "dee", userPoolId: pool.id, username: "dee", generatePassword: true }]);
                declareBatch(stack, pool.id, [{ username: "d1" }, { username: "d2" }]);
                await stack.up();
                await client.send(new DeleteUserPoolCommand({ UserPoolId: pool.id }));
                await stack.run(["destroy", "--yes", "--skip-preview"]);
                assert.equal((await stack.exportState()).resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")).length, 0);
            } finally {
                await stack.dispose();
            }
        });
    });
});
