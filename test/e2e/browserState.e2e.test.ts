/**
 * `browserState(key, { origin })` in a real browser: headless Chromium (Debian's package, driven by
 * playwright-core) opens the pages of test/browser/, which ask amazon-cognito-identity-js or Amplify JS v6
 * for the current session as a web app behind Cognito does, against the fixture's embedded Cognito. With a
 * user's state the page is signed in at once, without a sign-in step and without a call to Cognito;
 * without it, signed out. One browser for the suite, a context per case (each its own localStorage).
 */
import { strict as assert } from "assert";
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, BrowserContext } from "playwright-core";
import { EMBEDDED_CREDENTIALS } from "../../provider/testing/pool";
import { cognitoFixture, CognitoFixtureError, decodeJwtPayload, FixtureBrowserState } from "../../provider/testing";
import { ensurePulumi, pulumiEnv, pulumiPath } from "../../scripts/pulumiEnv";
import { PageServer, pageUrl, shown, signInThroughForm, startPageServer } from "../browser/signedInPage";
import { launchChromium } from "../support/chromium";

const users = cognitoFixture({
    name: "browser-state",
    users: {
        admin: { username: "admin@example.com", groups: ["admins", "editors"], attributes: { email: "admin@example.com" } },
        viewer: { username: "viewer@example.com", attributes: { email: "viewer@example.com" } },
        newcomer: { username: "newcomer@example.com", temporaryPassword: "Temporary-Passw0rd!" },
    },
    // The canonical Username is then a UUID, not the email: the keys must use the one the libraries store.
    embedded: { emailAsUsername: true },
    pulumi: { command: pulumiPath, env: pulumiEnv() },
});

