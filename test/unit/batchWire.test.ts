/**
 * The batch's wire form (provider/batch/wire.ts): the users and their secrets cross Pulumi's RPCs and sit
 * in the state as JSON strings. Round trips, the compact stored record, state written in the earlier
 * form (maps) read as it is and rewritten by the next update, and `check` taking the program's strings.
 */
import { strict as assert } from "assert";
import * as handlers from "../../provider/batch/handlers";
import { BatchOutputs, BatchUserRecord } from "../../provider/batch/types";
import {
    decodeInputs,
    decodeOutputs,
    encodeInputs,
    encodeOutputs,
    encodeOutputsLike,
    isEarlierForm,
    recordOfStored,
    storedRecordOf,
} from "../../provider/batch/wire";
import { UNKNOWN } from "../../provider/shared/unknown";
import { planBatch } from "../../provider/batch/plan";
import { describePlan, LISTED_USERS } from "../../provider/batch/planReport";
import { REAL_POOL } from "./fixtures";

const settings = { userPoolId: REAL_POOL, region: "eu-west-1", maxAttempts: 3, concurrency: 10, adoptExisting: false };
const SUB = "4c1f3a4e-6d43-4a59-9b1e-0a8c2d1e7f00";

const plain: BatchUserRecord = {
    cognitoUsername: "alice",
    sub: SUB,
    status: "CONFIRMED",
    enabled: true,
    groups: [],
    attributes: { email: "alice@example.com" },
};
const unusual: BatchUserRecord = {
    cognitoUsername: "7a0c5e0e-1111-4c4c-8a8a-000000000001",
    sub: SUB,
    status: "FORCE_CHANGE_PASSWORD",
    enabled: false,
    groups: ["admins"],
    attributes: {},
    generatePassword: true,
    passwordManaged: false,
    mfa: { totp: true, sms: false, preferred: "totp" },
};

const outputs: BatchOutputs = {
    ...settings,
    users: { alice: plain, "bob@example.com": unusual },
    passwords: { alice: "Secret-1!" },
    temporaryPasswords: {},
    totpSecrets: { "bob@example.com": "JBSWY3DPEHPK3PXP" },
    count: 2,
    accountId: "123456789012",
};

