/**
 * The batch resource's pure parts: reading users from CSV and JSON, defaults, splitting out passwords,
 * `check` (every user validated, property paths, duplicates), planning which users to create, update
 * and delete, the recorded state, progress lines, quota categories and the partial-failure error.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { UserOutputs } from "../../provider/shared/types";
import { UNKNOWN } from "../../provider/shared/unknown";
import { BatchOperationError } from "../../provider/batch/errors";
import { Progress, PROGRESS_MIN_USERS, setProgressSink } from "../../provider/batch/executor";
import { applyDefaults, parseUsersCsv, parseUsersJson, splitPasswords, UsersFileError } from "../../provider/batch/load";
import { checkBatch, DEFAULT_CONCURRENCY } from "../../provider/batch/check";
import { batchReplaces, batchSettingsChanges, planBatch, recordOf, userInputsOf, userOutputsOf } from "../../provider/batch/plan";
import { categoryOfCommand, DEFAULT_QUOTA_RATES, OPERATION_CATEGORY, resolveRates } from "../../provider/batch/quotas";
import { BatchState } from "../../provider/batch/state";
import { BatchInputs, BatchOutputs } from "../../provider/batch/types";
import { declareUsers, declareUsersJson } from "../../provider/batch/cognitoUserBatch";
import { LOCAL_POOL, REAL_POOL, TEST_PASSWORD } from "./fixtures";

/** Raw batch inputs as the resource class sends them; tests override single properties. */
function rawBatch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        userPoolId: REAL_POOL,
        declaredUsers: [
            { username: "alice", attributes: { email: "alice@example.com" }, groups: ["viewers"] },
            { username: "bob", attributes: { email: "bob@example.com", tenant: "acme" }, generatePassword: true },
        ],
        ...overrides,
    };
}

/** Checked inputs that must be valid. */
function checked(overrides: Record<string, unknown> = {}): BatchInputs {
    const { inputs, failures } = checkBatch(rawBatch(overrides));
    assert.deepEqual(failures, [], "fixture batch must be valid");
    return inputs;
}

/** The outputs a create of `inputs` records, with Cognito's answer simulated (canonical name = username). */
function createdBatch(inputs: BatchInputs, generated = "Generated-Passw0rd!"): BatchOutputs {
    const state = new BatchState();
    for (const [username, user] of Object.entries(inputs.declaredUsers)) {
        const declared = userInputsOf(inputs, username, user, inputs.userPasswords[username]);
        const outputs: UserOutputs = {
            ...declared,
            cognitoUsername: username,
            sub: `sub-${username}`,
            status: "CONFIRMED",
            createdAt: "",
            lastModifiedAt: "",
            mfaSettingList: [],
            passwordManaged: true,
            password: declared.generatePassword ? generated : declared.password,
        };
        state.set(username, outputs);
    }
    return state.toOutputs(inputs);
}

