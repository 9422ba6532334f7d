/**
 * moto's server as a second, stricter embedded Cognito for tests (cognito-local stays the default, see
 * ./cognito.ts). Unlike cognito-local, moto keeps pools per Region, checks the pool's password policy in
 * AdminSetUserPassword and refuses to sign in disabled users. It is a Python program, installed in the
 * git-ignored .tools/moto-venv by `npm run setup` (scripts/setup-moto.sh); data lives in memory until it stops.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CognitoIdentityProviderClient, ListUserPoolsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { freePort, portAnswers, useDummyCredentials } from "../../provider/local/cognitoLocal";
import { createTestPool, TestPool, TestPoolOptions } from "./cognito";
import { killProcessTree } from "./processTree";

/** The moto_server that scripts/setup-moto.sh installs. */
export const MOTO_SERVER = path.resolve(__dirname, "..", "..", ".tools", "moto-venv", "bin", "moto_server");

/** A running moto server. */
export interface TestMoto {
    /** Its URL, e.g. `http://127.0.0.1:41234`: the `endpoint` of users under test. */
    endpoint: string;
    /** The process id of the tree `stop()` kills. */
    pid: number;
    /** An SDK client for the Region (one per Region, made on first use); it never retries, so a fault shows at once. */
    clientFor(region: string): CognitoIdentityProviderClient;
    /** Stops the server (its whole process tree) and destroys the clients. Safe to call twice. */
    stop(): Promise<void>;
}

/** How to start moto. */
export interface MotoOptions {
    /** Called with each line moto prints (it logs every request): for debugging. */
    onLog?: (line: string) => void;
    /** How long to wait for it to answer, in ms. Default 30000. */
    startTimeoutMs?: number;
}

/**
 * Runs moto_server and keeps an eye on the test process: if that dies without stopping moto (even by
 * SIGKILL, when no exit hook runs), the shell kills moto within a second. Arguments: $0 moto_server,
 * $1 host, $2 port, $3 the pid to watch. Exits with moto's status, so an early failure shows.
 */
const WATCHED_MOTO = `"$0" -H "$1" -p "$2" & moto=$!
while kill -0 "$3" 2>/dev/null && kill -0 "$moto" 2>/dev/null; do sleep 1; done
kill -9 "$moto" 2>/dev/null
wait "$moto"`;

/** Starts moto's server on a free loopback port and waits until its Cognito answers; call `stop()` in `after()`. */
export async function startMoto(options: MotoOptions = {}): Promise<TestMoto> {
    if (!fs.existsSync(MOTO_SERVER)) {
        throw new Error(
            `moto is not installed (${path.relative(process.cwd(), MOTO_SERVER)} is missing): run \`npm run setup\` (or \`npm run setup:moto\`).`,
        );
    }
    // Before any client exists: the SDK reads credentials from the environment, and so does the provider.
    useDummyCredentials();
    const host = "127.0.0.1";
    const port = await freePort();
    const endpoint = `http://${host}:${port}`;
    const child = spawn("sh", ["-c", WATCHED_MOTO, MOTO_SERVER, host, String(port), String(process.pid)], {
        env: { ...process.env, PYTHONUNBUFFERED: "1", NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    const collect = (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n")) {
            if (!line) continue;
            if (output.length < 200) output.push(line);
            options.onLog?.(line);
        }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const pid = child.pid!;
    // A test run that exits without stop() must not leave a server behind.
    const killOnExit = () => killProcessTree(pid);
    process.once("exit", killOnExit);

    const clients = new Map<string, CognitoIdentityProviderClient>();
    const clientFor = (region: string) => {
        let client = clients.get(region);
        if (!client) {
            client = new CognitoIdentityProviderClient({ region, endpoint, maxAttempts: 1 });
            clients.set(region, client);
        }
        return client;
    };

    let stopped = false;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const stop = async () => {
        if (stopped) return;
        stopped = true;
        process.removeListener("exit", killOnExit);
        for (const client of clients.values()) client.destroy();
        clients.clear();
        if (child.exitCode === null && child.signalCode === null) {
            killProcessTree(pid);
            await exited;
        }
    };

    // Ready when the port answers and so does its Cognito (the first call also loads moto's cognito-idp backend).
    const deadline = Date.now() + (options.startTimeoutMs ?? 30000);
    let lastError: unknown;
    for (;;) {
        const gone = child.exitCode !== null || child.signalCode !== null;
        if (gone || Date.now() > deadline) {
            await stop();
            const why = gone
                ? `exited (${child.exitCode ?? child.signalCode})`
                : `did not answer within ${options.startTimeoutMs ?? 30000} ms`;
            const last = lastError ? `\nlast error: ${(lastError as Error).message}` : "";
            throw new Error(`moto_server ${why} (port ${port}):\n${output.join("\n")}${last}`);
        }
        if (await portAnswers(port, host)) {
            try {
                await clientFor("us-east-1").send(new ListUserPoolsCommand({ MaxResults: 1 }));
                break;
            } catch (error) {
                lastError = error;
            }
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    return { endpoint, pid, clientFor, stop };
}

/** A pool made by `createMotoPool`: a TestPool, plus the Region it lives in. */
export interface MotoPool extends TestPool {
    /** The Region the pool was made in; moto finds it only through a client for that Region. */
    region: string;
}

/**
 * Creates a pool in `region` with a password policy (default `TEST_PASSWORD_POLICY`), the given groups and
 * an app client that also allows ADMIN_USER_PASSWORD_AUTH, for `adminSignIn`.
 */
export async function createMotoPool(moto: TestMoto, region: string, options: TestPoolOptions = {}): Promise<MotoPool> {
    const pool = await createTestPool(moto.clientFor(region), {
        authFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ...options,
    });
    return { ...pool, region };
}