describe("batch: the wire form", function () {
    it("stores a record without the fields at their usual value, and reads it back whole", function () {
        assert.deepEqual(storedRecordOf("alice", plain), { sub: SUB, attributes: { email: "alice@example.com" } });
        assert.deepEqual(recordOfStored("alice", storedRecordOf("alice", plain)), plain);
        assert.deepEqual(recordOfStored("bob@example.com", storedRecordOf("bob@example.com", unusual)), unusual);
    });

    it("outputs round-trip through JSON strings, and the secrets stay out of the users' string", function () {
        const wire = encodeOutputs(outputs);
        for (const key of ["users", "passwords", "temporaryPasswords", "totpSecrets"] as const) assert.equal(typeof wire[key], "string");
        assert.ok(!String(wire.users).includes("Secret-1!") && !String(wire.users).includes("JBSWY3DPEHPK3PXP"));
        assert.deepEqual(decodeOutputs(wire), outputs);
        assert.equal(isEarlierForm(wire), false);
    });

    it("reads state in the earlier form (maps) as it is, and a refresh keeps that form", function () {
        assert.equal(isEarlierForm(outputs as never), true);
        assert.deepEqual(decodeOutputs(outputs as never), outputs);
        assert.deepEqual(encodeOutputsLike(outputs as never, outputs), outputs);
        assert.equal(typeof encodeOutputsLike(encodeOutputs(outputs), outputs).users, "string");
    });

    it("inputs round-trip, and unknown ones (preview) stay unknown", function () {
        const inputs = {
            ...settings,
            declaredUsers: { alice: { attributes: { email: "a@example.com" } } },
            userPasswords: { alice: { password: "x" } },
        };
        const wire = encodeInputs(inputs);
        assert.equal(wire.declaredUsers, '{"alice":{"attributes":{"email":"a@example.com"}}}');
        assert.deepEqual(decodeInputs(wire), inputs);
        const unknown = encodeInputs({ ...inputs, declaredUsers: UNKNOWN as never, userPasswords: UNKNOWN as never });
        assert.equal(unknown.declaredUsers, UNKNOWN);
        assert.equal(decodeInputs(unknown).userPasswords, UNKNOWN as never);
    });

    it("check takes the program's JSON strings and records the users keyed by username, as JSON", async function () {
        const result = await handlers.check({}, {
            ...settings,
            declaredUsers: JSON.stringify([{ username: "alice", attributes: { email: "a@example.com" }, groups: ["b", "a"] }]),
            userPasswords: JSON.stringify({ alice: { password: "Secret-1!" } }),
        } as never);
        assert.deepEqual(result.failures, undefined);
        assert.equal(result.inputs!.declaredUsers, '{"alice":{"attributes":{"email":"a@example.com"},"groups":["a","b"]}}');
        assert.equal(result.inputs!.userPasswords, '{"alice":{"password":"Secret-1!"}}');
    });

    it("check refuses users that are not JSON, naming the property and not the value", async function () {
        const result = await handlers.check({}, { ...settings, declaredUsers: "[{", userPasswords: '{"alice":' } as never);
        const text = JSON.stringify(result.failures);
        assert.match(text, /users must be the JSON/);
        assert.match(text, /userPasswords must be the JSON/);
        // One failure each; the one about the passwords is on no property, as every failure about a secret input.
        assert.deepEqual(result.failures!.map((f) => f.property).sort(), ["", "users"], "one failure each, nothing more");
        assert.ok(!text.includes('{\\"alice\\":'));
    });

    it("diff asks for an update of state in the earlier form, to rewrite it, even when no user changed", async function () {
        const declared = encodeInputs({
            ...settings,
            declaredUsers: { alice: { attributes: { email: "alice@example.com" } } },
            userPasswords: { alice: { password: "Secret-1!" } },
        });
        const recorded: BatchOutputs = { ...outputs, users: { alice: plain }, totpSecrets: undefined, count: 1 };
        delete recorded.totpSecrets;
        assert.deepEqual(await handlers.diff("id", encodeOutputs(recorded), declared), { changes: false });
        assert.deepEqual(await handlers.diff("id", recorded as never, declared), { changes: true });
    });
});

describe("batch: what a preview says of the plan (describePlan)", function () {
    const settings2 = { ...settings, batchName: "seed" };
    const record = (email: string): BatchUserRecord => ({ ...plain, attributes: { email } });
    const recorded = {
        ...settings2,
        users: { alice: record("a@x"), bob: record("b@x"), erin: record("e@x") },
        passwords: {},
        temporaryPasswords: {},
        count: 3,
    };
    const declared = (users: Record<string, { attributes: Record<string, string>; groups?: string[] }>) => ({
        ...settings2,
        declaredUsers: users,
        userPasswords: { alice: { password: "Secret-2!" } },
    });

    it("names the users that change and their fields, never a value, and no other user", function () {
        const plan = planBatch(
            recorded,
            declared({
                alice: { attributes: { email: "new@x" }, groups: ["g"] },
                bob: { attributes: { email: "b@x" } },
                dave: { attributes: {} },
            }),
        );
        const lines = describePlan("seed", plan);
        assert.deepEqual(lines, [
            "seed: 3 users change (3 declared): 1 to create, 1 to update, 1 to delete",
            "  + dave",
            "  ~ alice: attributes (email), password, groups",
            "  - erin",
        ]);
        assert.ok(!lines.join("\n").includes("new@x") && !lines.join("\n").includes("Secret-2!"));
    });

    it("says nothing when nothing changes, and counts past the first users listed", function () {
        assert.deepEqual(
            describePlan(
                "seed",
                planBatch(
                    { ...recorded, passwords: { alice: "Secret-2!" } },
                    declared({
                        alice: { attributes: { email: "a@x" } },
                        bob: { attributes: { email: "b@x" } },
                        erin: { attributes: { email: "e@x" } },
                    }),
                ),
            ),
            [],
        );
        const many = Object.fromEntries(Array.from({ length: LISTED_USERS + 5 }, (_, i) => [`u${i}`, { attributes: {} }]));
        const lines = describePlan("seed", planBatch({ ...recorded, users: {} }, declared(many)));
        assert.equal(lines.length, 1 + LISTED_USERS + 1);
        assert.equal(lines.at(-1), "  … and 5 more");
    });
});