describe("batch: users files", function () {
    it("reads a CSV: field columns, groups separated by ';', every other column an attribute", function () {
        const users = parseUsersCsv(
            [
                "username,email,custom:tenant,groups,enabled,generatePassword,password",
                "alice,alice@example.com,acme,viewers; editors,,true,",
                `bob,bob@example.com,,,false,,${TEST_PASSWORD}`,
            ].join("\n"),
        );
        assert.deepEqual(users[0], {
            username: "alice",
            generatePassword: true,
            groups: ["viewers", "editors"],
            attributes: { email: "alice@example.com", "custom:tenant": "acme" },
        });
        // An empty cell leaves the attribute (and the field) unset.
        assert.deepEqual(users[1].attributes, { email: "bob@example.com" });
        assert.equal(users[1].enabled, false);
        assert.ok(users[1].password === TEST_PASSWORD, "the password column is read");
    });

    it("names the file and row of a CSV problem", function () {
        assert.throws(
            () => parseUsersCsv("username,email\n,x@example.com\n", "seed/users.csv"),
            (e: Error) => e instanceof UsersFileError && /seed\/users\.csv row 2/.test(e.message),
        );
        assert.throws(() => parseUsersCsv("username,enabled\nalice,maybe\n"), /column enabled must be true or false/);
    });

    it("names the file and its header when the CSV has no username column, as a RunError (no stack trace)", function () {
        for (const [text, header] of [
            ["email,given_name\nada@example.com,Ada\n", "email,given_name"],
            ["ada@example.com,Ada\nbob@example.com,Bob\n", "ada@example.com,Ada"], // no header row at all
        ]) {
            assert.throws(
                () => parseUsersCsv(text, "seed/users.csv"),
                (e: Error) => {
                    assert.ok(e instanceof UsersFileError);
                    assert.ok(pulumi.RunError.isInstance(e), "Pulumi prints a RunError's message without the stack");
                    assert.ok(e.message.startsWith(`seed/users.csv: the header row (${header}) has no "username" column.`), e.message);
                    assert.match(e.message, /e\.g\. username,email,given_name,groups/);
                    assert.doesNotMatch(e.message, /row 2/, "no data row is blamed");
                    return true;
                },
            );
        }
        assert.throws(
            () => parseUsersCsv("Username,email\nada,ada@example.com\n", "u.csv"),
            /case-sensitive: "Username" is not "username"/,
        );
        assert.throws(
            () => parseUsersCsv("", "u.csv"),
            /^UsersFileError: u\.csv: the file is empty; a CSV users file starts with a header row/,
        );
        assert.deepEqual(parseUsersCsv("username,email\n", "u.csv"), [], "a header alone declares no users");
    });

    it("reads a JSON array of users and rejects anything else", function () {
        assert.deepEqual(parseUsersJson('[{"username":"alice","groups":["viewers"]}]'), [{ username: "alice", groups: ["viewers"] }]);
        assert.throws(() => parseUsersJson('{"username":"alice"}'), /expected an array of users/);
        assert.throws(() => parseUsersJson("[1]"), /each user must be an object/);
        assert.throws(() => parseUsersJson("[oops"), /not valid JSON/);
    });

    it("applies defaults a user does not set: attributes merge by name, password kinds count as one field", function () {
        const [plain, own] = applyDefaults(
            [
                { username: "a", attributes: { email: "a@example.com" } },
                { username: "b", password: TEST_PASSWORD, enabled: false, attributes: { email_verified: "false" } },
            ],
            { generatePassword: true, enabled: true, groups: ["viewers"], attributes: { email_verified: "true" } },
        );
        assert.deepEqual(plain, {
            username: "a",
            attributes: { email_verified: "true", email: "a@example.com" },
            generatePassword: true,
            enabled: true,
            groups: ["viewers"],
        });
        assert.equal(own.generatePassword, undefined, "a user's own password excludes the default generatePassword");
        assert.equal(own.enabled, false);
        assert.deepEqual(own.attributes, { email_verified: "false" });
    });

    it("splits passwords out of the list into a map by username", function () {
        const { users, passwords } = splitPasswords([
            { username: "a", password: TEST_PASSWORD },
            { username: "b", temporaryPassword: TEST_PASSWORD },
            { username: "c" },
        ]);
        assert.deepEqual(users, [{ username: "a" }, { username: "b" }, { username: "c" }]);
        assert.deepEqual(Object.keys(passwords), ["a", "b"]);
        assert.ok(passwords.a.password === TEST_PASSWORD && passwords.b.temporaryPassword === TEST_PASSWORD);
    });
});