describe("browserState: a browser that starts signed in (e2e, Chromium)", function () {
    let browser: Browser;
    let server: PageServer;
    const contexts: BrowserContext[] = [];

    before(async function () {
        await ensurePulumi();
        // Chromium starts while the users are made: they do not depend on each other.
        // Each kept as soon as it is there, so that after() closes it even when another failed.
        await Promise.all([
            launchChromium().then((launched) => (browser = launched)),
            startPageServer().then((serving) => (server = serving)),
            users.up(),
        ]);
    });

    after(async function () {
        await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
        await Promise.all([browser?.close(), server?.close(), users.down()]);
    });

    /** A context with (or without) a state, and the URL of the page for the fixture's pool and `clientId`. */
    async function open(storageState?: FixtureBrowserState, clientId = users.pool.clientId) {
        const context = await browser.newContext({ storageState });
        contexts.push(context);
        const page = await context.newPage();
        const cognitoCalls: string[] = [];
        page.on("request", (request) => {
            if (request.url().startsWith(users.pool.endpoint!)) cognitoCalls.push(request.method());
        });
        return { context, page, cognitoCalls, url: pageUrl(server, { ...users.pool, clientId }) };
    }

    it("a page opened with the admin's state is signed in as the admin, with its groups, without calling Cognito", async function () {
        const state = await users.browserState("admin", { origin: server.origin });
        const { page, cognitoCalls, url } = await open(state);
        await page.goto(url);
        assert.deepEqual(await shown(page), {
            status: "signed in",
            username: users.user("admin").cognitoUsername,
            groups: "admins,editors",
        });
        assert.deepEqual(cognitoCalls, [], "the session came from localStorage alone");
    });

    it("the same page without a state is signed out; signing in through its form stores the keys the state holds", async function () {
        const { page, url } = await open();
        await page.goto(url);
        assert.equal((await shown(page)).status, "signed out");

        const admin = users.user("admin");
        await signInThroughForm(page, admin.username, admin.password);
        assert.equal((await shown(page)).status, "signed in");

        // The library keys the session by the name it signed in with (the email here); the state by the
        // canonical Username, as after an SRP sign-in. Either way the same entries under one prefix.
        const written = (await page.evaluate("Object.keys(localStorage)")) as string[];
        const state = await users.browserState("admin", { origin: server.origin });
        const prefix = `CognitoIdentityServiceProvider.${users.pool.clientId}.`;
        const shape = (names: string[], username: string) =>
            names.map((n) => n.replace(prefix + username + ".", prefix + "<user>.")).sort();
        const stateNames = state.origins[0].localStorage.map((entry) => entry.name);
        const amplifyOnly = ".signInDetails"; // read by Amplify v6 (getCurrentUser().signInDetails), not by identity-js
        assert.deepEqual(
            shape(stateNames, admin.cognitoUsername).filter((n) => !n.endsWith(amplifyOnly)),
            shape(written, admin.username),
        );
    });

    it("Amplify JS v6: getCurrentUser() and fetchAuthSession() find the admin's session in the state, without calling Cognito; none without it", async function () {
        const state = await users.browserState("admin", { origin: server.origin });
        const signedIn = await open(state);
        await signedIn.page.goto(pageUrl(server, users.pool, "amplify"));
        const admin = users.user("admin");
        assert.deepEqual(await shown(signedIn.page), { status: "signed in", username: admin.cognitoUsername, groups: "admins,editors" });
        assert.equal(await signedIn.page.locator("#login-id").textContent(), admin.username, "signInDetails.loginId");
        assert.deepEqual(signedIn.cognitoCalls, [], "the session came from localStorage alone");

        const signedOut = await open();
        await signedOut.page.goto(pageUrl(server, users.pool, "amplify"));
        assert.deepEqual(await shown(signedOut.page), { status: "signed out", username: "UserUnAuthenticatedException", groups: "" });
    });

    it("the state: one origin, no cookies, the tokens of signIn under the canonical Username (the access token's username claim)", async function () {
        const state = await users.browserState("viewer", { origin: server.origin });
        const tokens = await users.signIn("viewer");
        const viewer = users.user("viewer");
        const username = decodeJwtPayload(tokens.accessToken).username;
        assert.equal(username, viewer.cognitoUsername);
        assert.notEqual(username, viewer.username, "a UUID in a pool that signs in by email");
        const prefix = `CognitoIdentityServiceProvider.${users.pool.clientId}`;
        assert.deepEqual(state, {
            cookies: [],
            origins: [
                {
                    origin: server.origin,
                    localStorage: [
                        { name: `${prefix}.LastAuthUser`, value: username },
                        { name: `${prefix}.${username}.idToken`, value: tokens.idToken },
                        { name: `${prefix}.${username}.accessToken`, value: tokens.accessToken },
                        { name: `${prefix}.${username}.refreshToken`, value: tokens.refreshToken },
                        { name: `${prefix}.${username}.clockDrift`, value: "0" },
                        { name: `${prefix}.${username}.signInDetails`, value: JSON.stringify({ loginId: viewer.username }) },
                    ],
                },
            ],
        });
    });

    it("the state's refresh token works: with the tokens made to look expired, the page refreshes them through Cognito", async function () {
        const state = await users.browserState("viewer", { origin: server.origin });
        // identity-js counts a session valid while now - clockDrift < exp: a drift of -1 day makes it expired.
        const stale = structuredClone(state);
        for (const entry of stale.origins[0].localStorage) if (entry.name.endsWith(".clockDrift")) entry.value = String(-86400);
        const { page, cognitoCalls, url } = await open(stale);
        await page.goto(url);
        assert.deepEqual(await shown(page), { status: "signed in", username: users.user("viewer").cognitoUsername, groups: "" });
        assert.ok(cognitoCalls.includes("POST"), `the page called Cognito (REFRESH_TOKEN_AUTH): ${cognitoCalls}`);
    });

    it("another app client of the pool: the user signs in through it, the page of that client is signed in", async function () {
        const cognito = new CognitoIdentityProviderClient({
            region: users.pool.region,
            endpoint: users.pool.endpoint,
            credentials: EMBEDDED_CREDENTIALS,
        });
        const made = await cognito.send(
            new CreateUserPoolClientCommand({
                UserPoolId: users.pool.userPoolId,
                ClientName: "web",
                ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            }),
        );
        cognito.destroy();
        const webClientId = made.UserPoolClient!.ClientId!;
        const state = await users.browserState("admin", { origin: server.origin, clientId: webClientId });
        const idToken = state.origins[0].localStorage.find((entry) => entry.name.endsWith(".idToken"))!.value;
        assert.equal(decodeJwtPayload(idToken).aud, webClientId, "the tokens are the web client's");
        assert.ok(state.origins[0].localStorage.every((entry) => entry.name.startsWith(`CognitoIdentityServiceProvider.${webClientId}.`)));

        const { page, url } = await open(state, webClientId);
        await page.goto(url);
        assert.equal((await shown(page)).status, "signed in");
        const { page: otherClientPage } = await open(state);
        await otherClientPage.goto(url.replace(webClientId, users.pool.clientId));
        assert.equal((await shown(otherClientPage)).status, "signed out", "the fixture's own client finds no session of the web client");
    });

    it("errors name the key, the option at fault and the fix", async function () {
        const origin = server.origin;
        await assert.rejects(users.browserState("nobody" as "admin", { origin }), (error: CognitoFixtureError) => {
            assert.match(
                error.message,
                /browserState\("nobody"\) failed: no user "nobody" is declared \(declared: admin, viewer, newcomer\)/,
            );
            return true;
        });
        await assert.rejects(
            users.browserState("admin", {} as { origin: string }),
            /browserState\("admin"\) failed: options\.origin is missing/,
        );
        await assert.rejects(
            users.browserState("admin", { origin: `${origin}/app/` }),
            new RegExp(`options\\.origin "${origin}/app/" is not an origin \\(scheme, host and port only\\): use "${origin}"`),
        );
        await assert.rejects(users.browserState("admin", { origin: "localhost:3000" }), /is not an http\(s\) origin/);
        await assert.rejects(users.browserState("newcomer", { origin }), (error: CognitoFixtureError) => {
            assert.match(
                error.message,
                /NEW_PASSWORD_REQUIRED: the user has a temporary password; call signIn\("newcomer", \{ newPassword \}\) first/,
            );
            assert.doesNotMatch(error.message, /Temporary-Passw0rd!/);
            assert.equal(error.userKey, "newcomer");
            return true;
        });
        const notUp = cognitoFixture({ users: { solo: { username: "solo" } } });
        await assert.rejects(
            notUp.browserState("solo", { origin }),
            /browserState\("solo"\) failed: the fixture is not up: call `await users.up\(\)` first/,
        );
    });
});
