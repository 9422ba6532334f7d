/**
 * Tests the admins-only authorizer with real Cognito tokens from fixture users: no hand-written
 * sign-in code, no users left behind. In your own project the import is "pulumi-cognito-user/testing"
 * and, with the Pulumi CLI on PATH, the `pulumi` option can go.
 */
import { strict as assert } from "assert";
import { cognitoFixture } from "../../provider/testing";
import { ensurePulumi, pulumiEnv, pulumiPath } from "../../scripts/pulumiEnv";
import { createAuthorizer, Decision } from "./authorizer";

const users = cognitoFixture({
    users: {
        admin: { username: "admin@example.com", groups: ["admins"] }, // password generated
        viewer: { username: "viewer@example.com" },
    },
    // This repository's own CLI build; omit to use `pulumi` from PATH.
    pulumi: { command: pulumiPath, env: pulumiEnv() },
});

describe("examples/mocha-fixtures: the admins-only authorizer", function () {
    let authorize: (authorization: string | undefined) => Promise<Decision>;

    before(async function () {
        await ensurePulumi();
        await users.up();
        const { jwksUrl, issuer, clientId } = users.pool;
        authorize = createAuthorizer({ jwksUrl, issuer, clientId });
    });

    after(() => users.down());

    it("lets admins delete", async function () {
        const { idToken, claims } = await users.signIn("admin");
        assert.deepEqual(claims["cognito:groups"], ["admins"]);
        const decision = await authorize(`Bearer ${idToken}`);
        assert.deepEqual(decision, { allow: true, reason: "member of admins", username: users.user("admin").cognitoUsername });
    });

    it("refuses a signed-in user outside admins", async function () {
        const { idToken } = await users.signIn("viewer");
        const decision = await authorize(`Bearer ${idToken}`);
        assert.equal(decision.allow, false);
        assert.equal(decision.reason, "not in group admins");
    });

    it("refuses a viewer token edited to claim admins: the signature no longer matches", async function () {
        const { idToken } = await users.signIn("viewer");
        const [header, payload, signature] = idToken.split(".");
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
        claims["cognito:groups"] = ["admins"];
        const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
        assert.deepEqual(await authorize(`Bearer ${forged}`), { allow: false, reason: "bad signature" });
    });

    it("refuses an access token, even an admin's", async function () {
        const { accessToken } = await users.signIn("admin");
        assert.deepEqual(await authorize(`Bearer ${accessToken}`), { allow: false, reason: "not an ID token" });
    });

    it("refuses a request without a token", async function () {
        assert.deepEqual(await authorize(undefined), { allow: false, reason: "no bearer token" });
    });
});
