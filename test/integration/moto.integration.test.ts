/**
 * moto's server as the stricter embedded Cognito: proves it is wired and behaves as the suite relies on,
 * where cognito-local is lenient: pools per Region, password policies enforced by AdminSetUserPassword,
 * disabled users refused at sign-in. Users are made through the provider's own create handler.
 * Needs `npm run setup` (scripts/setup-moto.sh) once.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import * as handlers from "../../provider/user/handlers";
import { UserInputs } from "../../provider/shared/types";
import { adminSignIn, expectCognitoException, getStoredUser } from "../support/cognito";
import { createMotoPool, MotoPool, startMoto, TestMoto } from "../support/moto";

/** A fresh password meeting TEST_PASSWORD_POLICY (12+ characters, upper, lower, digit, symbol); never printed. */
function goodPassword(): string {
    return `Pw1!${randomBytes(12).toString("base64url")}aZ9`;
}

describe("moto server as a stricter embedded Cognito (integration)", function () {
    this.timeout(60000);
    const groups = ["admins", "viewers"];
    let moto: TestMoto;
    let pool: MotoPool;

    before(async function () {
        moto = await startMoto();
        pool = await createMotoPool(moto, "us-east-1", { groups });
    });
    after(async function () {
        await moto?.stop();
    });

    /** A CognitoUser's inputs as `check` would leave them, for a user in the us-east-1 pool on moto. */
    function userInputs(username: string, fields: Partial<UserInputs>): UserInputs {
        return {
            userPoolId: pool.id,
            username,
            attributes: {},
            generatePassword: false,
            enabled: true,
            groups: [],
            forceAliasCreation: false,
            adoptExisting: false,
            region: pool.region,
            endpoint: moto.endpoint,
            maxAttempts: 1,
            ...fields,
        };
    }

    it("keeps pools per Region: a us-east-1 pool is not found through eu-west-1", async function () {
        const found = await moto.clientFor("us-east-1").send(new DescribeUserPoolCommand({ UserPoolId: pool.id }));
        assert.equal(found.UserPool?.Id, pool.id);
        assert.match(pool.id, /^us-east-1_/);
        await expectCognitoException("ResourceNotFoundException", () =>
            moto.clientFor("eu-west-1").send(new DescribeUserPoolCommand({ UserPoolId: pool.id })),
        );
    });

    it("enforces the pool's password policy in AdminSetUserPassword (InvalidPasswordException)", async function () {
        const client = moto.clientFor(pool.region);
        const username = `weak-${randomBytes(4).toString("hex")}`;
        await client.send(new AdminCreateUserCommand({ UserPoolId: pool.id, Username: username, MessageAction: "SUPPRESS" }));
        // Long enough, but no digit and no symbol.
        await expectCognitoException("InvalidPasswordException", () =>
            client.send(
                new AdminSetUserPasswordCommand({ UserPoolId: pool.id, Username: username, Password: "onlylettersHere", Permanent: true }),
            ),
        );
        await client.send(
            new AdminSetUserPasswordCommand({ UserPoolId: pool.id, Username: username, Password: goodPassword(), Permanent: true }),
        );
    });

    it("a user created by the provider's create handler disabled, with groups, exists so and cannot sign in; an enabled one can", async function () {
        const client = moto.clientFor(pool.region);
        const suffix = randomBytes(4).toString("hex");
        const disabled = userInputs(`locked-${suffix}`, { password: goodPassword(), groups, enabled: false });
        const enabled = userInputs(`open-${suffix}`, { password: goodPassword(), groups: ["viewers"] });

        const made = await handlers.create(disabled);
        assert.equal(made.id, `${pool.id}/${disabled.username}`);
        const stored = await getStoredUser(client, pool.id, disabled.username);
        assert.ok(stored, "the user exists in moto");
        assert.deepEqual(stored.groups, [...groups].sort());
        assert.equal(stored.enabled, false);
        assert.equal(stored.status, "CONFIRMED");
        const refused = await expectCognitoException("NotAuthorizedException", () =>
            adminSignIn(client, pool, disabled.username, disabled.password!),
        );
        assert.match(refused.message, /disabled/i);

        const open = await handlers.create(enabled);
        assert.equal((await getStoredUser(client, pool.id, enabled.username))?.enabled, true);
        assert.equal(await adminSignIn(client, pool, enabled.username, enabled.password!), "SIGNED_IN");

        await handlers.remove(made.id, made.outs);
        await handlers.remove(open.id, open.outs);
        assert.equal(await getStoredUser(client, pool.id, disabled.username), undefined);
        assert.equal(await getStoredUser(client, pool.id, enabled.username), undefined);
    });
});
