/**
 * Tests the MFA-protected login flow and its guard end to end with fixture users: the fixture creates
 * a user with an enrolled authenticator app (`mfa: { totp: true }`), one with a temporary password and
 * one without MFA, hands the test the current code (`totp(key)`) to type into the login flow as a UI
 * test would, and signs in by itself (answering the TOTP challenge) when a test only needs tokens.
 * No auth code in the tests, no users left behind. In your own project the import is
 * "pulumi-cognito-user/testing".
 */
import { strict as assert } from "assert";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { cognitoFixture } from "../../provider/testing";
import { LoginService } from "./loginService";

const users = cognitoFixture({
    users: {
        owner: { username: "owner@example.com", mfa: { totp: true } }, // password generated, TOTP enrolled
        newcomer: { username: "newcomer@example.com", temporaryPassword: "Temp-Passw0rd!42" },
        casual: { username: "casual@example.com" }, // no MFA
    },
});

describe("examples/mfa-flow: a TOTP-protected login and payout guard", function () {
    let client: CognitoIdentityProviderClient;
    let login: LoginService;

    before(async function () {
        await users.up();
        const { region, endpoint, clientId } = users.pool;
        client = new CognitoIdentityProviderClient({ region, endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
        login = new LoginService(client, clientId);
    });

    after(async function () {
        client?.destroy();
        await users.down();
    });

    it("asks the owner for a code after the password, and signs in with the one the authenticator app shows", async function () {
        const { username, password } = users.user("owner");
        const first = await login.start(username, password);
        assert.equal(first.next, "enter-code");
        if (first.next !== "enter-code") return;
        const done = await login.enterCode(first.username, first.session, users.totp("owner"));
        assert.equal(done.next, "done");
    });

    it("refuses a wrong code", async function () {
        const { username, password } = users.user("owner");
        const first = await login.start(username, password);
        if (first.next !== "enter-code") return assert.fail(`expected a code prompt, got ${first.next}`);
        const wrong = users.totp("owner") === "000000" ? "111111" : "000000";
        const refused = await login.enterCode(first.username, first.session, wrong);
        assert.deepEqual(refused, { next: "refused", reason: "CodeMismatchException" });
    });

    it("lets the owner change the payout account: signIn answers the TOTP challenge by itself", async function () {
        const { accessToken } = await users.signIn("owner");
        assert.deepEqual(await login.mayChangePayoutAccount(accessToken), { allow: true, reason: "TOTP MFA is on" });
    });

    it("does not let a user without MFA change it", async function () {
        const { accessToken } = await users.signIn("casual");
        assert.deepEqual(await login.mayChangePayoutAccount(accessToken), { allow: false, reason: "turn on an authenticator app first" });
    });

    it("walks a first sign-in with a temporary password through choosing a new one", async function () {
        const challenge = await users.signIn("newcomer");
        assert.ok(
            "challengeName" in challenge && challenge.challengeName === "NEW_PASSWORD_REQUIRED",
            "the fixture hands the challenge back",
        );
        const { username, password } = users.user("newcomer");
        const first = await login.start(username, password);
        if (first.next !== "choose-password") return assert.fail(`expected the new-password step, got ${first.next}`);
        const done = await login.choosePassword(first.username, first.session, "Chosen-Passw0rd!42");
        assert.equal(done.next, "done");
    });
});
