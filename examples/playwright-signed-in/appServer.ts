/**
 * Serves the web app under test (app/index.html), the Cognito library it loads, and its /config.json
 * (the pool and app client it signs in through) on a free loopback port. In your project this is your
 * dev server or a preview of your build.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

/** What the app reads from /config.json: amazon-cognito-identity-js's CognitoUserPool options. */
export interface AppConfig {
    /** The user pool id. */
    UserPoolId: string;
    /** The app client the app signs in through. */
    ClientId: string;
    /** Cognito's endpoint, when not AWS's (the fixture's embedded Cognito). */
    endpoint?: string;
}

/** A running app server. */
export interface AppServer {
    /** `http://127.0.0.1:<port>`: the origin a browser state is made for. */
    origin: string;
    /** Stops listening. */
    close(): Promise<void>;
}

/** Starts the app's server for the given pool. */
export async function startAppServer(config: AppConfig): Promise<AppServer> {
    const library = require.resolve("amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js");
    const server = http.createServer((request, response) => {
        const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
        if (pathname === "/config.json") {
            response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(config));
        } else if (pathname === "/" || pathname === "/amazon-cognito-identity.min.js") {
            const html = pathname === "/";
            response.writeHead(200, { "content-type": html ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8" });
            fs.createReadStream(html ? path.join(__dirname, "app", "index.html") : library).pipe(response);
        } else {
            response.writeHead(404).end();
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
