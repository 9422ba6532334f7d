/**
 * End-to-end tests of a web app behind Cognito that start signed in: each browser context gets a fixture
 * user's `browserState`, so no test spends its time in the sign-in UI. In your own project the import is
 * "pulumi-cognito-user/testing", the `pulumi` option can go with the Pulumi CLI on PATH, and
 * `chromium.launch()` of `playwright` (after `npx playwright install chromium`) replaces launchChromium.
 */
import { strict as assert } from "assert";
import type { Browser } from "playwright-core";
import { cognitoFixture } from "../../provider/testing";
import { ensurePulumi, pulumiEnv, pulumiPath } from "../../scripts/pulumiEnv";
import { launchChromium } from "../../test/support/chromium";
import { AppServer, startAppServer } from "./appServer";

const users = cognitoFixture({
    users: {
        admin: { username: "admin@example.com", groups: ["admins"], attributes: { email: "admin@example.com" } },
        viewer: { username: "viewer@example.com", attributes: { email: "viewer@example.com" } },
    },
    // This repository's own CLI build; omit to use `pulumi` from PATH.
    pulumi: { command: pulumiPath, env: pulumiEnv() },
});

describe("examples/playwright-signed-in: the team page, opened signed in", function () {
    let browser: Browser;
    let app: AppServer;

    before(async function () {
        await ensurePulumi();
        await users.up();
        const { userPoolId, clientId, endpoint } = users.pool;
        app = await startAppServer({ UserPoolId: userPoolId, ClientId: clientId, endpoint });
        // This repository drives the machine's Chromium (Debian's chromium, or CHROMIUM_PATH).
        browser = await launchChromium();
    });

    after(async function () {
        await Promise.all([browser?.close(), app?.close(), users.down()]);
    });

    /** A new page of the app, in a context of its own: signed in as `key`, or with no state at all. */
    async function openApp(key?: "admin" | "viewer") {
        const storageState = key ? await users.browserState(key, { origin: app.origin }) : undefined;
        const context = await browser.newContext({ storageState });
        const page = await context.newPage();
        await page.goto(app.origin);
        await page.locator("#greeting").filter({ hasNotText: "Loading" }).waitFor();
        return { page, close: () => context.close() };
    }

    it("greets the admin and shows the admin panel", async function () {
        const { page, close } = await openApp("admin");
        assert.equal(await page.locator("#greeting").textContent(), "Hello, admin@example.com");
        assert.equal(await page.locator("#delete-team").isVisible(), true);
        await close();
    });

    it("greets a viewer, without the admin panel", async function () {
        const { page, close } = await openApp("viewer");
        assert.equal(await page.locator("#greeting").textContent(), "Hello, viewer@example.com");
        assert.equal(await page.locator("#admin-panel").isVisible(), false);
        await close();
    });

    it("asks a visitor without a session to sign in", async function () {
        const { page, close } = await openApp();
        assert.equal(await page.locator("#greeting").textContent(), "Please sign in");
        assert.equal(await page.locator("#admin-panel").isVisible(), false);
        await close();
    });
});
