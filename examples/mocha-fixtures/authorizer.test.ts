/**
 * Tests the admins-only authorizer with real Cognito tokens from fixture users: no hand-written
 * sign-in code, no users left behind. In your own project the import is "pulumi-cognito-user/testing".
 */
import { strict as assert } from "assert";
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { cognitoFixture } from "../../provider/testing";
import { createAuthorizer, Decision } from "./authorizer";

const users = cognitoFixture({
    users: {
        admin: { username: "admin@example.com", groups: ["admins"] }, // password generated
        viewer: { username: "viewer@example.com" },
    },
});

describe("examples/mocha-fixtures: the admins-only authorizer", function () {
    let authorize: (authorization: string | undefined) => Promise<Decision>;

    before(async function () {
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

    it("refuses a token of another issuer", async function () {
        const { idToken } = await users.signIn("admin");
        const { jwksUrl, clientId } = users.pool;
        const elsewhere = createAuthorizer({
            jwksUrl,
            clientId,
            issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other1234",
        });
        assert.deepEqual(await elsewhere(`Bearer ${idToken}`), { allow: false, reason: "wrong issuer" });
    });

    it("fetches the keys again when a token names a key it has not seen (a rotated key)", async function () {
        // A JWKS server that first publishes only a retired key of its own, then the pool's keys too.
        const retired = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
        const retiredJwk = { ...retired.publicKey.export({ format: "jwk" }), kid: "retired", alg: "RS256", use: "sig" };
        const poolKeys = ((await (await fetch(users.pool.jwksUrl)).json()) as { keys: object[] }).keys;
        let published: object[] = [retiredJwk];
        let fetches = 0;
        const server = http.createServer((_request, response) => {
            fetches++;
            response.setHeader("content-type", "application/json").end(JSON.stringify({ keys: published }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const { issuer, clientId } = users.pool;
            const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
            const rotating = createAuthorizer({ jwksUrl, issuer, clientId });

            // A token signed with the retired key: the keys are fetched once and cached.
            const now = Math.floor(Date.now() / 1000);
            const claims = {
                iss: issuer,
                aud: clientId,
                token_use: "id",
                iat: now,
                exp: now + 300,
                "cognito:username": "old",
                "cognito:groups": ["admins"],
            };
            const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
            const signed = `${part({ alg: "RS256", kid: "retired", typ: "JWT" })}.${part(claims)}`;
            const oldToken = `${signed}.${crypto.sign("RSA-SHA256", Buffer.from(signed), retired.privateKey).toString("base64url")}`;
            assert.equal((await rotating(`Bearer ${oldToken}`)).allow, true);
            assert.equal(fetches, 1);

            // The pool's key appears; a token signed with it is verified after one more fetch.
            published = [retiredJwk, ...poolKeys];
            const { idToken } = await users.signIn("admin");
            assert.deepEqual(await rotating(`Bearer ${idToken}`), {
                allow: true,
                reason: "member of admins",
                username: users.user("admin").cognitoUsername,
            });
            assert.equal(fetches, 2);
        } finally {
            await new Promise((resolve) => server.close(resolve));
        }
    });
});
