/**
 * The page of the browser tests (./signedInPage.html): its server, which serves it and
 * amazon-cognito-identity-js's prebuilt browser bundle on a free loopback port (the origin a browser
 * state is made for), and what a test reads from it or does on it.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { Page } from "playwright-core";

/** A running page server. */
export interface PageServer {
    /** `http://127.0.0.1:<port>`: the origin of the page. */
    origin: string;
    /** Stops listening. */
    close(): Promise<void>;
}

/** Starts the server; the page is at `/`, the library at `/amazon-cognito-identity.min.js`. */
export async function startPageServer(): Promise<PageServer> {
    const files: Record<string, { file: string; type: string }> = {
        "/": { file: path.join(__dirname, "signedInPage.html"), type: "text/html; charset=utf-8" },
        "/amazon-cognito-identity.min.js": {
            file: require.resolve("amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js"),
            type: "text/javascript; charset=utf-8",
        },
    };
    const server = http.createServer((request, response) => {
        const served = files[new URL(request.url ?? "/", "http://localhost").pathname];
        if (!served) {
            response.writeHead(404).end();
            return;
        }
        response.writeHead(200, { "content-type": served.type });
        fs.createReadStream(served.file).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

/** The page's URL on `server` for a pool and app client (its query string: see the page). */
export function pageUrl(server: PageServer, pool: { userPoolId: string; clientId: string; endpoint?: string }): string {
    const query = new URLSearchParams({ userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint ?? "" });
    return `${server.origin}/?${query}`;
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
