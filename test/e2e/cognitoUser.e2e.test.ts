/**
 * End to end through the real Pulumi CLI: TypeScript programs importing `pulumi-cognito-user` as users do,
 * run by `pulumi up / preview / refresh / destroy` against a cognito-local this suite starts, with a file
 * backend in a temporary folder. Assertions read Cognito itself (SDK) and `pulumi stack export`.
 *
 * One stack is shared by the ordered lifecycle cases (each `pulumi up` costs seconds): its program
 * declares the users listed in users.json, which each case rewrites.
 */
import * as assert from "node:assert/strict";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminUpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { createTestPool, getStoredUser, listPoolUsers, signIn, startTestCognito, TestCognito, TestPool } from "../support/cognito";
import { isRunning, killProcessTree } from "../support/processTree";
import {
    assertNoSecrets,
    assertNoStackTrace,
    credentials,
    newPassword,
    outputsOf,
    TestStack,
    USER_TYPE,
    UserSpec,
} from "../support/testStack";

describe("CognitoUser through the Pulumi CLI (e2e)", function () {
    let cognito: TestCognito;

    before(async function () {
        await ensurePulumi();
        cognito = await startTestCognito();
    });

    after(async function () {
        await cognito?.stop();
    });

    describe("one stack through its lifecycle", function () {
        let stack: TestStack;
        let poolA: TestPool;
        let poolB: TestPool;
        let emailPool: TestPool;
        const secrets = { alicePassword: newPassword(), bobTemporaryPassword: newPassword() };
        /** Every password the stack knows, generated ones included once read. */
        const allPasswords: Record<string, string> = { ...secrets };
        /** Subs recorded by earlier cases, to tell an update (same sub) from a replacement. */
        const subs: Record<string, string> = {};

        let alice: UserSpec, bob: UserSpec, carol: UserSpec, dave: UserSpec;
        const declared = () => [alice, bob, carol, dave];

        before(async function () {
            poolA = await createTestPool(cognito.client, { groups: ["admins", "editors"] });
            poolB = await createTestPool(cognito.client, { groups: ["editors"] });
            emailPool = await createTestPool(cognito.client, { emailAsUsername: true });
            alice = {
                name: "alice",
                userPoolId: poolA.id,
                username: "alice",
                attributes: { email: "alice@example.com", email_verified: "true", given_name: "Alice" },
                passwordKey: "alicePassword",
                groups: ["admins"],
            };
            bob = {
                name: "bob",
                userPoolId: poolA.id,
                username: "bob",
                attributes: { given_name: "Bob" },
                temporaryPasswordKey: "bobTemporaryPassword",
            };
            carol = {
                name: "carol",
                userPoolId: emailPool.id,
                username: "carol@example.com",
                attributes: { email: "carol@example.com", email_verified: "true" },
                generatePassword: true,
            };
            dave = {
                name: "dave",
                userPoolId: poolA.id,
                username: "dave",
                attributes: { family_name: "Davis" },
                enabled: false,
                groups: ["editors"],
            };
            stack = new TestStack("lifecycle", cognito);
            await stack.init(secrets);
        });

        after(async function () {
            await stack?.dispose();
        });

        it("1. up creates every user; preview --expect-no-changes right after passes", async function () {
            stack.declare(declared());
            const up = await stack.up();
            assert.match(up.stdout, /\+ 5 created/); // the stack and four users
            assertNoStackTrace(up);

            const state = await stack.exportState();
            assert.deepEqual([...state.users.keys()].sort(), ["alice", "bob", "carol", "dave"]);
            for (const [name, resource] of state.users) {
                const outs = outputsOf(resource);
                const stored = await getStoredUser(cognito.client, outs.userPoolId, outs.cognitoUsername);
                assert.ok(stored, `${name} exists in Cognito`);
                assert.equal(stored.attributes.sub, outs.sub, `${name}: the state records Cognito's sub`);
                assert.equal(resource.id, `${outs.userPoolId}/${outs.cognitoUsername}`);
                subs[name] = outs.sub;
            }

            const a = (await getStoredUser(cognito.client, poolA.id, "alice"))!;
            assert.equal(a.status, "CONFIRMED");
            assert.equal(a.enabled, true);
            assert.deepEqual(a.groups, ["admins"]);
            assert.equal(a.attributes.given_name, "Alice");
            assert.equal(a.attributes.email_verified, "true");
            assert.equal(await signIn(cognito.client, poolA, "alice", secrets.alicePassword), "SIGNED_IN");

            const b = (await getStoredUser(cognito.client, poolA.id, "bob"))!;
            assert.equal(b.status, "FORCE_CHANGE_PASSWORD");
            assert.equal(await signIn(cognito.client, poolA, "bob", secrets.bobTemporaryPassword), "NEW_PASSWORD_REQUIRED");

            const carolOuts = outputsOf(state.users.get("carol"));
            assert.equal(carolOuts.cognitoUsername, carolOuts.sub, "email-as-username pool: Cognito's Username is the sub");
            const c = (await getStoredUser(cognito.client, emailPool.id, carolOuts.cognitoUsername))!;
            assert.equal(c.status, "CONFIRMED");
            assert.equal(c.attributes.email, "carol@example.com");
            const outputs = await stack.secretOutputs();
            const carolPassword = outputs.passwords.carol as string;
            assert.equal(typeof carolPassword, "string", "the generated password is a stack output");
            allPasswords.carolGeneratedPassword = carolPassword;
            assert.equal(await signIn(cognito.client, emailPool, "carol@example.com", carolPassword), "SIGNED_IN");

            const d = (await getStoredUser(cognito.client, poolA.id, "dave"))!;
            assert.equal(d.enabled, false);
            assert.deepEqual(d.groups, ["editors"]);
            assert.equal(d.attributes.family_name, "Davis");

            const preview = await stack.run(["preview", "--expect-no-changes"]);
            assert.match(preview.stdout, /5 unchanged/);
        });

        it("2. an attribute change updates the user in place (same sub)", async function () {
            alice = { ...alice, attributes: { ...alice.attributes, given_name: "Alicia" } };
            stack.declare(declared());
            const up = await stack.up();
            assert.match(up.stdout, /~ 1 updated/);
            assert.doesNotMatch(up.stdout, /replaced|created|deleted/);

            const a = (await getStoredUser(cognito.client, poolA.id, "alice"))!;
            assert.equal(a.attributes.given_name, "Alicia");
            assert.equal(a.attributes.sub, subs.alice, "the same user, not a new one");
            const outs = outputsOf((await stack.exportState()).users.get("alice"));
            assert.equal(outs.sub, subs.alice);
            assert.equal(outs.attributes.given_name, "Alicia");
            assert.equal(await signIn(cognito.client, poolA, "alice", secrets.alicePassword), "SIGNED_IN", "the password is untouched");
        });

        it("3. a username change replaces the user; a pool change replaces it in the second pool", async function () {
            bob = { ...bob, username: "robert" };
            dave = { ...dave, userPoolId: poolB.id };
            stack.declare(declared());
            const up = await stack.up();
            assert.match(up.stdout, /\+-2 replaced/);

            assert.equal(await getStoredUser(cognito.client, poolA.id, "bob"), undefined, "the old username is gone");
            const robert = (await getStoredUser(cognito.client, poolA.id, "robert"))!;
            assert.ok(robert, "the new username exists");
            assert.notEqual(robert.attributes.sub, subs.bob, "a new user");
            assert.equal(robert.status, "FORCE_CHANGE_PASSWORD");

            assert.equal(await getStoredUser(cognito.client, poolA.id, "dave"), undefined, "gone from the first pool");
            const movedDave = (await getStoredUser(cognito.client, poolB.id, "dave"))!;
            assert.ok(movedDave, "dave exists in the second pool");
            assert.equal(movedDave.enabled, false);
            assert.deepEqual(movedDave.groups, ["editors"]);

            const state = await stack.exportState();
            assert.equal(state.users.get("bob")!.id, `${poolA.id}/robert`);
            assert.equal(state.users.get("dave")!.id, `${poolB.id}/dave`);
            assert.equal(outputsOf(state.users.get("dave")).sub, movedDave.attributes.sub);
        });

        it("4. a user deleted behind our back: refresh drops it from the state, up recreates it", async function () {
            await cognito.client.send(new AdminDeleteUserCommand({ UserPoolId: poolA.id, Username: "alice" }));
            await stack.run(["refresh", "--yes", "--skip-preview"]);
            const refreshed = await stack.exportState();
            assert.equal(refreshed.users.has("alice"), false, "refresh dropped the deleted user");
            assert.deepEqual([...refreshed.users.keys()].sort(), ["bob", "carol", "dave"]);

            const up = await stack.up();
            assert.match(up.stdout, /\+ 1 created/);
            const a = (await getStoredUser(cognito.client, poolA.id, "alice"))!;
            assert.ok(a, "alice exists again");
            assert.deepEqual(a.groups, ["admins"]);
            assert.equal(a.attributes.given_name, "Alicia");
            assert.equal(await signIn(cognito.client, poolA, "alice", secrets.alicePassword), "SIGNED_IN");
            const outs = outputsOf((await stack.exportState()).users.get("alice"));
            assert.equal(outs.sub, a.attributes.sub);
            subs.alice = a.attributes.sub;
        });

        it("5. an attribute changed behind our back: refresh records the drift, up restores it", async function () {
            await cognito.client.send(
                new AdminUpdateUserAttributesCommand({
                    UserPoolId: poolA.id,
                    Username: "alice",
                    UserAttributes: [{ Name: "given_name", Value: "Mallory" }],
                }),
            );
            await stack.run(["refresh", "--yes", "--skip-preview"]);
            assert.equal(
                outputsOf((await stack.exportState()).users.get("alice")).attributes.given_name,
                "Mallory",
                "the state shows the drifted value",
            );

            const up = await stack.up();
            assert.match(up.stdout, /~ 1 updated/);
            const a = (await getStoredUser(cognito.client, poolA.id, "alice"))!;
            assert.equal(a.attributes.given_name, "Alicia", "Cognito is back to the declared value");
            assert.equal(a.attributes.sub, subs.alice, "restored in place");
            assert.equal(outputsOf((await stack.exportState()).users.get("alice")).attributes.given_name, "Alicia");
        });

        // Made with the SDK, as by hand or by another tool: ivy without the group the program declares.
        const sdkSubs: Record<string, string> = {};
        const ivy = (): UserSpec => ({
            name: "ivy",
            userPoolId: poolA.id,
            username: "ivy",
            attributes: { given_name: "Ivy" },
            groups: ["editors"],
        });
        const jane = (): UserSpec => ({
            name: "jane",
            userPoolId: emailPool.id,
            username: "jane@example.com",
            attributes: { email: "jane@example.com", given_name: "Jane" },
        });
        const kim = (): UserSpec => ({
            name: "kim",
            userPoolId: emailPool.id,
            username: "kim@example.com",
            attributes: { email: "kim@example.com" },
        });
        async function createWithSdk(pool: TestPool, username: string, attributes: Record<string, string>): Promise<string> {
            const r = await cognito.client.send(
                new AdminCreateUserCommand({
                    UserPoolId: pool.id,
                    Username: username,
                    MessageAction: "SUPPRESS",
                    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
                }),
            );
            return r.User!.Attributes!.find((a) => a.Name === "sub")!.Value!;
        }

        it("6. `pulumi import` cannot import into a dynamic provider: it fails in Pulumi's host and changes nothing", async function () {
            sdkSubs.ivy = await createWithSdk(poolA, "ivy", { given_name: "Ivy", family_name: "Ives" });
            sdkSubs.jane = await createWithSdk(emailPool, "jane@example.com", { email: "jane@example.com", given_name: "Janet" });
            sdkSubs.kim = await createWithSdk(emailPool, "kim@example.com", { email: "kim@example.com" });
            // Pulumi's import step sends Read no properties at all, so there is no serialized provider
            // (`__provider`) to run (pulumi/pulumi#16175, #3550). Pulumi's dynamic-provider host fails
            // before any provider code runs: up to 3.248 on `req.getProperties().toJavaScript()`, in
            // 3.276 (which falls back to the empty inputs) on loading the missing provider code.
            const before = await stack.exportState();
            const result = await stack.run(["import", USER_TYPE, "ivy", `${poolA.id}/ivy`, "--yes", "--generate-code=false"], {
                allowFailure: true,
            });
            assert.notEqual(result.code, 0);
            assert.match(
                result.stdout,
                /Preview failed: (Cannot read properties of undefined \(reading 'toJavaScript'\)|code must be a string, not undefined)/,
            );
            const after = await stack.exportState();
            assert.deepEqual([...after.users.keys()].sort(), [...before.users.keys()].sort(), "nothing was imported");
            const stored = (await getStoredUser(cognito.client, poolA.id, "ivy"))!;
            assert.equal(stored.attributes.sub, sdkSubs.ivy);
            assert.deepEqual(stored.groups, [], "Cognito is untouched");
        });

        it("6. the `import` option adopts users by <pool>/<username>, <pool>/<email> and <pool>/<sub>, bringing them to the declared state", async function () {
            stack.declare([
                ...declared(),
                { ...ivy(), import: `${poolA.id}/ivy` },
                { ...jane(), import: `${emailPool.id}/jane@example.com` },
                { ...kim(), import: `${emailPool.id}/${sdkSubs.kim}` },
            ]);
            const up = await stack.up();
            assert.match(up.stdout, /\+ 3 created/); // adopted: the engine shows a create, the provider adopts
            assertNoStackTrace(up);

            const state = await stack.exportState();
            for (const name of ["ivy", "jane", "kim"]) {
                const outs = outputsOf(state.users.get(name));
                assert.equal(outs.sub, sdkSubs[name], `${name} was adopted, not recreated`);
                assert.equal(state.users.get(name)!.id, `${outs.userPoolId}/${outs.cognitoUsername}`);
            }
            assert.equal(outputsOf(state.users.get("jane")).cognitoUsername, sdkSubs.jane, "the canonical Username, not the email");
            assert.equal((await listPoolUsers(cognito.client, poolA.id)).filter((u) => u.Username === "ivy").length, 1, "no second ivy");
            assert.equal((await listPoolUsers(cognito.client, emailPool.id)).length, 3, "carol, jane and kim, no duplicates");
            const storedIvy = (await getStoredUser(cognito.client, poolA.id, "ivy"))!;
            assert.deepEqual(storedIvy.groups, ["editors"], "brought to the declared groups");
            assert.equal(storedIvy.attributes.family_name, "Ives", "an undeclared attribute is left alone");
            const storedJane = (await getStoredUser(cognito.client, emailPool.id, sdkSubs.jane))!;
            assert.equal(storedJane.attributes.given_name, "Jane", "brought to the declared attributes");
            assert.deepEqual(
                outputsOf(state.users.get("ivy")).attributes,
                { given_name: "Ivy" },
                "the state records the declared attributes",
            );

            await stack.run(["preview", "--expect-no-changes"]);
        });

        it("6. after adoption the `import` option can stay or go: nothing changes either way", async function () {
            stack.declare([...declared(), ivy(), jane(), kim()]);
            const preview = await stack.run(["preview", "--expect-no-changes"]);
            assert.match(preview.stdout, /8 unchanged/);
        });

        it("8. the state holds passwords only as ciphertext, and no credential", async function () {
            const state = await stack.exportState();
            assert.ok(allPasswords.carolGeneratedPassword, "case 1 read the generated password");
            assertNoSecrets(state.raw, { ...allPasswords, ...credentials }, "pulumi stack export");
            for (const name of ["alice", "carol"]) {
                const password = state.users.get(name)!.outputs!.password as Record<string, unknown>;
                assert.equal(typeof password.ciphertext, "string", `${name}'s password is stored encrypted`);
            }
            assert.equal(typeof (state.users.get("bob")!.outputs!.temporaryPassword as Record<string, unknown>).ciphertext, "string");
            assert.equal(typeof (state.users.get("alice")!.inputs!.password as Record<string, unknown>).ciphertext, "string");
            assertNoSecrets(stack.transcript.join("\n"), allPasswords, "the CLI output");
        });

        it("7. destroy removes every user from Cognito", async function () {
            const managed = [...(await stack.exportState()).users.values()].map(outputsOf);
            assert.equal(managed.length, 7);
            const destroy = await stack.run(["destroy", "--yes", "--skip-preview"]);
            assert.match(destroy.stdout, /- 8 deleted/);
            for (const user of managed) {
                assert.equal(
                    await getStoredUser(cognito.client, user.userPoolId, user.cognitoUsername),
                    undefined,
                    `${user.cognitoUsername} is gone`,
                );
            }
            for (const pool of [poolA, poolB, emailPool])
                assert.deepEqual(await listPoolUsers(cognito.client, pool.id), [], "no user left in the pool");
            assert.equal((await stack.exportState()).users.size, 0);
            assertNoSecrets(stack.transcript.join("\n"), allPasswords, "the CLI output");
        });
    });

    describe("9. bad input", function () {
        let stack: TestStack;
        let pool: TestPool;
        const goodPassword = newPassword();

        before(async function () {
            pool = await createTestPool(cognito.client, { groups: ["members"] });
            stack = new TestStack("bad-input", cognito);
            await stack.init({ goodPassword });
        });

        after(async function () {
            await stack?.dispose();
        });

        /** Runs `up` expecting it to fail; checks the output shows a message, not a trace, and nothing is left. */
        async function failingUp(users: UserSpec[]): Promise<string> {
            stack.declare(users);
            const up = await stack.up({ allowFailure: true });
            assert.notEqual(up.code, 0, "up fails");
            assertNoStackTrace(up);
            assertNoSecrets(up.stdout + up.stderr, { goodPassword }, "the CLI output");
            assert.deepEqual(await listPoolUsers(cognito.client, pool.id), [], "nothing is left behind in Cognito");
            assert.equal((await stack.exportState()).users.size, 0, "nothing is recorded in the state");
            return up.stdout + up.stderr;
        }

        // The engine stops at the first check failure: one bad user per run.
        it("a missing field: check names the property and the fix, before any Cognito call", async function () {
            const output = await failingUp([{ name: "nameless", userPoolId: pool.id, passwordKey: "goodPassword" }]);
            assert.match(
                output,
                /CognitoUser resource 'nameless': property username value \{<nil>\} has a problem: username is required: 1 to 128 characters, e\.g\. `username: "admin@example\.com"`/,
            );
        });

        it("both password kinds: check says they exclude each other and what to declare instead", async function () {
            const output = await failingUp([
                {
                    name: "twice",
                    userPoolId: pool.id,
                    username: "twice",
                    passwordKey: "goodPassword",
                    temporaryPasswordKey: "goodPassword",
                },
            ]);
            assert.match(
                output,
                // Reported on no property: the engine would print a property's value, in clear for a pulumi.secret.
                /CognitoUser resource 'twice' has a problem: temporaryPassword: password and temporaryPassword exclude each other: declare a permanent password, a temporary password, or generatePassword: true, not several/,
            );
        });

        it("a pool that does not exist: [NOT_FOUND], naming the operation, the user, the pool and where it was looked for", async function () {
            const output = await failingUp([
                { name: "lost", userPoolId: "us-east-1_NoSuchPool1", username: "lost", passwordKey: "goodPassword" },
            ]);
            // A declared password is checked against the pool's policy first: DescribeUserPool meets the missing pool.
            assert.match(
                output,
                /\[NOT_FOUND\] DescribeUserPool failed for user "lost": pool us-east-1_NoSuchPool1 cannot be found at Region us-east-1, endpoint http:\/\/127\.0\.0\.1:\d+, .*\(ResourceNotFoundException\)/,
            );
        });

        it("a group that does not exist: [NOT_FOUND], the half-created user deleted again", async function () {
            const output = await failingUp([
                {
                    name: "grouped",
                    userPoolId: pool.id,
                    username: "grouped",
                    passwordKey: "goodPassword",
                    groups: ["members", "no-such-group"],
                },
            ]);
            assert.match(
                output,
                /\[NOT_FOUND\] creating user "grouped" failed at AdminAddUserToGroup\(no-such-group\); the user was deleted again, nothing is left behind/,
            );
        });

        it("importing a user that does not exist: [NOT_FOUND], nothing created", async function () {
            const output = await failingUp([{ name: "ghost", userPoolId: pool.id, username: "ghost", import: `${pool.id}/ghost` }]);
            assert.match(output, new RegExp(`\\[NOT_FOUND\\] cannot import "${pool.id}/ghost": pool ${pool.id} has no user "ghost"`));
            assert.match(output, /remove the `import` option to create the user/);
        });
    });

    describe("11. interrupted `pulumi up` and its recovery", function () {
        const COUNT = 30;
        let stack: TestStack;
        let pool: TestPool;
        const password = newPassword();
        const users: UserSpec[] = Array.from({ length: COUNT }, (_, i) => {
            const n = String(i + 1).padStart(2, "0");
            return {
                name: `u${n}`,
                userPoolId: "",
                username: `user${n}`,
                attributes: { given_name: `User ${n}` },
                passwordKey: "password",
                groups: ["members"],
            };
        });

        before(async function () {
            pool = await createTestPool(cognito.client, { groups: ["members"] });
            for (const u of users) u.userPoolId = pool.id;
            stack = new TestStack("interrupted", cognito);
            await stack.init({ password });
            stack.declare(users);
        });

        after(async function () {
            await stack?.dispose();
        });

        it("SIGKILL mid-create, then cancel, refresh --clear-pending-creates, up with adoptExisting: every user exactly once, none orphaned", async function () {
            // Kill the CLI and every plugin it started once a few users exist in Cognito.
            let cli: import("node:child_process").ChildProcess | undefined;
            const up = stack.up({ allowFailure: true, onStart: (child) => (cli = child) });
            let killed: number[] = [];
            for (;;) {
                if (cli?.exitCode !== null && cli?.exitCode !== undefined) break;
                if ((await listPoolUsers(cognito.client, pool.id)).length >= 5 && cli?.pid) {
                    killed = killProcessTree(cli.pid);
                    break;
                }
                await new Promise((r) => setTimeout(r, 20));
            }
            const interrupted = await up;
            assert.ok(killed.length > 0, `pulumi up finished before it could be interrupted:\n${interrupted.stdout}`);
            assert.notEqual(interrupted.code, 0);
            // SIGKILL is not instant: wait (bounded) for the processes to die, then insist they did.
            for (let i = 0; i < 500 && killed.some(isRunning); i++) await new Promise((r) => setTimeout(r, 20));
            for (const pid of killed) assert.equal(isRunning(pid), false, `process ${pid} of the killed run still runs`);
            // A kill that lands while the file backend rewrites the checkpoint leaves it cut short ("failed to
            // load checkpoint: EOF"); the backend keeps the previous one beside it, and restoring it is the
            // recovery a user would make. The users it does not list are the ones the recovery below adopts.
            stack.restoreTruncatedCheckpoint();

            const afterKill = await stack.exportState();
            const inCognito = (await listPoolUsers(cognito.client, pool.id)).length;
            assert.ok(afterKill.users.size < COUNT && inCognito < COUNT, "the run was cut short");

            // The killed CLI left its lock: every command refuses until `pulumi cancel`.
            const locked = await stack.run(["refresh", "--yes", "--clear-pending-creates"], { allowFailure: true });
            assert.notEqual(locked.code, 0);
            assert.match(locked.stdout + locked.stderr, /the stack is currently locked by 1 lock\(s\).*`pulumi cancel`/);

            // The recovery the README documents.
            await stack.run(["cancel", "--yes"]);
            await stack.run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"]);
            const refreshed = await stack.exportState();
            assert.deepEqual(refreshed.pendingOperations, [], "no pending operation left");

            // Without adoption, the users created before the kill but never recorded collide.
            if (refreshed.users.size < inCognito) {
                const plain = await stack.up({ allowFailure: true });
                assert.notEqual(plain.code, 0);
                assert.match(
                    plain.stdout,
                    /\[USER_EXISTS\] AdminCreateUser failed for user "user\d+".*this resource did not create it.*\{ import: "[^"]+\/user\d+" \}/,
                );
                assertNoStackTrace(plain);
            }

            await stack.run(["config", "set", "cognito-user:adoptExisting", "true"]);
            const recovered = await stack.up();
            assertNoStackTrace(recovered);

            const state = await stack.exportState();
            assert.deepEqual(state.pendingOperations, []);
            assert.deepEqual(
                [...state.users.keys()].sort(),
                users.map((u) => u.name),
            );
            const stored = await listPoolUsers(cognito.client, pool.id);
            assert.deepEqual(
                stored.map((u) => u.Username).sort(),
                users.map((u) => u.username),
                "every declared user exactly once, and no other",
            );
            const subsInCognito = new Map(stored.map((u) => [u.Username!, u.Attributes!.find((a) => a.Name === "sub")!.Value!]));
            for (const u of users) {
                const outs = outputsOf(state.users.get(u.name));
                assert.equal(outs.sub, subsInCognito.get(u.username!), `${u.name}: the state holds the user Cognito has`);
                const user = (await getStoredUser(cognito.client, pool.id, u.username!))!;
                assert.equal(user.status, "CONFIRMED", `${u.name} has its password`);
                assert.deepEqual(user.groups, ["members"], `${u.name} is in its group`);
            }
            assert.equal(await signIn(cognito.client, pool, "user01", password), "SIGNED_IN");

            // adoptExisting is create-only: switching it off again changes nothing.
            await stack.run(["config", "rm", "cognito-user:adoptExisting"]);
            await stack.run(["preview", "--expect-no-changes"]);

            await stack.run(["destroy", "--yes", "--skip-preview"]);
            assert.deepEqual(await listPoolUsers(cognito.client, pool.id), []);
            assertNoSecrets(stack.transcript.join("\n"), { password }, "the CLI output");
        });
    });
});
