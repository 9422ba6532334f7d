/**
 * The CognitoUser provider's handlers (check → create → read → diff → update → delete) against the
 * embedded Cognito, asserting on what is really stored there (read back with the SDK), in a pool with
 * plain usernames and in a pool where the email is the username.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { AdminAddUserToGroupCommand, AdminDeleteUserCommand, DeleteUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import * as handlers from "../../provider/user/handlers";
import { passwordPolicyFromCognito, passwordPolicyViolations } from "../../provider/shared/password";
import { setProgressSink } from "../../provider/shared/notices";
import { UserInputs, UserOutputs } from "../../provider/shared/types";
import { freePort } from "../../provider/local/cognitoLocal";
import {
    expectError,
    createTestPool,
    getStoredUser,
    listPoolUsers,
    signIn,
    startTestCognito,
    TestCognito,
    TestPool,
    TEST_PASSWORD_POLICY,
    TEST_REGION,
    replaceUser,
} from "../support/cognito";

/** A fresh password meeting the test pools' policy; never printed. */
function newPassword(): string {
    return `Pw1!${randomBytes(12).toString("base64url")}aZ9`;
}

/** Asserts that no secret occurs in the text, without echoing either. */
function assertNoSecret(text: string, secrets: Array<string | undefined>): void {
    for (const secret of secrets) if (secret) assert.ok(!text.includes(secret), "a password appears in the text");
}