describe("batch: check", function () {
    it("normalizes the users into a map by username, defaults left out", function () {
        const inputs = checked();
        assert.deepEqual(inputs.declaredUsers, {
            alice: { attributes: { email: "alice@example.com" }, groups: ["viewers"] },
            bob: { attributes: { "custom:tenant": "acme", email: "bob@example.com" }, generatePassword: true },
        });
        assert.equal(inputs.concurrency, DEFAULT_CONCURRENCY);
        assert.equal(inputs.adoptExisting, false, "a batch adopts existing users only when told");
        assert.equal(inputs.region, "eu-west-1", "the Region comes from the real pool id");
        assert.deepEqual(inputs.userPasswords, {});
    });

    it("accepts users keyed by username and passwords inline or in userPasswords, recording them only in userPasswords", function () {
        const inputs = checked({
            declaredUsers: { alice: { password: TEST_PASSWORD }, bob: {} },
            userPasswords: { bob: { temporaryPassword: TEST_PASSWORD } },
        });
        assert.deepEqual(Object.keys(inputs.declaredUsers), ["alice", "bob"]);
        assert.ok(!JSON.stringify(inputs.declaredUsers).includes(TEST_PASSWORD), "no password in the user list");
        assert.deepEqual(Object.keys(inputs.userPasswords), ["alice", "bob"]);
    });

    it("reports each user's problems under users[i], before any call", function () {
        const { failures } = checkBatch(
            rawBatch({
                declaredUsers: [
                    { username: "ok" },
                    { username: "x", attributes: { sub: "1" } },
                    { username: "has space" },
                    { username: "y", password: TEST_PASSWORD, generatePassword: true },
                ],
            }),
        );
        const properties = failures.map((f) => f.property);
        assert.ok(properties.includes("users[1].attributes.sub"), JSON.stringify(properties));
        assert.ok(properties.includes("users[2].username"));
        assert.ok(properties.includes("users[3].generatePassword"));
        assert.ok(!JSON.stringify(failures).includes(TEST_PASSWORD), "no password in a failure");
    });

    it("rejects duplicate usernames, compared without case", function () {
        const { failures } = checkBatch(rawBatch({ declaredUsers: [{ username: "Alice" }, { username: "bob" }, { username: "alice" }] }));
        assert.equal(failures.length, 1);
        assert.equal(failures[0].property, "users[2].username");
        assert.match(failures[0].reason, /declared twice \(first at users\[0\]\)/);
    });

    it("rejects fields that are not user fields, and batch settings set per user", function () {
        const { failures } = checkBatch(
            rawBatch({
                declaredUsers: [
                    { username: "a", emial: "x" },
                    { username: "b", userPoolId: LOCAL_POOL },
                ],
            }),
        );
        assert.deepEqual(
            failures.map((f) => f.property),
            ["users[0].emial", "users[1].userPoolId"],
        );
    });

    it("validates the batch settings once, not per user", function () {
        const { failures } = checkBatch(
            rawBatch({ userPoolId: "not a pool", region: "eu-west-1", concurrency: 0, rates: { userCreation: -1, bogus: 1 } }),
        );
        assert.deepEqual(
            failures.map((f) => f.property),
            ["userPoolId", "concurrency", "rates.userCreation", "rates.bogus"],
        );
    });

    it("requires users and accepts an empty list", function () {
        assert.deepEqual(
            checkBatch(rawBatch({ declaredUsers: undefined })).failures.map((f) => f.property),
            ["users"],
        );
        assert.deepEqual(checked({ declaredUsers: [] }).declaredUsers, {});
    });

    it("keeps users unknown during preview when the list or a username is unknown", function () {
        assert.equal(checkBatch(rawBatch({ declaredUsers: UNKNOWN })).inputs.declaredUsers, UNKNOWN);
        assert.equal(checkBatch(rawBatch({ declaredUsers: [{ username: UNKNOWN }] })).inputs.declaredUsers, UNKNOWN);
        assert.deepEqual(checkBatch(rawBatch({ userPoolId: UNKNOWN })).failures, []);
    });
});

