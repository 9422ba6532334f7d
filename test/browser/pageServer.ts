/**
 * Serves test/browser/signedInPage.html and amazon-cognito-identity-js's prebuilt browser bundle on a free
 * loopback port: the origin a browser state is made for.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

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
