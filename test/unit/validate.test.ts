/**
 * `validateUserInputs`: every failure names the property and says how to fix it; valid inputs come back
 * normalized; values unknown during preview pass.
 */
import { strict as assert } from "assert";
import { DEFAULT_MAX_ATTEMPTS } from "../../provider/shared/types";
import { UNKNOWN } from "../../provider/shared/unknown";
import { regionFromPoolId, validateUserInputs, withoutSecretValues } from "../../provider/shared/validate";
import { checkedInputs, failureOf, failuresFor, LOCAL_POOL, rawInputs, REAL_POOL, TEST_PASSWORD } from "./fixtures";

describe("validateUserInputs", () => {
    describe("userPoolId", () => {
        it("accepts a real pool id and a cognito-local one", () => {
            assert.deepEqual(failuresFor({ userPoolId: REAL_POOL }), []);
            assert.deepEqual(
                failuresFor({
                    userPoolId: LOCAL_POOL,
                    endpoint: "http://127.0.0.1:9229",
                }),
                [],
            );
            assert.deepEqual(failuresFor({ userPoolId: "us-gov-west-1_AbCdEf123" }), []);
        });

        for (const missing of [undefined, null, ""]) {
            it(`requires it (${JSON.stringify(missing)}) and says what to pass`, () => {
                const failure = failureOf(failuresFor({ userPoolId: missing, region: "eu-west-1" }), "userPoolId");
                assert.match(failure.reason, /userPoolId is required/);
                assert.match(failure.reason, /pool\.id/);
            });
        }

        for (const malformed of [
            "eu-west-1-AbCdEf123",
            "eu-west-1_",
            "_AbCdEf123",
            "eu-west-1_AbC/def",
            "eu west 1_Ab",
            42,
            `eu-west-1_${"a".repeat(50)}`,
        ]) {
            it(`rejects ${JSON.stringify(malformed)} with the expected shape`, () => {
                const failure = failureOf(failuresFor({ userPoolId: malformed, region: "eu-west-1" }), "userPoolId");
                assert.match(failure.reason, /not a Cognito pool id/);
                assert.match(failure.reason, /<region>_<id>/);
                assert.match(failure.reason, /eu-west-1_AbCdEf123/);
            });
        }
    });

    describe("username", () => {
        it("accepts plain names, emails, phones and 128 characters", () => {
            for (const username of ["alice", "alice@example.com", "+15555550100", "ünïcødé", "a".repeat(128)]) {
                assert.deepEqual(failuresFor({ username }), [], username);
            }
        });

        it("requires a non-empty username and gives an example", () => {
            for (const username of [undefined, null, ""]) {
                const failure = failureOf(failuresFor({ username }), "username");
                assert.match(failure.reason, /username is required/);
                assert.match(failure.reason, /1 to 128/);
            }
        });

        it("rejects more than 128 characters, saying the length and the limit", () => {
            const failure = failureOf(failuresFor({ username: "a".repeat(129) }), "username");
            assert.match(failure.reason, /129 characters/);
            assert.match(failure.reason, /1 to 128/);
        });

        it("counts characters, not UTF-16 units", () => {
            assert.deepEqual(failuresFor({ username: "😀".repeat(128) }), []);
        });

        it("rejects white space and control characters", () => {
            for (const username of ["alice smith", " alice", "alice\t", "al\nice", "al\u0000ice"]) {
                const failure = failureOf(failuresFor({ username }), "username");
                assert.match(failure.reason, /white space or control characters/, JSON.stringify(username));
            }
        });

        it("rejects a non-string", () => {
            assert.match(failureOf(failuresFor({ username: 7 }), "username").reason, /must be a string/);
        });
    });

    describe("passwords", () => {
        it("accepts one kind of password, or none", () => {
            assert.deepEqual(failuresFor({}), []);
            assert.deepEqual(failuresFor({ password: TEST_PASSWORD }), []);
            assert.deepEqual(failuresFor({ temporaryPassword: TEST_PASSWORD }), []);
            assert.deepEqual(failuresFor({ generatePassword: true }), []);
            assert.deepEqual(failuresFor({ password: TEST_PASSWORD, generatePassword: false }), []);
        });

        it("rejects password and temporaryPassword together, naming both", () => {
            const failures = failuresFor({
                password: TEST_PASSWORD,
                temporaryPassword: TEST_PASSWORD,
            });
            const failure = failureOf(failures, "temporaryPassword");
            assert.match(failure.reason, /password and temporaryPassword exclude each other/);
            assert.match(failure.reason, /not several/);
        });

        it("rejects password and generatePassword together", () => {
            const failure = failureOf(failuresFor({ password: TEST_PASSWORD, generatePassword: true }), "generatePassword");
            assert.match(failure.reason, /password and generatePassword exclude each other/);
        });

        it("rejects temporaryPassword and generatePassword together", () => {
            const failure = failureOf(
                failuresFor({
                    temporaryPassword: TEST_PASSWORD,
                    generatePassword: true,
                }),
                "generatePassword",
            );
            assert.match(failure.reason, /temporaryPassword and generatePassword exclude each other/);
        });

        it("rejects empty, overlong and non-string passwords without echoing them", () => {
            for (const key of ["password", "temporaryPassword"]) {
                for (const value of ["", "x".repeat(257), 12345678]) {
                    const failure = failureOf(failuresFor({ [key]: value }), key);
                    assert.match(failure.reason, /non-empty string of at most 256 characters/);
                    if (typeof value === "string" && value.length > 0)
                        assert.ok(!failure.reason.includes(value), "the reason must not carry the password");
                }
            }
        });

        it("never puts a declared password into any failure", () => {
            const { failures } = validateUserInputs(
                rawInputs({
                    password: TEST_PASSWORD,
                    temporaryPassword: TEST_PASSWORD,
                    generatePassword: "yes",
                }),
            );
            assert.ok(failures.length > 0);
            for (const f of failures) assert.ok(!f.reason.includes(TEST_PASSWORD) && !f.property.includes(TEST_PASSWORD));
        });
    });

    describe("attributes", () => {
        it("accepts standard and custom attributes", () => {
            assert.deepEqual(
                failuresFor({
                    attributes: {
                        email: "a@example.com",
                        email_verified: "true",
                        tier: "gold",
                        "custom:plan": "pro",
                    },
                }),
                [],
            );
        });

        for (const owned of ["sub", "identities", "cognito:user_status"]) {
            it(`rejects "${owned}", which Cognito sets itself`, () => {
                const failure = failureOf(failuresFor({ attributes: { [owned]: "x" } }), `attributes.${owned}`);
                assert.match(failure.reason, /set by Cognito itself/);
                assert.match(failure.reason, /remove it/);
            });
        }

        it("rejects developer-only dev: attributes", () => {
            const failure = failureOf(failuresFor({ attributes: { "dev:secret": "x" } }), "attributes.dev:secret");
            assert.match(failure.reason, /developer-only/);
            assert.match(failure.reason, /remove it/);
        });

        it("rejects a custom name longer than 20 characters, with or without the prefix", () => {
            const long = "a".repeat(21);
            for (const name of [long, `custom:${long}`]) {
                const failure = failureOf(failuresFor({ attributes: { [name]: "x" } }), `attributes.${name}`);
                assert.match(failure.reason, /21 characters long/);
                assert.match(failure.reason, /at most 20/);
            }
            assert.deepEqual(failuresFor({ attributes: { ["a".repeat(20)]: "x" } }), []);
        });

        it("rejects white space in names and an empty custom name", () => {
            assert.match(failureOf(failuresFor({ attributes: { "my tier": "x" } }), "attributes.my tier").reason, /white space/);
            assert.match(failureOf(failuresFor({ attributes: { "custom:a\tb": "x" } }), "attributes.custom:a\tb").reason, /white space/);
            assert.match(failureOf(failuresFor({ attributes: { "custom:": "x" } }), "attributes.custom:").reason, /no name after/);
            assert.match(failureOf(failuresFor({ attributes: { "": "x" } }), "attributes.").reason, /empty/);
        });

        it("rejects a non-string value on the attribute's own property, naming it and saying to write a string", () => {
            for (const value of [true, 3, null, { nested: "x" }, ["x"]]) {
                const failures = failuresFor({ attributes: { email: "a@example.com", email_verified: value } });
                assert.deepEqual(
                    failures.map((f) => f.property),
                    ["attributes.email_verified"],
                    "only the bad attribute fails",
                );
                assert.match(failures[0].reason, /^attribute email_verified is /);
                assert.match(failures[0].reason, /write it as a string/);
            }
            assert.match(failureOf(failuresFor({ attributes: { tier: 3 } }), "attributes.tier").reason, /a number.*`"tier": "3"`/);
            assert.match(failureOf(failuresFor({ attributes: { "custom:vip": false } }), "attributes.custom:vip").reason, /a boolean/);
            assert.match(failureOf(failuresFor({ attributes: ["email"] }), "attributes").reason, /map names to string values/);
        });

        it("rejects a value longer than 2048 characters", () => {
            const failure = failureOf(failuresFor({ attributes: { tier: "x".repeat(2049) } }), "attributes.tier");
            assert.match(failure.reason, /2049 characters long/);
            assert.match(failure.reason, /at most 2048/);
        });
    });

    describe("booleans", () => {
        for (const key of ["enabled", "generatePassword", "forceAliasCreation"]) {
            it(`rejects a non-boolean ${key}`, () => {
                for (const value of ["true", 1, "yes"]) {
                    const failure = failureOf(failuresFor({ [key]: value }), key);
                    assert.match(failure.reason, new RegExp(`${key} must be true or false`));
                }
            });
        }
    });

    describe("groups", () => {
        it("rejects a non-list", () => {
            assert.match(failureOf(failuresFor({ groups: "admins" }), "groups").reason, /list of group names/);
        });

        it("names each bad group by its index", () => {
            const failures = failuresFor({
                groups: ["admins", "", "has space", "g".repeat(129), 5],
            });
            assert.deepEqual(
                failures.map((f) => f.property),
                ["groups[1]", "groups[2]", "groups[3]", "groups[4]"],
            );
            for (const f of failures) assert.match(f.reason, /1 to 128 characters, no white space/);
        });
    });

    describe("importId (the import resource option)", () => {
        it("accepts <userPoolId>/<name> in the declared pool, whatever the name", () => {
            for (const name of ["alice", "alice@example.com", "+15550100", "0b5f1d7e-6c1a-4c1e-9a77-2f0c3d1e4b5a", "a/b"]) {
                assert.deepEqual(failuresFor({ importId: `${REAL_POOL}/${name}` }), []);
                assert.equal(checkedInputs({ importId: `${REAL_POOL}/${name}` }).importId, `${REAL_POOL}/${name}`);
            }
            assert.equal(checkedInputs().importId, undefined);
        });

        it("rejects an id that is not <userPoolId>/<name>, with an example", () => {
            for (const importId of ["alice", `${REAL_POOL}/`, "/alice", 7]) {
                const failure = failureOf(failuresFor({ importId }), "importId");
                assert.match(failure.reason, /<userPoolId>\/<username>/);
                assert.match(failure.reason, /eu-west-1_AbCdEf123\/admin@example\.com/);
            }
        });

        it("rejects an id in another pool than userPoolId, saying both", () => {
            const failure = failureOf(failuresFor({ importId: "eu-west-1_Other1234/alice" }), "importId");
            assert.match(failure.reason, /eu-west-1_Other1234/);
            assert.ok(failure.reason.includes(REAL_POOL));
            assert.match(failure.reason, /remove the `import` option/);
        });

        it("accepts an unknown id or pool (preview)", () => {
            assert.deepEqual(failuresFor({ importId: UNKNOWN }), []);
            assert.deepEqual(failuresFor({ userPoolId: UNKNOWN, region: "eu-west-1", importId: `${REAL_POOL}/alice` }), []);
        });
    });

    describe("connection", () => {
        it("rejects an endpoint that is not an http(s) URL", () => {
            for (const endpoint of ["127.0.0.1:9229", "ftp://host", "http://has space", 9229]) {
                const failure = failureOf(failuresFor({ endpoint }), "endpoint");
                assert.match(failure.reason, /is not a URL/);
                assert.match(failure.reason, /http:\/\/127\.0\.0\.1:9229/);
            }
            assert.deepEqual(
                failuresFor({
                    endpoint: "https://cognito-idp.eu-west-1.amazonaws.com",
                }),
                [],
            );
        });

        it("rejects maxAttempts outside 1..50 or not whole", () => {
            for (const maxAttempts of [0, -1, 51, 2.5, "3"]) {
                assert.match(failureOf(failuresFor({ maxAttempts }), "maxAttempts").reason, /whole number from 1 to 50/);
            }
            assert.equal(checkedInputs({ maxAttempts: 1 }).maxAttempts, 1);
            assert.equal(checkedInputs({ maxAttempts: 50 }).maxAttempts, 50);
            assert.equal(checkedInputs().maxAttempts, DEFAULT_MAX_ATTEMPTS);
        });

        it("rejects a profile that is not a name", () => {
            assert.match(failureOf(failuresFor({ profile: 3 }), "profile").reason, /name of an AWS profile/);
        });

        it("requires a Region when neither the pool id nor an endpoint gives one, and says where to set it", () => {
            const failure = failureOf(failuresFor({ userPoolId: LOCAL_POOL }), "region");
            assert.match(failure.reason, /aws:region/);
            assert.match(failure.reason, /AWS_REGION/);
        });

        it("derives the Region from a real pool id", () => {
            assert.equal(checkedInputs({ userPoolId: "ap-southeast-2_AbCdEf123" }).region, "ap-southeast-2");
            assert.equal(checkedInputs({ userPoolId: "us-gov-west-1_AbCdEf123" }).region, "us-gov-west-1");
            assert.equal(checkedInputs({ userPoolId: REAL_POOL, region: "" }).region, "eu-west-1");
            assert.equal(regionFromPoolId(LOCAL_POOL), undefined);
        });

        it("rejects a declared Region that contradicts the pool id's, naming both and the fix", () => {
            const failure = failureOf(failuresFor({ userPoolId: REAL_POOL, region: "us-east-2" }), "region");
            assert.match(failure.reason, /"us-east-2" contradicts the pool id eu-west-1_AbCdEf123, which lives in eu-west-1/);
            assert.match(failure.reason, /remove the region input/);
            assert.equal(checkedInputs({ userPoolId: REAL_POOL, region: "eu-west-1" }).region, "eu-west-1");
        });

        it("defaults the Region when an endpoint is given (emulators ignore it)", () => {
            assert.equal(
                checkedInputs({
                    userPoolId: LOCAL_POOL,
                    endpoint: "http://127.0.0.1:9229",
                }).region,
                "us-east-1",
            );
        });

        it("rejects a non-string Region", () => {
            assert.match(failureOf(failuresFor({ region: 1 }), "region").reason, /region must be a string/);
        });
    });

    describe("unknown values during preview", () => {
        it("accepts every input unknown", () => {
            const raw: Record<string, unknown> = {};
            for (const key of [
                "userPoolId",
                "username",
                "attributes",
                "password",
                "enabled",
                "groups",
                "region",
                "endpoint",
                "profile",
                "maxAttempts",
                "clientMetadata",
            ]) {
                raw[key] = UNKNOWN;
            }
            assert.deepEqual(validateUserInputs(raw).failures, []);
        });

        it("accepts unknown values inside attributes and groups, and keeps them unknown", () => {
            const inputs = checkedInputs({
                attributes: { email: UNKNOWN },
                groups: ["admins", UNKNOWN],
            });
            assert.equal(inputs.attributes.email, UNKNOWN);
            assert.ok(inputs.groups.includes(UNKNOWN));
        });

        it("keeps an unknown Region unknown rather than guessing it from the pool id", () => {
            assert.equal(checkedInputs({ userPoolId: REAL_POOL, region: UNKNOWN }).region, UNKNOWN);
        });

        it("does not demand a Region while the pool id or endpoint that would give one is unknown", () => {
            assert.equal(checkedInputs({ userPoolId: UNKNOWN }).region, UNKNOWN);
            assert.equal(checkedInputs({ userPoolId: LOCAL_POOL, endpoint: UNKNOWN }).region, UNKNOWN);
        });

        it("does not count an unknown password as a second password kind", () => {
            assert.deepEqual(failuresFor({ password: UNKNOWN, generatePassword: true }), []);
        });
    });

    describe("normalization", () => {
        it("gives the same inputs for a custom attribute with and without the custom: prefix", () => {
            const bare = checkedInputs({
                attributes: { tier: "gold", email: "a@example.com" },
            });
            const prefixed = checkedInputs({
                attributes: { "custom:tier": "gold", email: "a@example.com" },
            });
            assert.deepEqual(bare, prefixed);
            assert.deepEqual(bare.attributes, {
                "custom:tier": "gold",
                email: "a@example.com",
            });
        });

        it("sorts attribute names", () => {
            assert.deepEqual(
                Object.keys(
                    checkedInputs({
                        attributes: { zoneinfo: "UTC", tier: "a", email: "a@example.com" },
                    }).attributes,
                ),
                ["custom:tier", "email", "zoneinfo"],
            );
        });

        it("sorts and de-duplicates groups", () => {
            assert.deepEqual(checkedInputs({ groups: ["viewers", "admins", "viewers", "editors"] }).groups, [
                "admins",
                "editors",
                "viewers",
            ]);
        });

        it("fills defaults: enabled true, no groups, no attributes, generatePassword and forceAliasCreation false", () => {
            const inputs = checkedInputs({ attributes: undefined });
            assert.equal(inputs.enabled, true);
            assert.deepEqual(inputs.groups, []);
            assert.deepEqual(inputs.attributes, {});
            assert.equal(inputs.generatePassword, false);
            assert.equal(inputs.forceAliasCreation, false);
            assert.ok(!("password" in inputs) && !("endpoint" in inputs) && !("profile" in inputs));
        });

        it("keeps enabled false", () => {
            assert.equal(checkedInputs({ enabled: false }).enabled, false);
        });

        it("prefixes property names with the given path", () => {
            const { failures } = validateUserInputs(rawInputs({ username: "" }), "users[3].");
            assert.deepEqual(
                failures.map((f) => f.property),
                ["users[3].username"],
            );
        });

        it("reports every problem at once", () => {
            const { failures } = validateUserInputs({
                userPoolId: "bad",
                username: "has space",
                enabled: "no",
                groups: [""],
            });
            assert.deepEqual(failures.map((f) => f.property).sort(), ["enabled", "groups[0]", "region", "userPoolId", "username"]);
        });
    });
});

describe("withoutSecretValues: check failures the engine prints", () => {
    const secret = "Sup3r-Secret-Value!";

    it("moves a failure about a secret input off its property, naming it in the reason", () => {
        const failures = withoutSecretValues([{ property: "password", reason: "too long." }], { password: secret }, [secret]);
        assert.deepEqual(failures, [{ property: "", reason: "password: too long." }]);
        assert.deepEqual(withoutSecretValues([{ property: "userPasswords", reason: "x" }], {}, []), [
            { property: "", reason: "userPasswords: x" },
        ]);
    });

    it("does the same for any property whose value holds a declared password", () => {
        const raw = { declaredUsers: [{ username: "a", password: secret }] };
        assert.deepEqual(withoutSecretValues([{ property: "declaredUsers", reason: "bad" }], raw, [secret]), [
            { property: "", reason: "declaredUsers: bad" },
        ]);
    });

    it("leaves other failures on their property", () => {
        const failure = { property: "groups[0]", reason: "bad name" };
        assert.deepEqual(withoutSecretValues([failure], { groups: ["a b"], password: secret }, [secret]), [failure]);
    });
});
