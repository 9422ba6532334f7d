/**
 * Resource ids: `<userPoolId>/<username>`, where the username may contain slashes.
 */
import { strict as assert } from "assert";
import { CognitoUserError } from "../../provider/shared/errors";
import { parseUserResourceId, userResourceId } from "../../provider/user/handlers";

describe("resource ids", () => {
    it("joins the pool id and the username with a slash", () => {
        assert.equal(userResourceId("eu-west-1_AbCdEf123", "alice"), "eu-west-1_AbCdEf123/alice");
    });

    it("splits at the first slash, so usernames may contain slashes", () => {
        assert.deepEqual(parseUserResourceId("local_AbCd1234/team/alice"), {
            userPoolId: "local_AbCd1234",
            username: "team/alice",
        });
        assert.deepEqual(parseUserResourceId("eu-west-1_AbCdEf123/alice@example.com"), {
            userPoolId: "eu-west-1_AbCdEf123",
            username: "alice@example.com",
        });
    });

    it("round-trips", () => {
        for (const [pool, username] of [
            ["eu-west-1_AbCdEf123", "alice"],
            ["local_AbCd1234", "8c1f2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"],
            ["local_AbCd1234", "a/b/c"],
            ["local_AbCd1234", "+15555550100"],
        ]) {
            assert.deepEqual(parseUserResourceId(userResourceId(pool, username)), {
                userPoolId: pool,
                username,
            });
        }
    });

    for (const id of ["", "no-slash", "/alice", "local_AbCd1234/"]) {
        it(`rejects ${JSON.stringify(id)} with VALIDATION_ERROR and the expected shape`, () => {
            assert.throws(
                () => parseUserResourceId(id),
                (error: unknown) =>
                    error instanceof CognitoUserError &&
                    error.code === "VALIDATION_ERROR" &&
                    error.message.includes("<userPoolId>/<username>") &&
                    error.message.includes("eu-west-1_AbCdEf123/admin@example.com"),
            );
        });
    }
});
