/**
 * The pages of the browser tests, one per Cognito library a web app may use, both showing who is signed
 * in the same way (#status, #username, #groups): `/` (./signedInPage.html) with amazon-cognito-identity-js's
 * prebuilt browser bundle, and `/amplify` (./amplifyPage.ts, bundled here by esbuild) with Amplify JS v6.
 * Their server (a free loopback port: the origin a browser state is made for), and what a test reads
 * from them or does on them.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { build } from "esbuild";
import type { Page } from "playwright-core";

/** The library a page signs in with. */
export type PageLibrary = "identity-js" | "amplify";

/** A running page server. */
export interface PageServer {
    /** `http://127.0.0.1:<port>`: the origin of the pages. */
    origin: string;
    /** Stops listening. */
    close(): Promise<void>;
}

/** The Amplify page's HTML: the elements the tests read, then its bundle. */
const AMPLIFY_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>Signed in? (Amplify)</title></head>
<body><p id="status">loading</p><p>Username: <span id="username"></span></p><p>Groups: <span id="groups"></span></p>
<p>Signed in as: <span id="login-id"></span></p><script src="/amplify.js"></script></body></html>`;

/** Starts the server, with the Amplify page bundled (in memory, about a second). */
export async function startPageServer(): Promise<PageServer> {
    const bundled = await build({
        entryPoints: [path.join(__dirname, "amplifyPage.ts")],
        bundle: true,
        write: false,
        format: "iife",
        platform: "browser",
        target: "es2020",
        logLevel: "warning",
    });
    const javascript = "text/javascript; charset=utf-8";
    const html = "text/html; charset=utf-8";
    const identityJs = require.resolve("amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js");
    const answers: Record<string, { type: string; body: () => Buffer | string }> = {
        "/": { type: html, body: () => fs.readFileSync(path.join(__dirname, "signedInPage.html")) },
        "/amazon-cognito-identity.min.js": { type: javascript, body: () => fs.readFileSync(identityJs) },
        "/amplify": { type: html, body: () => AMPLIFY_HTML },
        "/amplify.js": { type: javascript, body: () => Buffer.from(bundled.outputFiles[0].contents) },
    };
    const server = http.createServer((request, response) => {
        const answer = answers[new URL(request.url ?? "/", "http://localhost").pathname];
        if (!answer) response.writeHead(404).end();
        else response.writeHead(200, { "content-type": answer.type }).end(answer.body());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

/** The URL on `server` of the page using `library`, for a pool and app client (its query string: see the pages). */
export function pageUrl(
    server: PageServer,
    pool: { userPoolId: string; clientId: string; endpoint?: string },
    library: PageLibrary = "identity-js",
): string {
    const query = new URLSearchParams({ userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint ?? "" });
    return `${server.origin}/${library === "amplify" ? "amplify" : ""}?${query}`;
}

/** Signs in as a user would: the page's form (amazon-cognito-identity-js, USER_PASSWORD_AUTH). */
export async function signInThroughForm(page: Page, login: string, password: string): Promise<void> {
    await page.fill("#login", login);
    await page.fill("#password", password);
    await page.click("button[type=submit]");
}

/** What the page shows once it knows whether someone is signed in: "signed in" with the user, or "signed out" with the reason. */
export async function shown(page: Page): Promise<{ status: string; username: string; groups: string }> {
    await page.waitForFunction('!["loading", "signing in"].includes(document.getElementById("status").textContent)');
    const text = (selector: string) =>
        page
            .locator(selector)
            .textContent()
            .then((t) => t ?? "");
    const [status, username, groups] = await Promise.all([text("#status"), text("#username"), text("#groups")]);
    return { status, username, groups }; // signed out: `username` says why
}
