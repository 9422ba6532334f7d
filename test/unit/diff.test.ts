/**
 * `diffUser` and `planUserUpdate`: what a change to the program does to a recorded user, starting from
 * state as `create` records it.
 */
import { strict as assert } from "assert";
import { diffUser, namesSameUser, planUserUpdate } from "../../provider/shared/diff";
import { UserInputs, UserOutputs } from "../../provider/shared/types";
import { UNKNOWN } from "../../provider/shared/unknown";
import { checkedInputs, createdOutputs, LOCAL_POOL, TEST_PASSWORD } from "./fixtures";

const SUB = "8c1f2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

/** A user created from `base` inputs, then diffed against `base` with `changes` applied. */
function diffAfter(base: Record<string, unknown>, changes: Record<string, unknown>, cognito: Parameters<typeof createdOutputs>[1] = {}) {
    const olds = createdOutputs(checkedInputs(base), { sub: SUB, ...cognito });
    return diffUser(olds, checkedInputs({ ...base, ...changes }));
}

function noChange(d: ReturnType<typeof diffUser>): void {
    assert.deepEqual(d, {
        changed: [],
        replaces: [],
        deleteBeforeReplace: false,
    });
}

describe("diffUser", () => {
    describe("no-op", () => {
        const cases: Array<[string, Record<string, unknown>]> = [
            ["minimal", {}],
            [
                "every input",
                {
                    attributes: { email: "a@example.com", tier: "gold" },
                    password: TEST_PASSWORD,
                    groups: ["b", "a"],
                    enabled: false,
                    profile: "dev",
                },
            ],
            ["temporary password", { temporaryPassword: TEST_PASSWORD }],
            ["cognito-local", { userPoolId: LOCAL_POOL, endpoint: "http://127.0.0.1:9229" }],
            ["explicit region", { region: "eu-west-1" }],
        ];
        for (const [name, base] of cases) {
            it(`reports nothing when the inputs are unchanged (${name}): a second up is a no-op`, () => {
                noChange(diffAfter(base, {}));
            });
        }

        it("reports nothing for a generated password on the next up", () => {
            noChange(diffAfter({ generatePassword: true }, {}, { generatedPassword: "Generated-Passw0rd!" }));
        });

        it("reports nothing when the user is email-as-username (Username is the sub)", () => {
            noChange(diffAfter({ username: "alice@example.com" }, {}, { username: SUB }));
        });
    });

    describe("attributes", () => {
        it("updates in place when an attribute is added, changed or removed", () => {
            const base = { attributes: { email: "a@example.com", tier: "gold" } };
            for (const attributes of [
                { email: "a@example.com", tier: "gold", locale: "en" },
                { email: "a@example.com", tier: "silver" },
                { email: "a@example.com" },
            ]) {
                assert.deepEqual(diffAfter(base, { attributes }), {
                    changed: ["attributes"],
                    replaces: [],
                    deleteBeforeReplace: false,
                });
            }
        });

        it("sees no change between tier and custom:tier", () => {
            noChange(diffAfter({ attributes: { tier: "gold" } }, { attributes: { "custom:tier": "gold" } }));
        });

        it("never compares the sub Cognito added", () => {
            const olds = createdOutputs(checkedInputs(), { sub: SUB });
            noChange(diffUser({ ...olds, attributes: { ...olds.attributes, sub: SUB } }, checkedInputs()));
        });

        it("reports a change while an attribute value is unknown", () => {
            assert.deepEqual(diffAfter({}, { attributes: { email: UNKNOWN } }).changed, ["attributes"]);
        });
    });

    describe("replacement", () => {
        it("replaces on a new pool id, without deleting first (the new user lives elsewhere)", () => {
            assert.deepEqual(diffAfter({}, { userPoolId: "eu-west-1_ZyXwVu987" }), {
                changed: ["userPoolId"],
                replaces: ["userPoolId"],
                deleteBeforeReplace: false,
            });
        });

        it("replaces on a new username, without deleting first", () => {
            assert.deepEqual(diffAfter({}, { username: "bob" }), {
                changed: ["username"],
                replaces: ["username"],
                deleteBeforeReplace: false,
            });
        });

        it("records a new Region as an update, never a replacement (the update proves the user is there first)", () => {
            assert.deepEqual(diffAfter({ userPoolId: LOCAL_POOL, region: "eu-west-1" }, { region: "us-east-1" }), {
                changed: ["region"],
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("records a new endpoint as an update, never a replacement, whether added, changed or dropped", () => {
            const base = { userPoolId: LOCAL_POOL, endpoint: "http://127.0.0.1:9229" };
            assert.deepEqual(diffAfter(base, { endpoint: "http://127.0.0.1:9230" }), {
                changed: ["endpoint"],
                replaces: [],
                deleteBeforeReplace: false,
            });
            assert.deepEqual(diffAfter({}, { endpoint: "http://127.0.0.1:9229" }).replaces, []);
            assert.deepEqual(diffAfter({ endpoint: "http://127.0.0.1:9229", region: "eu-west-1" }, { endpoint: undefined }).replaces, []);
        });

        it("replaces on a new username with a new endpoint, creating the new user first", () => {
            const d = diffAfter(
                { userPoolId: LOCAL_POOL, endpoint: "http://127.0.0.1:9229" },
                { endpoint: "http://127.0.0.1:9230", username: "bob" },
            );
            assert.deepEqual(d.replaces, ["username"]);
            assert.equal(d.deleteBeforeReplace, false);
        });

        it("replaces when the pool id is unknown, and cannot know it is the same user", () => {
            assert.deepEqual(diffAfter({ region: "eu-west-1" }, { userPoolId: UNKNOWN }), {
                changed: ["userPoolId"],
                replaces: ["userPoolId"],
                deleteBeforeReplace: false,
            });
            // Without a declared Region, the Region it would give is unknown too: an update, not a replacement.
            const d = diffAfter({}, { userPoolId: UNKNOWN });
            assert.deepEqual(d.replaces, ["userPoolId"]);
            assert.ok(d.changed.includes("region"));
        });

        it("replaces when the username is unknown", () => {
            const d = diffAfter({}, { username: UNKNOWN });
            assert.deepEqual(d.replaces, ["username"]);
            assert.equal(d.deleteBeforeReplace, false);
        });
    });

    describe("username changes follow the pool's kind", () => {
        const base = {
            username: "alice@example.com",
            attributes: { email: "alice@example.com", phone_number: "+15555550100" },
        };
        // In an email- or phone-as-username pool Cognito assigns a UUID as the Username.
        const emailPool = { username: SUB };

        it("email-as-username pool: a username equal to the newly declared email is the same user, updated in place", () => {
            const moved = { email: "alice.new@example.com", phone_number: "+15555550100" };
            assert.deepEqual(diffAfter(base, { username: "alice.new@example.com", attributes: moved }, emailPool), {
                changed: ["username", "attributes"],
                replaces: [],
                deleteBeforeReplace: false,
            });
            // The email compared without case, as Cognito compares it.
            assert.deepEqual(diffAfter(base, { username: "ALICE@example.com" }, emailPool).replaces, []);
            // A phone-as-username pool: the newly declared phone.
            assert.deepEqual(diffAfter(base, { username: "+15555550100" }, emailPool).replaces, []);
        });

        it("email-as-username pool: any other username is another user (replaced, created first)", () => {
            for (const username of [SUB, "carol@example.com"]) {
                const d = diffAfter(base, { username }, emailPool);
                assert.deepEqual(d.replaces, ["username"], username);
                assert.equal(d.deleteBeforeReplace, false);
            }
        });

        it("plain-username pool: a different username is another user, even when it is the user's email", () => {
            const plain = { username: "alice", attributes: { email: "alice@example.com" } };
            const d = diffAfter(plain, { username: "alice@example.com" });
            assert.deepEqual(d.replaces, ["username"]);
            assert.equal(d.deleteBeforeReplace, false);
        });
    });

    describe("passwords", () => {
        it("updates in place when the password changes, is set or is dropped", () => {
            assert.deepEqual(diffAfter({ password: TEST_PASSWORD }, { password: `${TEST_PASSWORD}2` }).changed, ["password"]);
            assert.deepEqual(diffAfter({}, { password: TEST_PASSWORD }).changed, ["password"]);
            assert.deepEqual(diffAfter({ password: TEST_PASSWORD }, { password: undefined }).changed, ["password"]);
        });

        it("updates in place when the temporary password changes", () => {
            assert.deepEqual(diffAfter({ temporaryPassword: TEST_PASSWORD }, { temporaryPassword: `${TEST_PASSWORD}2` }).changed, [
                "temporaryPassword",
            ]);
        });

        it("reports the switch between kinds", () => {
            assert.deepEqual(
                diffAfter({ temporaryPassword: TEST_PASSWORD }, { temporaryPassword: undefined, password: TEST_PASSWORD }).changed,
                ["password", "temporaryPassword"],
            );
            assert.deepEqual(diffAfter({}, { generatePassword: true }).changed, ["generatePassword"]);
            assert.deepEqual(
                diffAfter(
                    { generatePassword: true },
                    { generatePassword: false, password: TEST_PASSWORD },
                    { generatedPassword: "Generated-Passw0rd!" },
                ).changed,
                ["password", "generatePassword"],
            );
            assert.deepEqual(diffAfter({ password: TEST_PASSWORD }, { password: undefined, generatePassword: true }).changed, [
                "password",
                "generatePassword",
            ]);
        });

        it("reports dropping generatePassword", () => {
            const d = diffAfter({ generatePassword: true }, { generatePassword: false }, { generatedPassword: "Generated-Passw0rd!" });
            assert.ok(d.changed.includes("generatePassword"));
            assert.deepEqual(d.replaces, []);
        });

        describe("imported users (the password cannot be read back)", () => {
            const adopted = (base: Record<string, unknown> = {}): UserOutputs =>
                createdOutputs(checkedInputs(base), {
                    sub: SUB,
                    passwordManaged: false,
                });

            it("reports nothing while no password is declared", () => {
                noChange(diffUser(adopted(), checkedInputs({})));
            });

            it("counts a declared password as a change: the provider sets it, then records it", () => {
                assert.deepEqual(diffUser(adopted(), checkedInputs({ password: TEST_PASSWORD })).changed, ["password"]);
                assert.deepEqual(diffUser(adopted(), checkedInputs({ temporaryPassword: TEST_PASSWORD })).changed, ["temporaryPassword"]);
                assert.deepEqual(diffUser(adopted(), checkedInputs({ generatePassword: true })).changed, ["generatePassword"]);
            });

            it("counts a change of the password once one is recorded (state of 0.1.0 recorded the declared one)", () => {
                const olds = { ...adopted(), password: TEST_PASSWORD };
                noChange(diffUser(olds, checkedInputs({ password: TEST_PASSWORD })));
                assert.deepEqual(diffUser(olds, checkedInputs({ password: `${TEST_PASSWORD}2` })).changed, ["password"]);
            });
        });
    });

    describe("inputs that never change a user", () => {
        const cases: Array<[string, Record<string, unknown>]> = [
            ["clientMetadata", { clientMetadata: { source: "seed" } }],
            ["validationData", { validationData: { invite: "x" } }],
            ["forceAliasCreation", { forceAliasCreation: true }],
        ];
        for (const [name, change] of cases) {
            it(`ignores ${name} (create-only)`, () => {
                noChange(diffAfter({}, change));
            });
        }
    });

    describe("settings that read and delete use", () => {
        for (const [name, change] of [
            ["profile", { profile: "prod" }],
            ["maxAttempts", { maxAttempts: 3 }],
        ] as Array<[string, Record<string, unknown>]>) {
            it(`records a change of ${name} (an update with no Cognito call), so read and delete use it`, () => {
                assert.deepEqual(diffAfter({}, change), { changed: [name], replaces: [], deleteBeforeReplace: false });
            });
        }
    });

    describe("enabled and groups", () => {
        it("updates in place when enabled changes", () => {
            assert.deepEqual(diffAfter({}, { enabled: false }).changed, ["enabled"]);
            assert.deepEqual(diffAfter({ enabled: false }, { enabled: true }).changed, ["enabled"]);
        });

        it("treats a missing recorded enabled as true", () => {
            const olds: Partial<UserOutputs> = createdOutputs(checkedInputs());
            delete olds.enabled;
            noChange(diffUser(olds, checkedInputs()));
        });

        it("ignores group order and duplicates", () => {
            noChange(diffAfter({ groups: ["a", "b", "c"] }, { groups: ["c", "a", "b", "a"] }));
            const olds = {
                ...createdOutputs(checkedInputs({ groups: ["a", "b"] })),
                groups: ["b", "a"],
            };
            noChange(diffUser(olds, checkedInputs({ groups: ["a", "b"] })));
        });

        it("updates in place when groups are added or removed", () => {
            assert.deepEqual(diffAfter({ groups: ["a"] }, { groups: ["a", "b"] }).changed, ["groups"]);
            assert.deepEqual(diffAfter({ groups: ["a", "b"] }, { groups: [] }).changed, ["groups"]);
        });

        it("reports a change while a group is unknown", () => {
            assert.deepEqual(diffAfter({ groups: ["a"] }, { groups: ["a", UNKNOWN] }).changed, ["groups"]);
        });
    });
});

describe("namesSameUser", () => {
    const olds: Partial<UserOutputs> = {
        username: "alice@example.com",
        cognitoUsername: SUB,
        sub: SUB,
        attributes: { email: "alice@example.com", preferred_username: "ally" },
    };

    it("accepts every name the user has", () => {
        for (const name of ["alice@example.com", SUB, SUB.toUpperCase(), "ally", "Ally"]) assert.ok(namesSameUser(olds, name), name);
    });

    it("rejects another user's name", () => {
        assert.ok(!namesSameUser(olds, "bob@example.com"));
        assert.ok(!namesSameUser({}, "alice"));
    });
});

describe("planUserUpdate", () => {
    function plan(base: Record<string, unknown>, changes: Record<string, unknown>, olds?: UserOutputs) {
        const recorded =
            olds ??
            createdOutputs(checkedInputs(base), {
                sub: SUB,
                generatedPassword: base.generatePassword ? "Generated-Passw0rd!" : undefined,
            });
        const news: UserInputs = checkedInputs({ ...base, ...changes });
        return planUserUpdate(recorded, news);
    }

    const nothing = {
        attributes: { toWrite: {}, toDelete: [] },
        password: { kind: "keep" },
        groupsToAdd: [],
        groupsToRemove: [],
        enable: undefined,
    };

    it("plans no call when nothing changed", () => {
        assert.deepEqual(
            plan(
                {
                    attributes: { email: "a@example.com", tier: "a" },
                    groups: ["g"],
                    password: TEST_PASSWORD,
                },
                {},
            ),
            nothing,
        );
        assert.deepEqual(plan({ generatePassword: true }, {}), nothing);
    });

    it("writes only added and changed attributes and deletes only removed ones", () => {
        const p = plan(
            { attributes: { email: "a@example.com", tier: "gold", locale: "en" } },
            {
                attributes: { email: "a@example.com", tier: "silver", zoneinfo: "UTC" },
            },
        );
        assert.deepEqual(p.attributes, {
            toWrite: { "custom:tier": "silver", zoneinfo: "UTC" },
            toDelete: ["locale"],
        });
        assert.deepEqual({ ...p, attributes: nothing.attributes }, nothing);
    });

    it("adds and removes only the groups that differ", () => {
        const p = plan({ groups: ["a", "b", "c"] }, { groups: ["b", "d", "a"] });
        assert.deepEqual(p.groupsToAdd, ["d"]);
        assert.deepEqual(p.groupsToRemove, ["c"]);
        assert.deepEqual({ ...p, groupsToAdd: [], groupsToRemove: [] }, nothing);
    });

    it("enables or disables only when enabled changes", () => {
        assert.equal(plan({}, { enabled: false }).enable, false);
        assert.equal(plan({ enabled: false }, { enabled: true }).enable, true);
        assert.equal(plan({ enabled: false }, {}).enable, undefined);
    });

    it("sets the declared permanent password when it changes", () => {
        assert.deepEqual(plan({ password: TEST_PASSWORD }, { password: `${TEST_PASSWORD}2` }).password, {
            kind: "permanent",
            source: "declared",
        });
        assert.deepEqual(plan({ temporaryPassword: TEST_PASSWORD }, { temporaryPassword: undefined, password: TEST_PASSWORD }).password, {
            kind: "permanent",
            source: "declared",
        });
    });

    it("sets a temporary password when it changes", () => {
        assert.deepEqual(plan({ temporaryPassword: TEST_PASSWORD }, { temporaryPassword: `${TEST_PASSWORD}2` }).password, {
            kind: "temporary",
        });
        assert.deepEqual(plan({ password: TEST_PASSWORD }, { password: undefined, temporaryPassword: TEST_PASSWORD }).password, {
            kind: "temporary",
        });
    });

    it("generates a password only when generation is switched on", () => {
        assert.deepEqual(plan({}, { generatePassword: true }).password, {
            kind: "permanent",
            source: "generated",
        });
        assert.deepEqual(plan({ password: TEST_PASSWORD }, { password: undefined, generatePassword: true }).password, {
            kind: "permanent",
            source: "generated",
        });
        assert.deepEqual(plan({ generatePassword: true }, { groups: ["a"] }).password, { kind: "keep" });
    });

    it("keeps the password in Cognito when a declared password is dropped or generation is switched off", () => {
        assert.deepEqual(plan({ password: TEST_PASSWORD }, { password: undefined }).password, { kind: "keep" });
        assert.deepEqual(plan({ generatePassword: true }, { generatePassword: false }).password, { kind: "keep" });
    });

    it("sets an imported user's password once one is declared, and leaves it alone while none is", () => {
        const adopted = createdOutputs(checkedInputs(), {
            sub: SUB,
            passwordManaged: false,
        });
        assert.deepEqual(plan({}, {}, adopted).password, { kind: "keep" });
        assert.deepEqual(plan({}, { password: TEST_PASSWORD }, adopted).password, {
            kind: "permanent",
            source: "declared",
        });
        assert.deepEqual(plan({}, { generatePassword: true }, adopted).password, {
            kind: "permanent",
            source: "generated",
        });
        assert.deepEqual(plan({}, { password: `${TEST_PASSWORD}2` }, { ...adopted, password: TEST_PASSWORD }).password, {
            kind: "permanent",
            source: "declared",
        });
    });
});
