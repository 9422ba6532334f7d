/**
 * The fixture's `pool.issuer` is what the pool's tokens carry, whatever the endpoint's URL: moto issues
 * tokens under AWS's `https://cognito-idp.<region>.amazonaws.com/<pool>` while it listens on a loopback
 * port, so a URL built from the endpoint (right for cognito-local only) would be wrong there. And the
 * sign-in path moto can check and cognito-local cannot: a disabled user, refused.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cognitoFixture } from "../../provider/testing";
import { createMotoPool, MotoPool, startMoto, TestMoto } from "../support/moto";

describe("fixture: pool.issuer is the tokens' iss, and a disabled user (e2e, moto and the embedded Cognito)", function () {
    let moto: TestMoto;
    let pool: MotoPool;
    let stateRoot: string;

    before(async function () {
        moto = await startMoto();
        pool = await createMotoPool(moto, "eu-west-1");
        stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fixture-issuer-"));
    });

    after(async function () {
        await moto?.stop();
        if (stateRoot) fs.rmSync(stateRoot, { recursive: true, force: true });
    });

    it("is the tokens' iss (AWS's URL at moto), not a URL made from the endpoint", async function () {
        const users = cognitoFixture({
            users: { reader: { username: "issuer-reader" } },
            pool: { userPoolId: pool.id, clientId: pool.clientId, region: pool.region, endpoint: moto.endpoint },
            stateRoot,
            name: "issuer",
        });
        await users.up();
        try {
            const { claims } = await users.signIn("reader");
            assert.equal(claims.iss, `https://cognito-idp.eu-west-1.amazonaws.com/${pool.id}`, "moto's tokens name AWS's issuer");
            assert.equal(users.pool.issuer, claims.iss);
            assert.ok(!users.pool.issuer.startsWith(moto.endpoint));
            // The keys are still fetched where they can be reached: the endpoint.
            assert.equal(users.pool.jwksUrl, `${moto.endpoint}/${pool.id}/.well-known/jwks.json`);
        } finally {
            await users.down();
        }
    });

    it("creates a disabled user (enabled: false) that moto refuses to sign in, beside one that signs in", async function () {
        const users = cognitoFixture({
            users: { locked: { username: "fixture-locked", enabled: false }, open: { username: "fixture-open" } },
            pool: { userPoolId: pool.id, clientId: pool.clientId, region: pool.region, endpoint: moto.endpoint },
            stateRoot,
            name: "disabled",
        });
        await users.up();
        try {
            await assert.rejects(users.signIn("locked"), (error: Error) => {
                assert.match(error.message, /user "locked" \(fixture-locked\): .*disabled/i);
                assert.ok(!error.message.includes(users.user("locked").password), "no password in the error");
                return true;
            });
            const { claims } = await users.signIn("open");
            assert.equal(claims.sub, users.user("open").sub);
        } finally {
            await users.down();
        }
    });

    it("is the tokens' iss in the embedded Cognito too, known without a sign-in at up()", async function () {
        const users = cognitoFixture({ users: { reader: { username: "issuer-embedded" } }, stateRoot, name: "issuer-embedded" });
        await users.up();
        try {
            const { claims } = await users.signIn("reader");
            assert.equal(users.pool.issuer, claims.iss);
            assert.equal(users.pool.jwksUrl, `${claims.iss as string}/.well-known/jwks.json`);
        } finally {
            await users.down();
        }
    });
});