describe("batch: plan", function () {
    it("has nothing to do right after a create, generated passwords included", function () {
        const inputs = checked();
        const plan = planBatch(createdBatch(inputs), inputs);
        assert.deepEqual(plan.create, []);
        assert.deepEqual(plan.update, []);
        assert.deepEqual(plan.delete, []);
        assert.deepEqual(plan.unchanged.sort(), ["alice", "bob"]);
    });

    it("creates, updates and deletes only the users that changed", function () {
        const olds = createdBatch(checked());
        const news = checked({
            declaredUsers: [
                { username: "alice", attributes: { email: "alice@example.org" }, groups: ["viewers"] },
                { username: "carol", attributes: { email: "carol@example.com" } },
            ],
        });
        const plan = planBatch(olds, news);
        assert.deepEqual(
            plan.create.map((u) => u.username),
            ["carol"],
        );
        assert.deepEqual(
            plan.update.map((u) => [u.news.username, u.changed]),
            [["alice", ["attributes"]]],
        );
        assert.deepEqual(
            plan.delete.map((d) => d.username),
            ["bob"],
        );
        assert.equal(plan.update[0].olds.cognitoUsername, "alice", "updates address the recorded canonical Username");
    });

    it("sees a changed declared password, and group and enabled changes", function () {
        const olds = createdBatch(
            checked({ declaredUsers: [{ username: "a", password: TEST_PASSWORD }, { username: "b" }, { username: "c" }] }),
        );
        const news = checked({
            declaredUsers: [
                { username: "a", password: TEST_PASSWORD + "x" },
                { username: "b", groups: ["g"] },
                { username: "c", enabled: false },
            ],
        });
        const changed = Object.fromEntries(planBatch(olds, news).update.map((u) => [u.news.username, u.changed]));
        assert.deepEqual(changed, { a: ["password"], b: ["groups"], c: ["enabled"] });
    });

    it("replaces the whole batch only when the pool changes; a new Region or endpoint is never a replacement", function () {
        const olds = createdBatch(checked());
        assert.deepEqual(batchReplaces(olds, checked()), []);
        assert.deepEqual(batchReplaces(olds, checked({ userPoolId: "eu-west-1_Other1234" })), ["userPoolId"]);
        assert.deepEqual(batchReplaces(olds, checked({ endpoint: "http://127.0.0.1:9229" })), []);
        assert.deepEqual(batchReplaces(olds, { ...checked(), userPoolId: UNKNOWN }), ["userPoolId"]);
    });

    it("records a change of endpoint, profile, attempts, concurrency or rates as a change of settings", function () {
        const olds = createdBatch(checked());
        assert.deepEqual(batchSettingsChanges(olds, checked()), []);
        assert.deepEqual(batchSettingsChanges(olds, checked({ endpoint: "http://127.0.0.1:9229" })), ["endpoint"]);
        assert.deepEqual(batchSettingsChanges(olds, checked({ profile: "prod" })), ["profile"]);
        assert.deepEqual(batchSettingsChanges(olds, checked({ maxAttempts: 3 })), ["maxAttempts"]);
        assert.deepEqual(batchSettingsChanges(olds, checked({ concurrency: 4 })), ["concurrency"]);
        assert.deepEqual(batchSettingsChanges(olds, checked({ rates: { userCreation: 5 } })), ["rates"]);
        const rated = createdBatch(checked({ rates: { userCreation: 5, userRead: 9 } }));
        assert.deepEqual(batchSettingsChanges(rated, checked({ rates: { userRead: 9, userCreation: 5 } })), [], "key order is no change");
    });

    it("maps a record back to the single-user outputs diff and update work on", function () {
        const inputs = checked();
        const olds = createdBatch(inputs, "Generated-Passw0rd!");
        const bob = userOutputsOf(inputs, "bob", olds.users.bob, olds);
        assert.equal(bob.generatePassword, true);
        assert.ok(bob.password === "Generated-Passw0rd!");
        assert.equal(bob.cognitoUsername, "bob");
        assert.deepEqual(recordOf(bob), olds.users.bob);
    });
});

describe("batch: recorded state", function () {
    it("keeps per user only what the next diff needs, with passwords in their own maps", function () {
        const outs = createdBatch(checked());
        assert.deepEqual(outs.users.alice, {
            cognitoUsername: "alice",
            sub: "sub-alice",
            status: "CONFIRMED",
            enabled: true,
            groups: ["viewers"],
            attributes: { email: "alice@example.com" },
        });
        assert.deepEqual(Object.keys(outs.passwords), ["bob"]);
        assert.equal(outs.count, 2);
        assert.ok(!("userPasswords" in outs), "declared passwords are inputs only");
    });

    it("forgets a removed user and its passwords", function () {
        const state = new BatchState(createdBatch(checked()));
        state.remove("bob");
        const outs = state.toOutputs(checked());
        assert.deepEqual(Object.keys(outs.users), ["alice"]);
        assert.deepEqual(outs.passwords, {});
        assert.equal(outs.count, 1);
    });
});

describe("batch: progress, quotas and errors", function () {
    afterEach(() => setProgressSink());

    it("prints a progress line at every 10%, and none for small batches", function () {
        const lines: string[] = [];
        setProgressSink((line) => lines.push(line));
        const progress = new Progress("seed", "created", 100);
        for (let i = 0; i < 100; i++) progress.tick(i !== 5);
        assert.equal(lines.length, 10);
        assert.match(lines[3], /^seed: 39\/100 users created, 1 failed \(\d+\/s\)$/);
        assert.match(lines[9], /^seed: 99\/100 users created, 1 failed/);
        const small = new Progress("seed", "created", PROGRESS_MIN_USERS - 1);
        for (let i = 0; i < PROGRESS_MIN_USERS - 1; i++) small.tick(true);
        assert.equal(lines.length, 10);
    });

    it("maps every operation the lifecycle calls to a quota category with AWS's default rate", function () {
        for (const operation of Object.keys(OPERATION_CATEGORY))
            assert.ok(DEFAULT_QUOTA_RATES[OPERATION_CATEGORY[operation]] > 0, operation);
        assert.equal(categoryOfCommand("AdminCreateUserCommand"), "userCreation");
        assert.equal(DEFAULT_QUOTA_RATES.userCreation, 50);
        assert.equal(resolveRates({ userCreation: 0 }).userCreation, 0);
        assert.equal(resolveRates(undefined).userRead, 120);
    });

    it("carries the state to record without printing it", function () {
        const error = new BatchOperationError(
            "COGNITO_ERROR",
            "seed: 1 user failed",
            [{ username: "x", action: "create", code: "COGNITO_ERROR", message: "no" }],
            {
                id: "pool/seed-1",
                properties: { passwords: { a: TEST_PASSWORD } },
            },
        );
        assert.equal(error.id, "pool/seed-1");
        assert.deepEqual(
            error.reasons,
            ['[COGNITO_ERROR] create "x": no'],
            "every user's line carries its code, as every provider error does",
        );
        assert.ok(error.properties && "passwords" in error.properties);
        assert.ok(!Object.keys(error).includes("properties"), "properties are not enumerable");
        assert.ok(!require("util").inspect(error).includes(TEST_PASSWORD), "inspecting the error shows no password");
    });
});

