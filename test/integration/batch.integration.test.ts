/**
 * The CognitoUserBatch provider's handlers (check → create → diff → update → read → delete) against
 * the embedded Cognito, asserting on what Cognito really stores and on which requests reached it (a
 * pass-through proxy counts them). Faults real Cognito produces and cognito-local does not —
 * throttling, a rejected attribute — are injected by that proxy; a killed `pulumi up` is a killed child
 * process.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminRemoveUserFromGroupCommand,
    AdminUpdateUserAttributesCommand,
    DeleteUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as handlers from "../support/batchHandlers";
import { BatchOperationError } from "../../provider/batch/errors";
import { BatchInputs, BatchOutputs } from "../../provider/batch/types";
import { passwordPolicyFromCognito, passwordPolicyViolations } from "../../provider/shared/password";
import {
    createTestPool,
    getStoredUser,
    listPoolUsers,
    signIn,
    startTestCognito,
    TestCognito,
    TestPool,
    TEST_PASSWORD_POLICY,
    TEST_REGION,
    UNPACED_RATES,
    replaceUser,
} from "../support/cognito";
import { FaultProxy, startFaultProxy } from "../support/faultProxy";

/** Stands for the serialized provider the dynamic-provider host adds to every input and output. */
const PROVIDER = "exports.handler = () => ({ /* serialized provider */ })";

/** A fresh password meeting the test pools' policy; never printed. */
function newPassword(): string {
    return `Pw1!${randomBytes(12).toString("base64url")}aZ9`;
}

/** Asserts that no secret occurs in the text, without echoing either. */
function assertNoSecret(text: string, secrets: Array<string | undefined>): void {
    for (const secret of secrets) if (secret) assert.ok(!text.includes(secret), "a password appears in the text");
}

/** The usernames a write request (create, update, delete, group change, password) addressed, counted by the proxy's rule. */
function trackWrites(proxy: FaultProxy): Set<string> {
    const touched = new Set<string>();
    proxy.setRule(({ operation, body }) => {
        if (!/^Admin(Get|ListGroupsForUser)/.test(operation) && typeof body.Username === "string") touched.add(body.Username);
        return undefined;
    });
    return touched;
}

