/**
 * How long a browser test takes to reach a signed-in page: with a fixture user's `browserState` (as
 * Playwright's `storageState`, or the same entries set by an init script), against signing in through the
 * page's own form. Headless Chromium (Debian's, or CHROMIUM_PATH) on test/browser/signedInPage.html, whose
 * amazon-cognito-identity-js talks to the fixture's embedded Cognito. Each route, per round: a new
 * browser context, goto, wait until the page shows the session; medians of the rounds. Measured, not asserted.
 *
 *   npx ts-node --transpile-only bench/browserSignIn.ts [--rounds=10]
 *
 * cognito-local answers the form's sign-in with one local request (USER_PASSWORD_AUTH; it has no SRP), so
 * the form route here is the fastest a UI sign-in gets; against AWS, the default SRP sign-in is two
 * round trips to Cognito and SRP's arithmetic in the page, and a hosted sign-in page adds redirects.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { cognitoFixture, FixtureBrowserState } from "../provider/testing";
import { ensurePulumi, pulumiEnv, pulumiPath } from "../scripts/pulumiEnv";
import { pageUrl, shown, signInThroughForm, startPageServer } from "../test/browser/signedInPage";
import { launchChromium } from "../test/support/chromium";

const rounds = Number(process.argv.find((arg) => arg.startsWith("--rounds="))?.split("=")[1] ?? 10);

const users = cognitoFixture({
    name: "bench-browser",
    users: { admin: { username: "admin@example.com", groups: ["admins"] } },
    pulumi: { command: pulumiPath, env: pulumiEnv() },
});

/** One way to a signed-in page: gets a fresh context ready and signs it in; resolves when the page shows the session. */
type Route = (browser: Browser, url: string) => Promise<BrowserContext>;

async function main(): Promise<void> {
    await ensurePulumi();
    const [browser, server] = await Promise.all([launchChromium(), startPageServer(), users.up()]);
    try {
        const url = pageUrl(server, users.pool);
        const admin = users.user("admin");
        const state = () => users.browserState("admin", { origin: server.origin }); // signIn's cached tokens
        const signedIn = async (context: BrowserContext) => {
            const page = await context.newPage();
            await page.goto(url);
            if ((await shown(page)).status !== "signed in") throw new Error("the page is not signed in");
            return context;
        };
        const routes: Record<string, Route> = {
            "storageState (browserState)": async (b) => signedIn(await b.newContext({ storageState: await state() })),
            "init script (browserState's entries)": async (b) => {
                const context = await b.newContext();
                await context.addInitScript(setEntries, (await state()).origins[0].localStorage);
                return signedIn(context);
            },
            "the page's sign-in form": async (b) => {
                const context = await b.newContext();
                const page = await context.newPage();
                await page.goto(url);
                await shown(page); // signed out
                await signInThroughForm(page, admin.username, admin.password);
                if ((await shown(page)).status !== "signed in") throw new Error("the form did not sign in");
                return context;
            },
        };
        const times: Record<string, number[]> = Object.fromEntries(Object.keys(routes).map((name) => [name, []]));
        for (let round = 0; round < rounds + 1; round++) {
            for (const [name, route] of Object.entries(routes)) {
                const started = performance.now();
                const context = await route(browser, url);
                if (round > 0) times[name].push(performance.now() - started); // round 0 warms the browser up
                await context.close();
            }
        }
        console.log(`Time to a signed-in page (new context, goto, session shown), median of ${rounds} rounds:`);
        for (const [name, ms] of Object.entries(times)) {
            const sorted = [...ms].sort((a, b) => a - b);
            console.log(
                `  ${name.padEnd(38)} ${Math.round(sorted[Math.floor(sorted.length / 2)])} ms  (min ${Math.round(sorted[0])}, max ${Math.round(sorted[sorted.length - 1])})`,
            );
        }
    } finally {
        await Promise.all([browser.close(), server.close(), users.down()]);
    }
}

/** Runs in the page before its scripts: the state's entries into localStorage. */
function setEntries(entries: FixtureBrowserState["origins"][number]["localStorage"]): void {
    const storage = (globalThis as unknown as { localStorage: { setItem(name: string, value: string): void } }).localStorage;
    for (const { name, value } of entries) storage.setItem(name, value);
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