describe("CognitoUser provider against cognito-local (integration)", function () {
    let cognito: TestCognito;
    const groups = ["admins", "editors", "viewers"];

    before(async function () {
        cognito = await startTestCognito();
    });
    after(async function () {
        await cognito?.stop();
    });

    /** `check` as Pulumi calls it; fails the test on any failure. */
    async function checked(raw: Record<string, unknown>): Promise<UserInputs> {
        const result = await handlers.check({}, { region: TEST_REGION, endpoint: cognito.endpoint, ...raw });
        assert.deepEqual(result.failures ?? [], []);
        return result.inputs as unknown as UserInputs;
    }

    async function created(raw: Record<string, unknown>): Promise<{ id: string; outs: UserOutputs; inputs: UserInputs }> {
        const inputs = await checked(raw);
        const { id, outs } = await handlers.create(inputs);
        return { id, outs: outs as UserOutputs, inputs };
    }

    async function updated(id: string, olds: UserOutputs, raw: Record<string, unknown>): Promise<UserOutputs> {
        const news = await checked(raw);
        const d = await handlers.diff(id, olds, news);
        assert.equal(d.changes, true, "diff should report the change");
        assert.deepEqual(d.replaces ?? [], [], "the change should be made in place");
        return (await handlers.update(id, olds, news)).outs as UserOutputs;
    }

    describe("input validation", function () {
        it("check reports every bad input, naming the property, before any Cognito call", async function () {
            // Nothing listens on this endpoint: a Cognito call would fail instead of returning failures.
            const nowhere = `http://127.0.0.1:${await freePort()}`;
            const result = await handlers.check(
                {},
                {
                    userPoolId: "not a pool",
                    username: "has space",
                    attributes: { sub: "x", tenant: 42 },
                    password: "Abcdefgh1!xy",
                    generatePassword: true,
                    groups: ["ok", ""],
                    region: TEST_REGION,
                    endpoint: nowhere,
                },
            );
            const properties = (result.failures ?? []).map((f) => f.property).sort();
            // Each bad attribute on its own property: `sub` is Cognito's, 42 is not a string.
            assert.deepEqual(properties, [
                "attributes.sub",
                "attributes.tenant",
                "generatePassword",
                "groups[1]",
                "userPoolId",
                "username",
            ]);
            for (const f of result.failures ?? []) assert.ok(f.reason.length > 10, `no reason for ${f.property}`);
            assertNoSecret(JSON.stringify(result.failures), ["Abcdefgh1!xy"]);
        });

        it("check names a written Cognito-owned attribute", async function () {
            const result = await handlers.check(
                {},
                { userPoolId: "local_AbCd1234", username: "u", attributes: { sub: "x" }, region: TEST_REGION },
            );
            assert.deepEqual(
                (result.failures ?? []).map((f) => f.property),
                ["attributes.sub"],
            );
        });
    });

    describe("pool with plain usernames", function () {
        let pool: TestPool;

        before(async function () {
            pool = await createTestPool(cognito.client, { groups, customAttributes: ["tenant"] });
        });

        it("creates, reads, diffs, updates in place and deletes a user, as Cognito stores it", async function () {
            const password = newPassword();
            const { id, outs } = await created({
                userPoolId: pool.id,
                username: "alice",
                attributes: { email: "alice@example.com", given_name: "Alice", tenant: "acme" },
                password,
                groups: ["editors", "admins"],
            });
            assert.equal(id, `${pool.id}/alice`);
            assert.equal(outs.cognitoUsername, "alice");

            const stored = (await getStoredUser(cognito.client, pool.id, "alice"))!;
            assert.ok(stored, "the user is in Cognito");
            assert.equal(stored.status, "CONFIRMED");
            assert.equal(stored.enabled, true);
            assert.equal(stored.attributes.email, "alice@example.com");
            assert.equal(stored.attributes.given_name, "Alice");
            assert.equal(stored.attributes["custom:tenant"], "acme", "the custom attribute is sent as custom:<name>");
            assert.deepEqual(stored.groups, ["admins", "editors"]);
            assert.equal(outs.sub, stored.attributes.sub);
            assert.equal(await signIn(cognito.client, pool, "alice", password), "SIGNED_IN");

            // The same program again: nothing to do.
            const same = await checked({
                userPoolId: pool.id,
                username: "alice",
                attributes: { email: "alice@example.com", given_name: "Alice", tenant: "acme" },
                password,
                groups: ["admins", "editors"],
            });
            assert.equal((await handlers.diff(id, outs, same)).changes, false, "diff right after create reports no change");

            // Refresh reads back what was created.
            const read = await handlers.read(id, outs);
            assert.equal(read.id, id);
            const props = read.props as UserOutputs;
            assert.deepEqual(props.attributes, { "custom:tenant": "acme", email: "alice@example.com", given_name: "Alice" });
            assert.deepEqual(props.groups, ["admins", "editors"]);
            assert.equal(props.status, "CONFIRMED");
            assert.equal((await handlers.diff(id, props, same)).changes, false, "diff after refresh reports no change");

            // Attributes added, changed and removed; groups added and removed; disabled: all in place.
            const after = await updated(id, props, {
                userPoolId: pool.id,
                username: "alice",
                attributes: { email: "alice@example.com", given_name: "Alicia", family_name: "Liddell" },
                password,
                groups: ["editors", "viewers"],
                enabled: false,
            });
            const changed = (await getStoredUser(cognito.client, pool.id, "alice"))!;
            assert.equal(changed.attributes.sub, stored.attributes.sub, "the same user (same sub)");
            assert.equal(changed.attributes.given_name, "Alicia");
            assert.equal(changed.attributes.family_name, "Liddell");
            assert.equal(changed.attributes["custom:tenant"], undefined, "the removed custom attribute is gone");
            assert.deepEqual(changed.groups, ["editors", "viewers"]);
            assert.equal(changed.enabled, false);
            assert.equal(after.enabled, false);
            assert.deepEqual(after.groups, ["editors", "viewers"]);
            assert.deepEqual(after.attributes, { email: "alice@example.com", family_name: "Liddell", given_name: "Alicia" });

            // Enabled again, with a new password.
            const password2 = newPassword();
            const again = await updated(id, after, {
                userPoolId: pool.id,
                username: "alice",
                attributes: { email: "alice@example.com", given_name: "Alicia", family_name: "Liddell" },
                password: password2,
                groups: ["editors", "viewers"],
                enabled: true,
            });
            assert.equal((await getStoredUser(cognito.client, pool.id, "alice"))!.enabled, true);
            assert.equal(again.enabled, true);
            assert.equal(await signIn(cognito.client, pool, "alice", password2), "SIGNED_IN");

            await handlers.remove(id, again);
            assert.equal(await getStoredUser(cognito.client, pool.id, "alice"), undefined, "deleted from Cognito");
            await handlers.remove(id, again); // twice: already gone counts as deleted
        });

        it("a temporary password leaves the user in FORCE_CHANGE_PASSWORD", async function () {
            const temporaryPassword = newPassword();
            const { id, outs } = await created({ userPoolId: pool.id, username: "tess", temporaryPassword });
            const stored = (await getStoredUser(cognito.client, pool.id, "tess"))!;
            assert.equal(stored.status, "FORCE_CHANGE_PASSWORD");
            assert.equal(outs.status, "FORCE_CHANGE_PASSWORD");
            assert.equal(await signIn(cognito.client, pool, "tess", temporaryPassword), "NEW_PASSWORD_REQUIRED");
            await handlers.remove(id, outs);
        });

        it("generatePassword makes a password that meets the pool's policy, signs in, and survives later updates", async function () {
            const { id, outs } = await created({
                userPoolId: pool.id,
                username: "gene",
                attributes: { given_name: "Gene" },
                generatePassword: true,
            });
            const generated = outs.password;
            assert.equal(typeof generated, "string", "the generated password is recorded (as a secret) in the outputs");
            assert.deepEqual(passwordPolicyViolations(generated!, passwordPolicyFromCognito(TEST_PASSWORD_POLICY)), []);
            assert.equal((await getStoredUser(cognito.client, pool.id, "gene"))!.status, "CONFIRMED");
            assert.equal(await signIn(cognito.client, pool, "gene", generated!), "SIGNED_IN");

            const after = await updated(id, outs, {
                userPoolId: pool.id,
                username: "gene",
                attributes: { given_name: "Eugene" },
                generatePassword: true,
            });
            assert.ok(after.password === generated, "the generated password stays the same after an update");
            assert.equal((await getStoredUser(cognito.client, pool.id, "gene"))!.attributes.given_name, "Eugene");
            assert.equal(await signIn(cognito.client, pool, "gene", generated!), "SIGNED_IN");

            const refreshed = (await handlers.read(id, after)).props as UserOutputs;
            assert.ok(refreshed.password === generated, "refresh keeps the generated password");
            assert.equal(refreshed.generatePassword, true);
            const same = await checked({
                userPoolId: pool.id,
                username: "gene",
                attributes: { given_name: "Eugene" },
                generatePassword: true,
            });
            assert.equal((await handlers.diff(id, refreshed, same)).changes, false, "diff after refresh reports no change");
            await handlers.remove(id, after);
        });

        it("creating a user that exists fails with USER_EXISTS, says how to import it, and leaves it untouched", async function () {
            const password = newPassword();
            const { id, outs } = await created({ userPoolId: pool.id, username: "dup", attributes: { given_name: "First" }, password });
            const password2 = newPassword();
            const error = await expectError(() =>
                created({ userPoolId: pool.id, username: "dup", attributes: { given_name: "Second" }, password: password2 }),
            );
            assert.equal(error.code, "USER_EXISTS");
            assert.match(error.message, /\{ import: "/);
            assert.ok(error.message.includes(`${pool.id}/dup`), "names the import id");
            assertNoSecret(error.message, [password, password2]);
            const stored = (await getStoredUser(cognito.client, pool.id, "dup"))!;
            assert.equal(stored.attributes.given_name, "First");
            assert.equal(await signIn(cognito.client, pool, "dup", password), "SIGNED_IN");
            await handlers.remove(id, outs);
        });

        it("a failing step rolls the create back: no user is left, the error names the step, the user and Cognito's message", async function () {
            // Cognito's own message for adding to a missing group, to find it in ours.
            const probe = await created({ userPoolId: pool.id, username: "probe" });
            const cognitoMessage = await cognito.client
                .send(new AdminAddUserToGroupCommand({ UserPoolId: pool.id, Username: "probe", GroupName: "no-such-group" }))
                .then(() => assert.fail("adding to a missing group succeeded"))
                .catch((e: Error) => e.message);
            await handlers.remove(probe.id, probe.outs);

            const password = newPassword();
            const error = await expectError(() =>
                created({
                    userPoolId: pool.id,
                    username: "carol",
                    attributes: { email: "carol@example.com" },
                    password,
                    groups: ["admins", "no-such-group"],
                }),
            );
            assert.equal(error.code, "NOT_FOUND");
            assert.match(error.message, /AdminAddUserToGroup\(no-such-group\)/);
            assert.match(error.message, /"carol"/);
            assert.ok(error.message.includes(cognitoMessage), "carries Cognito's message");
            assert.match(error.message, /deleted again/);
            assertNoSecret(error.message, [password]);
            assert.equal(await getStoredUser(cognito.client, pool.id, "carol"), undefined, "no half-created user is left");
            const names = (await listPoolUsers(cognito.client, pool.id)).map((u) => u.Username);
            assert.ok(!names.includes("carol"));
        });

        it("read reports a user deleted behind the provider's back as gone (empty id)", async function () {
            const { id, outs } = await created({ userPoolId: pool.id, username: "ghost", attributes: { email: "ghost@example.com" } });
            await cognito.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: "ghost" }));
            const read = await handlers.read(id, outs);
            assert.equal(read.id, "");
            await handlers.remove(id, outs); // deleting what is gone succeeds
        });

        it("import: read finds a user by <pool>/<username>, <pool>/<email> and <pool>/<sub>", async function () {
            const password = newPassword();
            const { id, outs } = await created({
                userPoolId: pool.id,
                username: "ivan",
                attributes: { email: "ivan@example.com", given_name: "Ivan", tenant: "acme" },
                password,
                groups: ["viewers"],
            });
            // What an import passes: the connection, no recorded state.
            const declared = { region: TEST_REGION, endpoint: cognito.endpoint };
            for (const name of ["ivan", "ivan@example.com", outs.sub]) {
                const read = await handlers.read(`${pool.id}/${name}`, declared);
                assert.equal(read.id, id, `found by ${name}`);
                const props = read.props as UserOutputs;
                assert.equal(props.cognitoUsername, "ivan");
                assert.equal(props.sub, outs.sub);
                assert.deepEqual(props.groups, ["viewers"]);
                assert.deepEqual(props.attributes, { "custom:tenant": "acme", email: "ivan@example.com", given_name: "Ivan" });
                assert.equal(props.passwordManaged, false, "an adopted user's password is left alone");
                assert.equal(props.password, undefined);
            }
            const missing = await handlers.read(`${pool.id}/nobody@example.com`, declared);
            assert.equal(missing.id, "");
            await handlers.remove(id, outs);
        });

        it("refresh takes recorded state as recorded: a value today's rules reject does not break it", async function () {
            const { id, outs } = await created({ userPoolId: pool.id, username: "legacy" });
            // A later version may tighten a rule: state an earlier one wrote must still refresh and destroy.
            const recorded = { ...outs, maxAttempts: 99, region: "legacy-region" } as UserOutputs;
            const read = await handlers.read(id, recorded);
            assert.equal(read.id, id);
            await handlers.remove(id, recorded);
            assert.equal(await getStoredUser(cognito.client, pool.id, "legacy"), undefined);
        });

        it("refresh and delete never reach another user through an alias value (cognito-local resolves emails in AdminGetUser)", async function () {
            const { id, outs } = await created({
                userPoolId: pool.id,
                username: "ann@example.com",
                attributes: { email: "ann@example.com" },
            });
            await replaceUser(cognito.client, pool.id, outs.cognitoUsername, {
                username: "other",
                attributes: { email: "ann@example.com" },
            });
            assert.equal((await handlers.read(id, outs)).id, "", "the recorded user is gone: dropped, not re-pointed");
            await handlers.remove(id, outs);
            assert.ok(await getStoredUser(cognito.client, pool.id, "other"), "the other user is untouched");
        });

        it("a username deleted and made again by someone else: update and delete refuse it (IDENTITY_MISMATCH), nothing written; refresh drops it", async function () {
            const { id, outs } = await created({ userPoolId: pool.id, username: "tina", attributes: { given_name: "A" } });
            await replaceUser(cognito.client, pool.id, "tina", { username: "tina", attributes: { given_name: "Stranger" } });
            const stranger = (await getStoredUser(cognito.client, pool.id, "tina"))!;
            const news = await checked({ userPoolId: pool.id, username: "tina", attributes: { given_name: "B" }, groups: ["admins"] });
            for (const attempt of [() => handlers.update(id, outs, news), () => handlers.remove(id, outs)]) {
                const error = await expectError(attempt);
                assert.equal(error.code, "IDENTITY_MISMATCH");
                assert.ok(error.message.includes(`sub ${stranger.attributes.sub}`) && error.message.includes(`sub ${outs.sub}`));
            }
            const after = (await getStoredUser(cognito.client, pool.id, "tina"))!;
            assert.equal(after.attributes.given_name, "Stranger", "nothing was written");
            assert.deepEqual(after.groups, []);
            const warnings: string[] = [];
            setProgressSink((line) => warnings.push(line));
            try {
                assert.equal((await handlers.read(id, outs)).id, "", "refresh drops it");
            } finally {
                setProgressSink();
            }
            assert.match(warnings.join("\n"), /^warning: user "tina".*now belongs to another user.*The refresh drops it/);
            await cognito.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: "tina" }));
        });

        it("a pool deleted at cognito-local (a loopback emulator without accounts or STS) is gone, its user with it: refresh drops it, delete succeeds", async function () {
            const doomed = await createTestPool(cognito.client);
            const { id, outs } = await created({ userPoolId: doomed.id, username: "orphan", attributes: { email: "orphan@example.com" } });
            await cognito.client.send(new DeleteUserPoolCommand({ UserPoolId: doomed.id }));
            assert.equal((await handlers.read(id, outs)).id, "", "dropped");
            await handlers.remove(id, outs);
        });
    });

    describe("pool with email as username", function () {
        let pool: TestPool;

        before(async function () {
            pool = await createTestPool(cognito.client, { emailAsUsername: true, groups, customAttributes: ["tenant"] });
        });

        it("identifies the user by its canonical Username through an email change", async function () {
            const password = newPassword();
            const { id, outs } = await created({
                userPoolId: pool.id,
                username: "dana@example.com",
                attributes: { email: "dana@example.com", email_verified: "true", tenant: "acme" },
                password,
                groups: ["editors"],
            });
            assert.match(outs.cognitoUsername, /^[0-9a-f-]{36}$/, "Cognito assigned a UUID Username");
            assert.equal(outs.cognitoUsername, outs.sub);
            assert.equal(id, `${pool.id}/${outs.cognitoUsername}`);
            const stored = (await getStoredUser(cognito.client, pool.id, outs.cognitoUsername))!;
            assert.equal(stored.attributes.email, "dana@example.com");
            assert.equal(stored.attributes["custom:tenant"], "acme");
            assert.equal(stored.status, "CONFIRMED");
            assert.deepEqual(stored.groups, ["editors"]);
            assert.equal(await signIn(cognito.client, pool, "dana@example.com", password), "SIGNED_IN");

            const same = await checked({
                userPoolId: pool.id,
                username: "dana@example.com",
                attributes: { email: "dana@example.com", email_verified: "true", tenant: "acme" },
                password,
                groups: ["editors"],
            });
            assert.equal((await handlers.diff(id, outs, same)).changes, false, "diff right after create reports no change");

            // The email changes; the username the program declared stays.
            const moved = await updated(id, outs, {
                userPoolId: pool.id,
                username: "dana@example.com",
                attributes: { email: "dana@example.org", email_verified: "true", tenant: "acme" },
                password,
                groups: ["editors"],
            });
            assert.equal(moved.cognitoUsername, outs.cognitoUsername);
            const afterMove = (await getStoredUser(cognito.client, pool.id, outs.cognitoUsername))!;
            assert.equal(afterMove.attributes.email, "dana@example.org");
            assert.equal(afterMove.attributes.email_verified, "true", "the declared flag is written with the new address, not reset");
            assert.equal(afterMove.attributes.sub, stored.attributes.sub);
            assert.equal(await signIn(cognito.client, pool, "dana@example.org", password), "SIGNED_IN");

            // Refresh still finds it: by canonical Username, not by the old email.
            const read = await handlers.read(id, moved);
            assert.equal(read.id, id);
            const props = read.props as UserOutputs;
            assert.equal(props.attributes.email, "dana@example.org");
            const moveDeclared = await checked({
                userPoolId: pool.id,
                username: "dana@example.com",
                attributes: { email: "dana@example.org", email_verified: "true", tenant: "acme" },
                password,
                groups: ["editors"],
            });
            assert.equal((await handlers.diff(id, props, moveDeclared)).changes, false, "no drift after the email change");

            // The program follows the email in its username: the same user, updated in place.
            const followed = await updated(id, props, {
                userPoolId: pool.id,
                username: "dana@example.org",
                attributes: { email: "dana@example.org", email_verified: "true", tenant: "acme" },
                password,
                groups: ["editors", "viewers"],
            });
            assert.equal(followed.cognitoUsername, outs.cognitoUsername);
            assert.deepEqual((await getStoredUser(cognito.client, pool.id, outs.cognitoUsername))!.groups, ["editors", "viewers"]);
            assert.equal((await listPoolUsers(cognito.client, pool.id)).length, 1, "no second user appeared");

            // Import by the new email or by sub finds the same user.
            for (const name of ["dana@example.org", outs.sub]) {
                const imported = await handlers.read(`${pool.id}/${name}`, { region: TEST_REGION, endpoint: cognito.endpoint });
                assert.equal(imported.id, id, `found by ${name}`);
            }

            await handlers.remove(id, followed);
            assert.equal(await getStoredUser(cognito.client, pool.id, outs.cognitoUsername), undefined);
            assert.equal((await listPoolUsers(cognito.client, pool.id)).length, 0);
            await handlers.remove(id, followed);
        });

        it("a duplicate email fails with USER_EXISTS; a failed step leaves no user behind", async function () {
            const { id, outs } = await created({
                userPoolId: pool.id,
                username: "erin@example.com",
                attributes: { email: "erin@example.com" },
            });
            const error = await expectError(() =>
                created({ userPoolId: pool.id, username: "erin@example.com", attributes: { email: "erin@example.com" } }),
            );
            assert.equal(error.code, "USER_EXISTS");
            assert.match(error.message, /\{ import: "/);

            const rollback = await expectError(() =>
                created({
                    userPoolId: pool.id,
                    username: "frank@example.com",
                    attributes: { email: "frank@example.com" },
                    groups: ["no-such-group"],
                }),
            );
            assert.match(rollback.message, /AdminAddUserToGroup\(no-such-group\)/);
            assert.match(rollback.message, /frank@example\.com/);
            const left = (await listPoolUsers(cognito.client, pool.id)).map((u) => u.Username);
            assert.deepEqual(left, [outs.cognitoUsername], "only erin remains");
            await handlers.remove(id, outs);
        });
    });

    describe("the import option: create with importId adopts the existing user", function () {
        let pool: TestPool;
        let emailPool: TestPool;

        before(async function () {
            pool = await createTestPool(cognito.client, { groups });
            emailPool = await createTestPool(cognito.client, { emailAsUsername: true, groups });
        });

        it("adopts by <pool>/<username>: same sub, declared attributes, groups and password applied, undeclared attributes left alone", async function () {
            const password = newPassword();
            const made = await created({
                userPoolId: pool.id,
                username: "olga",
                attributes: { given_name: "Olga", family_name: "Ott" },
                password,
                groups: ["viewers"],
            });
            const newPasswordDeclared = newPassword();
            const adopted = await created({
                userPoolId: pool.id,
                username: "olga",
                attributes: { given_name: "Olga-2" },
                password: newPasswordDeclared,
                groups: ["editors"],
                importId: `${pool.id}/olga`,
            });
            assert.equal(adopted.id, made.id);
            assert.equal(adopted.outs.sub, made.outs.sub, "the same user");
            assert.equal(adopted.outs.passwordManaged, true);
            assert.deepEqual(adopted.outs.attributes, { given_name: "Olga-2" }, "only declared attributes are recorded");
            const stored = (await getStoredUser(cognito.client, pool.id, "olga"))!;
            assert.equal(stored.attributes.given_name, "Olga-2");
            assert.equal(stored.attributes.family_name, "Ott", "an undeclared attribute is kept");
            assert.deepEqual(stored.groups, ["editors"]);
            assert.equal(await signIn(cognito.client, pool, "olga", newPasswordDeclared), "SIGNED_IN", "the declared password was set");
            assert.equal(adopted.outs.password, newPasswordDeclared, "recorded because it was set");
            assertNoSecret(JSON.stringify(adopted.outs.attributes), [password, newPasswordDeclared]);

            // The declared password is recorded: no diff now, a later change is applied.
            const same = await checked({
                userPoolId: pool.id,
                username: "olga",
                attributes: { given_name: "Olga-2" },
                password: newPasswordDeclared,
                groups: ["editors"],
            });
            assert.equal((await handlers.diff(adopted.id, adopted.outs, same)).changes, false);
            await handlers.remove(adopted.id, adopted.outs);
        });

        it("adopts without a declared password: the password is left alone and no password output is recorded", async function () {
            const password = newPassword();
            await created({ userPoolId: pool.id, username: "pia", password });
            const adopted = await created({ userPoolId: pool.id, username: "pia", importId: `${pool.id}/pia` });
            assert.equal(adopted.outs.passwordManaged, false);
            assert.equal(adopted.outs.password, undefined, "never set by the provider, so never recorded");
            assert.equal(await signIn(cognito.client, pool, "pia", password), "SIGNED_IN", "the password in Cognito is untouched");
            const same = await checked({ userPoolId: pool.id, username: "pia" });
            assert.equal((await handlers.diff(adopted.id, adopted.outs, same)).changes, false);
            await handlers.remove(adopted.id, adopted.outs);
        });

        it("adopts by <pool>/<email> and <pool>/<sub> in an email-as-username pool", async function () {
            const made = await created({ userPoolId: emailPool.id, username: "pia@example.com", attributes: { email: "pia@example.com" } });
            for (const name of ["pia@example.com", made.outs.sub]) {
                const adopted = await created({
                    userPoolId: emailPool.id,
                    username: "pia@example.com",
                    attributes: { email: "pia@example.com" },
                    importId: `${emailPool.id}/${name}`,
                });
                assert.equal(adopted.id, made.id, `found by ${name}`);
                assert.equal(adopted.outs.cognitoUsername, made.outs.cognitoUsername);
            }
            assert.equal((await listPoolUsers(cognito.client, emailPool.id)).length, 1, "no second user");
            await handlers.remove(made.id, made.outs);
        });

        it("fails with NOT_FOUND for a user that does not exist, creating nothing", async function () {
            const error = await expectError(() => created({ userPoolId: pool.id, username: "nobody", importId: `${pool.id}/nobody` }));
            assert.equal(error.code, "NOT_FOUND");
            assert.match(error.message, /cannot import ".*\/nobody"/);
            assert.match(error.message, /remove the `import` option to create the user/);
            assert.equal(await getStoredUser(cognito.client, pool.id, "nobody"), undefined);
        });

        it("fails with VALIDATION_ERROR when the declared username names another user, changing nothing", async function () {
            const made = await created({ userPoolId: pool.id, username: "quinn", attributes: { given_name: "Quinn" } });
            const error = await expectError(() =>
                created({ userPoolId: pool.id, username: "rita", attributes: { given_name: "Rita" }, importId: `${pool.id}/quinn` }),
            );
            assert.equal(error.code, "VALIDATION_ERROR");
            assert.match(error.message, /names the user with Username quinn, but username "rita"/);
            assert.equal((await getStoredUser(cognito.client, pool.id, "quinn"))!.attributes.given_name, "Quinn");
            assert.equal(await getStoredUser(cognito.client, pool.id, "rita"), undefined);
            await handlers.remove(made.id, made.outs);
        });

        it("check rejects an import id in another pool", async function () {
            const result = await handlers.check(
                {},
                { userPoolId: pool.id, username: "u", region: TEST_REGION, endpoint: cognito.endpoint, importId: `${emailPool.id}/u` },
            );
            assert.deepEqual(
                (result.failures ?? []).map((f) => f.property),
                ["importId"],
            );
        });
    });
});