describe("batch: the program side (CognitoUserBatch)", function () {
    /** An output's value and whether Pulumi treats it as secret. */
    async function resolve<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
        const internal = output as unknown as { promise(): Promise<T>; isSecret: Promise<boolean> };
        return { value: await internal.promise(), secret: await internal.isSecret };
    }

    it("declareUsersJson: plain users become the JSON strings at once, the same as through Outputs", async function () {
        const plain = [
            { username: "a", password: TEST_PASSWORD, attributes: { email: "a@example.com" } },
            { username: "b", groups: ["g"] },
        ];
        const defaults = { generatePassword: true, attributes: { family_name: "F" } };
        const fast = declareUsersJson([], plain, defaults);
        const lifted = declareUsersJson([], [{ ...plain[0], attributes: { email: pulumi.output("a@example.com") } }, plain[1]], defaults);
        for (const declared of [fast, lifted]) {
            assert.deepEqual(JSON.parse((await resolve(declared.users)).value), [
                { username: "a", attributes: { family_name: "F", email: "a@example.com" } },
                { username: "b", groups: ["g"], generatePassword: true, attributes: { family_name: "F" } },
            ]);
            assert.equal((await resolve(declared.users)).secret, false);
            assert.deepEqual(await resolve(declared.passwords), {
                value: JSON.stringify({ a: { password: TEST_PASSWORD } }),
                secret: true,
            });
        }
    });

    it("splits a secret password off before resolving: only the password map is secret", async function () {
        const { users, passwords } = declareUsers(
            [{ username: "from-file", attributes: { email: "f@example.com" } }],
            [
                { username: "a", password: pulumi.secret(TEST_PASSWORD), attributes: { email: pulumi.output("a@example.com") } },
                { username: "b" },
            ],
            { generatePassword: true, groups: ["viewers"] },
        );
        const list = await resolve(users);
        assert.equal(list.secret, false, "the user list stays readable");
        assert.deepEqual(list.value, [
            { username: "from-file", attributes: { email: "f@example.com" }, generatePassword: true, groups: ["viewers"] },
            { username: "a", attributes: { email: "a@example.com" }, groups: ["viewers"] },
            { username: "b", generatePassword: true, groups: ["viewers"] },
        ]);
        const map = await resolve(passwords);
        assert.equal(map.secret, true);
        assert.deepEqual(Object.keys(map.value), ["a"]);
        assert.ok(map.value.a.password === TEST_PASSWORD);
    });

    it("gives a default password to the users without one", async function () {
        const { users, passwords } = declareUsers([], [{ username: "a" }, { username: "b", generatePassword: true }], {
            temporaryPassword: TEST_PASSWORD,
        });
        assert.deepEqual((await resolve(users)).value, [{ username: "a" }, { username: "b", generatePassword: true }]);
        const map = (await resolve(passwords)).value;
        assert.deepEqual(Object.keys(map), ["a"]);
        assert.ok(map.a.temporaryPassword === TEST_PASSWORD);
    });

    it("splits a list given as one Output once it resolves", async function () {
        const { users, passwords } = declareUsers([], pulumi.output([{ username: "a", password: TEST_PASSWORD }]), undefined);
        assert.deepEqual((await resolve(users)).value, [{ username: "a" }]);
        assert.equal((await resolve(passwords)).secret, true);
    });
});