describe("CognitoUserBatch provider against cognito-local (integration)", function () {
    let cognito: TestCognito;
    let proxy: FaultProxy;
    const progress: string[] = [];

    before(async function () {
        cognito = await startTestCognito();
        proxy = await startFaultProxy({ upstream: cognito.endpoint });
        handlers.setProgressSink((line) => progress.push(line));
    });
    after(async function () {
        handlers.setProgressSink();
        await proxy?.stop();
        await cognito?.stop();
    });

    /** `check` as Pulumi calls it (through the proxy unless told otherwise), then the host's `__provider`. */
    async function checked(raw: Record<string, unknown>, endpoint = proxy.endpoint): Promise<BatchInputs> {
        const result = await handlers.check({}, { region: TEST_REGION, endpoint, ...raw });
        assert.deepEqual(result.failures ?? [], []);
        return { ...(result.inputs as unknown as BatchInputs), __provider: PROVIDER } as BatchInputs;
    }

    /** Runs `run`, expecting a BatchOperationError; returns it. */
    async function expectBatchError(run: () => Promise<unknown>): Promise<BatchOperationError> {
        try {
            await run();
        } catch (error) {
            assert.ok(
                error instanceof BatchOperationError,
                `expected a BatchOperationError, got ${(error as Error).name}: ${(error as Error).message}`,
            );
            return error;
        }
        assert.fail("expected an error");
    }

    describe("create, partial update, refresh and delete of 50 users", function () {
        let pool: TestPool;
        const passwords = new Map<string, string>();
        /** User i of the seed: every password kind, groups and enabled vary with i. */
        const seedUser = (i: number): Record<string, unknown> => {
            const username = `user-${String(i).padStart(2, "0")}`;
            const user: Record<string, unknown> = { username, attributes: { email: `${username}@example.com`, tenant: "acme" } };
            if (i % 5 === 0) user.generatePassword = true;
            if (i % 5 === 1) user.password = passwords.get(username) ?? passwords.set(username, newPassword()).get(username);
            if (i % 5 === 2) user.temporaryPassword = passwords.get(username) ?? passwords.set(username, newPassword()).get(username);
            if (i % 2 === 1) user.groups = ["viewers"];
            if (i % 7 === 3) user.enabled = false;
            return user;
        };
        const seed = Array.from({ length: 50 }, (_, i) => seedUser(i));
        let id: string;
        let outs: BatchOutputs;
        let inputs: BatchInputs;

        before(async function () {
            pool = await createTestPool(cognito.client, { groups: ["viewers", "editors"], customAttributes: ["tenant"] });
        });

        it("checks the users without calling Cognito, keeping passwords out of the user list", async function () {
            proxy.resetCounts();
            inputs = await checked({ userPoolId: pool.id, declaredUsers: seed, batchName: "seed" });
            assert.equal(Object.keys(inputs.declaredUsers).length, 50);
            assertNoSecret(JSON.stringify(inputs.declaredUsers), [...passwords.values()]);
            assert.equal(Object.keys(inputs.userPasswords).length, 20);
            assert.equal(Object.keys(proxy.calls()).length, 0, "check made no Cognito call");
        });

        it("creates them paced at AWS's default rates, reading nothing back and the password policy once", async function () {
            progress.length = 0;
            const created = await handlers.create(inputs);
            id = created.id;
            outs = created.outs as BatchOutputs;
            assert.equal(outs.count, 50);
            assert.deepEqual(proxy.calls(), {
                AdminCreateUser: 50,
                AdminSetUserPassword: 20, // 10 generated + 10 declared permanent; temporary ones go with AdminCreateUser
                AdminAddUserToGroup: 25,
                AdminDisableUser: 7,
                DescribeUserPool: 1,
            });
            assert.equal(progress.length, 10, "a progress line at every 10%");
            assert.match(progress[9], /^seed: 50\/50 users created \(\d+\/s\)$/);
        });

        it("stores every user in Cognito as declared, and records it", async function () {
            const stored = await listPoolUsers(cognito.client, pool.id);
            assert.equal(stored.length, 50);
            const policy = passwordPolicyFromCognito(TEST_PASSWORD_POLICY);
            for (let i = 0; i < 50; i++) {
                const declared = seed[i];
                const username = declared.username as string;
                const user = await getStoredUser(cognito.client, pool.id, username);
                assert.ok(user, `${username} exists`);
                assert.equal(user.attributes["custom:tenant"], "acme");
                assert.deepEqual(user.groups, declared.groups ?? []);
                assert.equal(user.enabled, declared.enabled !== false);
                const permanent = declared.generatePassword || declared.password;
                assert.equal(user.status, permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD", username);
                assert.deepEqual(outs.users[username], {
                    cognitoUsername: username,
                    sub: user.attributes.sub,
                    status: user.status,
                    enabled: user.enabled,
                    groups: user.groups,
                    attributes: { "custom:tenant": "acme", email: `${username}@example.com` },
                    ...(declared.generatePassword ? { generatePassword: true } : {}),
                });
                if (declared.generatePassword) assert.deepEqual(passwordPolicyViolations(outs.passwords[username], policy), []);
            }
            assert.equal(await signIn(cognito.client, pool, "user-00", outs.passwords["user-00"]), "SIGNED_IN");
            assert.equal(await signIn(cognito.client, pool, "user-01", passwords.get("user-01")!), "SIGNED_IN");
            assert.ok(outs.temporaryPasswords["user-02"] === passwords.get("user-02"));
        });

        it("reports no change for the same declaration", async function () {
            assert.deepEqual(
                await handlers.diff(id, outs, await checked({ userPoolId: pool.id, declaredUsers: seed, batchName: "seed" })),
                { changes: false },
            );
        });

        it("updates in place only the users that changed: 3 changed, 2 added, 5 removed", async function () {
            const before = new Map(
                (await listPoolUsers(cognito.client, pool.id)).map((u) => [u.Username!, u.UserLastModifiedDate!.getTime()]),
            );
            const changedUsers = ["user-10", "user-11", "user-12"];
            const removedUsers = ["user-45", "user-46", "user-47", "user-48", "user-49"];
            const next = seed
                .filter((u) => !removedUsers.includes(u.username as string))
                .map((u) =>
                    changedUsers.includes(u.username as string)
                        ? { ...u, attributes: { email: `${u.username}@example.org`, tenant: "acme" } }
                        : u,
                );
            next.push(
                { username: "user-50", attributes: { email: "user-50@example.com" } },
                { username: "user-51", generatePassword: true, groups: ["editors"] },
            );
            inputs = await checked({ userPoolId: pool.id, declaredUsers: next, batchName: "seed" });

            const d = await handlers.diff(id, outs, inputs);
            assert.deepEqual(d, { changes: true });
            const touched = trackWrites(proxy);
            outs = (await handlers.update(id, outs, inputs)).outs as BatchOutputs;
            proxy.setRule(undefined);

            assert.deepEqual(
                [...touched].sort(),
                [...changedUsers, ...removedUsers, "user-50", "user-51"].sort(),
                "only the changed users were written",
            );
            assert.equal(outs.count, 47);
            const after = await listPoolUsers(cognito.client, pool.id);
            assert.equal(after.length, 47);
            for (const user of after) {
                const name = user.Username!;
                if (changedUsers.includes(name) || name === "user-50" || name === "user-51") continue;
                assert.equal(user.UserLastModifiedDate!.getTime(), before.get(name), `${name} was not modified`);
            }
            assert.equal((await getStoredUser(cognito.client, pool.id, "user-11"))!.attributes.email, "user-11@example.org");
            assert.deepEqual((await getStoredUser(cognito.client, pool.id, "user-51"))!.groups, ["editors"]);
            for (const name of removedUsers) assert.equal(await getStoredUser(cognito.client, pool.id, name), undefined);
            assert.deepEqual(await handlers.diff(id, outs, inputs), { changes: false });
        });

        it("refresh drops users deleted outside Pulumi and records drift; the next update restores the declaration", async function () {
            await cognito.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: "user-00" }));
            await cognito.client.send(
                new AdminUpdateUserAttributesCommand({
                    UserPoolId: pool.id,
                    Username: "user-01",
                    UserAttributes: [{ Name: "custom:tenant", Value: "drifted" }],
                }),
            );
            await cognito.client.send(
                new AdminRemoveUserFromGroupCommand({ UserPoolId: pool.id, Username: "user-03", GroupName: "viewers" }),
            );

            const refreshed = await handlers.read(id, outs);
            assert.equal(refreshed.id, id);
            const props = refreshed.props as BatchOutputs;
            assert.equal(props.count, 46);
            assert.equal(props.users["user-00"], undefined);
            assert.equal(props.passwords["user-00"], undefined);
            assert.equal(props.users["user-01"].attributes["custom:tenant"], "drifted");
            assert.deepEqual(props.users["user-03"].groups, []);

            assert.deepEqual(await handlers.diff(id, props, inputs), { changes: true });
            outs = (await handlers.update(id, props, inputs)).outs as BatchOutputs;
            assert.equal(outs.count, 47);
            assert.equal((await getStoredUser(cognito.client, pool.id, "user-00"))?.status, "CONFIRMED");
            assert.equal((await getStoredUser(cognito.client, pool.id, "user-01"))!.attributes["custom:tenant"], "acme");
            assert.deepEqual((await getStoredUser(cognito.client, pool.id, "user-03"))!.groups, ["viewers"]);
            assert.deepEqual(await handlers.diff(id, outs, inputs), { changes: false });
        });

        it("replaces the whole batch when the pool changes", async function () {
            const other = await checked({ userPoolId: "local_Other123", declaredUsers: seed, batchName: "seed" });
            assert.deepEqual(await handlers.diff(id, outs, other), { changes: true, replaces: ["userPoolId"], deleteBeforeReplace: false });
        });

        it("deletes every user, and deleting again succeeds", async function () {
            await handlers.remove(id, outs);
            assert.equal((await listPoolUsers(cognito.client, pool.id)).length, 0);
            await handlers.remove(id, outs);
        });
    });

    it("in a pool where the email is the username, records Cognito's UUID and updates and deletes by it", async function () {
        const pool = await createTestPool(cognito.client, { emailAsUsername: true });
        const users = ["ann@example.com", "ben@example.com"].map((email) => ({ username: email, attributes: { email, name: "A" } }));
        const inputs = await checked({ userPoolId: pool.id, declaredUsers: users, rates: UNPACED_RATES });
        const { id, outs } = await handlers.create(inputs);
        const created = outs as BatchOutputs;
        assert.match(created.users["ann@example.com"].cognitoUsername, /^[0-9a-f-]{36}$/);
        const next = await checked({
            userPoolId: pool.id,
            declaredUsers: [{ ...users[0], attributes: { email: "ann@example.com", name: "B" } }],
            rates: UNPACED_RATES,
        });
        const updated = (await handlers.update(id, created, next)).outs as BatchOutputs;
        const stored = await getStoredUser(cognito.client, pool.id, created.users["ann@example.com"].cognitoUsername);
        assert.equal(stored!.attributes.name, "B");
        assert.deepEqual(Object.keys(updated.users), ["ann@example.com"]);
        await handlers.remove(id, updated);
        assert.equal((await listPoolUsers(cognito.client, pool.id)).length, 0);
    });

    describe("real-account safety", function () {
        it("refresh and delete reach only the recorded users: never one that took a deleted user's email, never through a missing pool", async function () {
            const pool = await createTestPool(cognito.client);
            const inputs = await checked({
                userPoolId: pool.id,
                declaredUsers: [
                    { username: "ann@example.com", attributes: { email: "ann@example.com" } },
                    { username: "bob@example.com", attributes: { email: "bob@example.com" } },
                ],
                rates: UNPACED_RATES,
            });
            const { id, outs } = await handlers.create(inputs);
            const recorded = outs as BatchOutputs;
            await replaceUser(cognito.client, pool.id, "ann@example.com", { username: "other", attributes: { email: "ann@example.com" } });
            const read = (await handlers.read(id, { ...recorded, __provider: PROVIDER } as never)).props as BatchOutputs;
            assert.deepEqual(Object.keys(read.users), ["bob@example.com"], "the deleted user is dropped, not re-pointed");
            await handlers.remove(id, recorded);
            assert.ok(await getStoredUser(cognito.client, pool.id, "other"), "the other user is untouched");
            assert.equal(await getStoredUser(cognito.client, pool.id, "bob@example.com"), undefined);

            // A pool deleted at cognito-local, which has no accounts: proven gone, its users with it.
            await cognito.client.send(new DeleteUserPoolCommand({ UserPoolId: pool.id }));
            const gone = (await handlers.read(id, { ...read, __provider: PROVIDER } as never)).props as BatchOutputs;
            assert.deepEqual(gone.users, {});
        });

        it("a username deleted and made again by someone else is never deleted: IDENTITY_MISMATCH for that user, the others deleted", async function () {
            const pool = await createTestPool(cognito.client);
            const inputs = await checked({
                userPoolId: pool.id,
                declaredUsers: [{ username: "kim" }, { username: "lee" }],
                rates: UNPACED_RATES,
            });
            const { id, outs } = await handlers.create(inputs);
            await replaceUser(cognito.client, pool.id, "kim", { username: "kim" });
            const stranger = (await getStoredUser(cognito.client, pool.id, "kim"))!;
            const error = await expectBatchError(() => handlers.remove(id, outs as BatchOutputs));
            assert.equal(error.code, "IDENTITY_MISMATCH");
            assert.match(error.message, new RegExp(`\\[IDENTITY_MISMATCH\\] delete "kim".*sub ${stranger.attributes.sub}`));
            assert.equal(
                (await getStoredUser(cognito.client, pool.id, "kim"))?.attributes.sub,
                stranger.attributes.sub,
                "the stranger stays",
            );
            assert.equal(await getStoredUser(cognito.client, pool.id, "lee"), undefined, "the recorded user is deleted");
        });

        it("a password the pool's policy refuses fails the whole create before any write, naming each user and rule", async function () {
            const pool = await createTestPool(cognito.client);
            const weak = "weak-1";
            const inputs = await checked({
                userPoolId: pool.id,
                declaredUsers: [
                    { username: "fine", password: newPassword() },
                    { username: "feeble", password: weak },
                    { username: "plain" },
                ],
                rates: UNPACED_RATES,
            });
            await assert.rejects(handlers.create(inputs), (error: Error) => {
                assert.match(error.message, /\[VALIDATION_ERROR\]/);
                assert.match(
                    error.message,
                    /password of user "feeble" does not meet the pool's password policy \(shorter than 12 characters/,
                );
                assert.ok(!error.message.includes(weak));
                return true;
            });
            assert.deepEqual(await listPoolUsers(cognito.client, pool.id), [], "nothing was written");
        });
    });

    describe("faults", function () {
        it("a throttling storm: every user created exactly once, none lost", async function () {
            const pool = await createTestPool(cognito.client, { groups: ["viewers"] });
            // Real Cognito's behaviour at a quota: everything throttled for a moment, then a token bucket
            // of 40 requests per second. The batch ignores quotas (unpaced) and retries little in the SDK
            // (maxAttempts 2), so both the SDK's and the batch's own retries are exercised.
            const storm = await startFaultProxy({
                upstream: cognito.endpoint,
                rateLimits: { "*": { perSecond: 40, burst: 40, closedForMs: 1500 } },
            });
            try {
                const users = Array.from({ length: 150 }, (_, i) => ({
                    username: `storm-${i}`,
                    attributes: { email: `storm-${i}@example.com` },
                    groups: i % 2 ? ["viewers"] : [],
                }));
                const inputs = await checked(
                    { userPoolId: pool.id, declaredUsers: users, rates: UNPACED_RATES, maxAttempts: 2 },
                    storm.endpoint,
                );
                const { outs } = await handlers.create(inputs);
                assert.ok(storm.counts().total.rateLimit >= 10, "the storm throttled requests");
                assert.equal((outs as BatchOutputs).count, 150);
                const stored = await listPoolUsers(cognito.client, pool.id);
                assert.equal(stored.length, 150);
                assert.equal(new Set(stored.map((u) => u.Username)).size, 150);
                assert.deepEqual((await getStoredUser(cognito.client, pool.id, "storm-149"))!.groups, ["viewers"]);
            } finally {
                await storm.stop();
            }
        });

        it("one user Cognito rejects among 500: the other 499 exist and are recorded; the next run converges", async function () {
            const pool = await createTestPool(cognito.client);
            const users = Array.from({ length: 500 }, (_, i) => ({
                username: `bulk-${String(i).padStart(3, "0")}`,
                attributes: { email: `bulk-${i}@example.com` },
                password: newPassword(),
            }));
            const inputs = await checked({ userPoolId: pool.id, declaredUsers: users, rates: UNPACED_RATES, batchName: "bulk" });
            // What real Cognito answers for an attribute missing from the pool's schema (cognito-local accepts any).
            const rejected = "Attributes did not conform to the schema: custom:bogus: Attribute does not exist in the schema.";
            proxy.setRule(({ operation, body }) =>
                operation === "AdminCreateUser" && body.Username === "bulk-250"
                    ? { type: "InvalidParameterException", message: rejected }
                    : undefined,
            );
            const error = await expectBatchError(() => handlers.create(inputs));
            proxy.setRule(undefined);

            assert.equal(error.failures.length, 1);
            assert.deepEqual(
                { ...error.failures[0], message: undefined },
                { username: "bulk-250", action: "create", operation: "AdminCreateUser", code: "COGNITO_ERROR", message: undefined },
            );
            assert.ok(
                error.message.includes(rejected) && error.message.includes("bulk-250") && error.message.includes("AdminCreateUser"),
                error.message,
            );
            assert.ok(error.id, "the error carries the resource id");
            assert.deepEqual(error.reasons?.length, 1);
            const recorded = error.properties as unknown as BatchOutputs & { __provider: string };
            assert.equal(recorded.count, 499);
            assert.equal(recorded.__provider, PROVIDER, "the serialized provider is kept, or refresh would break");
            assert.equal(recorded.users["bulk-250"], undefined);
            assertNoSecret(
                error.message + JSON.stringify(error.failures) + JSON.stringify(error.reasons),
                users.map((u) => u.password),
            );
            assert.equal((await listPoolUsers(cognito.client, pool.id)).length, 499);

            // The next `pulumi up`: the engine recorded the properties; diff finds the missing user.
            assert.deepEqual(await handlers.diff(error.id!, recorded, inputs), { changes: true });
            const touched = trackWrites(proxy);
            const converged = (await handlers.update(error.id!, recorded, inputs)).outs as BatchOutputs;
            proxy.setRule(undefined);
            assert.deepEqual([...touched], ["bulk-250"], "only the missing user is created");
            assert.equal(converged.count, 500);
            assert.equal((await listPoolUsers(cognito.client, pool.id)).length, 500);
            assert.deepEqual(await handlers.diff(error.id!, converged, inputs), { changes: false });
        });

        it("with adoptExisting false, a user made outside the stack fails alone, pointing at adoptExisting", async function () {
            const pool = await createTestPool(cognito.client);
            await cognito.client.send(new AdminCreateUserCommand({ UserPoolId: pool.id, Username: "outsider", MessageAction: "SUPPRESS" }));
            const inputs = await checked({
                userPoolId: pool.id,
                declaredUsers: [{ username: "outsider" }, { username: "insider" }],
                adoptExisting: false,
            });
            const error = await expectBatchError(() => handlers.create(inputs));
            assert.deepEqual(
                error.failures.map((f) => [f.username, f.code]),
                [["outsider", "USER_EXISTS"]],
            );
            assert.match(error.failures[0].message, /Set `adoptExisting: true` on the batch/);
            assert.deepEqual(Object.keys((error.properties as unknown as BatchOutputs).users), ["insider"]);
        });

        it("a process killed mid-batch: the next create refuses the users it left (USER_EXISTS, naming the way out); with adoptExisting it converges, every user exactly once", async function () {
            const pool = await createTestPool(cognito.client, { groups: ["viewers"] });
            const total = 400;
            const users = Array.from({ length: total }, (_, i) => ({
                username: `kill-${i}`,
                attributes: { email: `kill-${i}@example.com` },
                generatePassword: true,
                groups: ["viewers"],
            }));
            // Paced so the kill lands mid-batch: creating 400 users at 60 per second takes several seconds.
            const inputs = await checked(
                { userPoolId: pool.id, declaredUsers: users, rates: { ...UNPACED_RATES, userCreation: 60 } },
                cognito.endpoint,
            );

            const child = spawn(
                process.execPath,
                ["-r", "ts-node/register/transpile-only", path.join(__dirname, "../support/batchCreateChild.ts")],
                {
                    env: { ...process.env, BATCH_CHILD_INPUTS: JSON.stringify(inputs) },
                    stdio: ["ignore", "ignore", "pipe"],
                },
            );
            const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
            let atKill = 0;
            try {
                for (;;) {
                    atKill = (await listPoolUsers(cognito.client, pool.id)).length;
                    if (atKill >= 100 || child.exitCode !== null) break;
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            } finally {
                child.kill("SIGKILL");
            }
            await exited;
            assert.ok(atKill >= 100 && atKill < total, `the child was killed mid-batch (${atKill} users existed)`);

            // Nothing proves the killed run's users are this batch's: adoption only when asked.
            const refused = await expectBatchError(() => handlers.create({ ...inputs, rates: UNPACED_RATES }));
            assert.equal(refused.code, "USER_EXISTS");
            assert.ok(refused.failures.length >= atKill && refused.failures.every((f) => f.code === "USER_EXISTS"));
            assert.match(refused.message, /Set `adoptExisting: true` on the batch/);
            const partial = refused.properties as unknown as BatchOutputs;
            assert.equal(partial.count + refused.failures.length, total, "the users this run created are recorded");

            const { outs } = await handlers.update(refused.id!, partial, { ...inputs, rates: UNPACED_RATES, adoptExisting: true });
            const recorded = outs as BatchOutputs;
            assert.equal(recorded.count, total);
            const stored = await listPoolUsers(cognito.client, pool.id);
            assert.equal(stored.length, total, "every user exactly once");
            assert.equal(new Set(stored.map((u) => u.Username)).size, total);
            assert.ok(
                stored.every((u) => u.UserStatus === "CONFIRMED"),
                "users left half-created (no password yet) were adopted and given their password",
            );
            assert.deepEqual((await getStoredUser(cognito.client, pool.id, "kill-0"))!.groups, ["viewers"]);
            assert.equal(await signIn(cognito.client, pool, "kill-0", recorded.passwords["kill-0"]), "SIGNED_IN");
        });
    });
});
