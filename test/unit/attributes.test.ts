/**
 * Attribute names and attribute change planning.
 */
import { strict as assert } from "assert";
import {
    attributeChangesEmpty,
    attributeNameProblem,
    normalizeAttributeName,
    normalizeAttributes,
    planAttributeChanges,
    sortKeys,
} from "../../provider/shared/attributes";

describe("attributes", () => {
    describe("normalizeAttributeName", () => {
        it("keeps standard and Cognito-owned names", () => {
            for (const name of ["email", "email_verified", "phone_number", "preferred_username", "sub"])
                assert.equal(normalizeAttributeName(name), name);
        });

        it("prefixes any other name with custom: exactly once", () => {
            assert.equal(normalizeAttributeName("tier"), "custom:tier");
            assert.equal(normalizeAttributeName("custom:tier"), "custom:tier");
            assert.equal(normalizeAttributeName("Email"), "custom:Email");
        });
    });

    describe("attributeNameProblem", () => {
        it("accepts standard and custom names, up to 20 characters after custom:", () => {
            for (const name of ["email", "tier", "custom:tier", "a".repeat(20), `custom:${"a".repeat(20)}`, "plan-v2.1"]) {
                assert.equal(attributeNameProblem(name), undefined, name);
            }
        });

        it("names what is wrong", () => {
            assert.match(attributeNameProblem("sub")!, /set by Cognito itself/);
            assert.match(attributeNameProblem("dev:x")!, /developer-only/);
            assert.match(attributeNameProblem("")!, /empty/);
            assert.match(attributeNameProblem("custom:")!, /no name after/);
            assert.match(attributeNameProblem("a".repeat(21))!, /21 characters long; Cognito allows at most 20/);
            assert.match(attributeNameProblem("a b")!, /white space/);
            assert.match(attributeNameProblem("a\u0007b")!, /characters Cognito does not allow/);
        });
    });

    describe("normalizeAttributes", () => {
        it("normalizes every name and sorts the keys", () => {
            const out = normalizeAttributes({
                zoneinfo: "UTC",
                tier: "gold",
                email: "a@example.com",
            });
            assert.deepEqual(Object.entries(out), [
                ["custom:tier", "gold"],
                ["email", "a@example.com"],
                ["zoneinfo", "UTC"],
            ]);
        });

        it("lets the later spelling of the same name win", () => {
            assert.deepEqual(normalizeAttributes({ tier: "a", "custom:tier": "b" }), {
                "custom:tier": "b",
            });
        });

        it("treats none as empty", () => {
            assert.deepEqual(normalizeAttributes(undefined), {});
        });
    });

    describe("planAttributeChanges", () => {
        it("writes added and changed values and deletes removed names, sorted", () => {
            const changes = planAttributeChanges(
                {
                    email: "a@example.com",
                    "custom:z": "1",
                    "custom:a": "1",
                    locale: "en",
                },
                { email: "b@example.com", locale: "en", zoneinfo: "UTC" },
            );
            assert.deepEqual(changes, {
                toWrite: { email: "b@example.com", zoneinfo: "UTC" },
                toDelete: ["custom:a", "custom:z"],
            });
            assert.equal(attributeChangesEmpty(changes), false);
        });

        it("plans nothing for equal attributes", () => {
            const changes = planAttributeChanges({ email: "a@example.com" }, { email: "a@example.com" });
            assert.ok(attributeChangesEmpty(changes));
        });

        it("writes an empty string as a value, not a deletion", () => {
            assert.deepEqual(planAttributeChanges({ locale: "en" }, { locale: "" }), {
                toWrite: { locale: "" },
                toDelete: [],
            });
        });

        it("never deletes attributes Cognito owns", () => {
            assert.ok(
                attributeChangesEmpty(
                    planAttributeChanges(
                        {
                            sub: "x",
                            "cognito:user_status": "CONFIRMED",
                            email: "a@example.com",
                        },
                        { email: "a@example.com" },
                    ),
                ),
            );
        });
    });

    it("sortKeys orders keys without changing values", () => {
        assert.deepEqual(Object.keys(sortKeys({ b: 1, a: 2, c: 3 })), ["a", "b", "c"]);
    });
});
