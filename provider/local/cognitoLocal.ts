/**
 * The embedded Cognito: starts cognito-local (npm) on a free loopback port with its own data folder,
 * for tests, the demo, the benchmark and test fixtures. Nothing here is used against real AWS.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

/** How to start cognito-local. */
export interface CognitoLocalOptions {
    /** Folder for its `.cognito/db`; a new temporary folder (removed on stop) when absent. */
    dataDir?: string;
    /** Port to listen on; a free one when absent. */
    port?: number;
    /** Called with each line cognito-local prints (it logs every request): for debugging. */
    onLog?: (line: string) => void;
    /** How long to wait for it to answer, in ms. Default 30000. */
    startTimeoutMs?: number;
}

/** A running cognito-local. */
export interface CognitoLocal {
    /** Its URL, e.g. `http://127.0.0.1:41234`: the `endpoint` for the SDK and for CognitoUser. */
    endpoint: string;
    /** The port it listens on. */
    port: number;
    /** Its data folder. */
    dataDir: string;
    /** The child process's id. */
    pid: number;
    /** Stops it and, if the data folder was temporary, removes it. Safe to call twice. */
    stop(): Promise<void>;
}

/** A port nothing listens on now, from the OS. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Whether something accepts connections on the port. */
export function portAnswers(port: number, host = "127.0.0.1"): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect({ port, host });
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}

/** Sets dummy AWS credentials (cognito-local accepts any) unless the environment already has some. */
export function useDummyCredentials(env: NodeJS.ProcessEnv = process.env): void {
    if (!env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) {
        env.AWS_ACCESS_KEY_ID = "local";
        env.AWS_SECRET_ACCESS_KEY = "local";
    }
    env.AWS_REGION ??= "us-east-1";
}

/** What `startCognitoLocal()` says when cognito-local is not installed (the error's `code` is `COGNITO_LOCAL_MISSING`). */
const COGNITO_LOCAL_MISSING =
    "startCognitoLocal() needs cognito-local, an optional peer dependency of pulumi-cognito-user that is not installed: " +
    "run `npm install --save-dev cognito-local` in your project (the test fixtures' embedded Cognito needs it too).";

/** The path of cognito-local's start script, or a COGNITO_LOCAL_MISSING error saying what to install. */
function resolveCognitoLocal(): string {
    try {
        return require.resolve("cognito-local/lib/bin/start.js");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
        throw Object.assign(new Error(COGNITO_LOCAL_MISSING, { cause: error }), { code: "COGNITO_LOCAL_MISSING" });
    }
}

/**
 * Starts cognito-local and waits until it answers.
 *
 * @throws an error with code `COGNITO_LOCAL_MISSING` when cognito-local is not installed, saying what to install.
 */
export async function startCognitoLocal(options: CognitoLocalOptions = {}): Promise<CognitoLocal> {
    // First, before anything is made: cognito-local is an optional peer dependency.
    const entry = resolveCognitoLocal();
    const temporary = options.dataDir === undefined;
    const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "cognito-local-"));
    const port = options.port ?? (await freePort());
    const hostname = "127.0.0.1";
    fs.mkdirSync(path.join(dataDir, ".cognito"), { recursive: true });
    // cognito-local makes every new pool sign in by email unless told otherwise; real Cognito pools use
    // plain usernames unless created with UsernameAttributes.
    // The issuer is said outright (it is also cognito-local's default for this host and port): the test
    // fixtures' pool.issuer is `${endpoint}/${poolId}` without a sign-in to read it.
    const config = {
        ServerConfig: { port, hostname },
        UserPoolDefaults: { UsernameAttributes: [] },
        TokenConfig: { IssuerDomain: `http://${hostname}:${port}` },
    };
    fs.writeFileSync(path.join(dataDir, ".cognito", "config.json"), JSON.stringify(config, null, 2));

    // A watchdog in the child ends it when this process dies, even by SIGKILL (no exit hook runs then).
    const watchdog =
        `const parent = ${process.pid};` +
        `setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(0); } }, 1000).unref();` +
        `require(${JSON.stringify(entry)});`;
    const child: ChildProcess = spawn(process.execPath, ["-e", watchdog], {
        cwd: dataDir,
        env: { ...process.env, PORT: String(port), HOST: hostname, NO_COLOR: "1" },
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
    // A test run that dies must not leave a server behind.
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);

    let stopped = false;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const stop = async () => {
        if (stopped) return;
        stopped = true;
        process.removeListener("exit", killOnExit);
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
            await exited;
            clearTimeout(timer);
        }
        if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
    };

    const deadline = Date.now() + (options.startTimeoutMs ?? 30000);
    while (!(await portAnswers(port, hostname))) {
        if (child.exitCode !== null || Date.now() > deadline) {
            await stop();
            throw new Error(`cognito-local did not start on port ${port}:\n${output.join("\n")}`);
        }
        // Short: the start is on every test run's critical path, and a refused connection costs nothing.
        await new Promise((r) => setTimeout(r, 20));
    }
    return { endpoint: `http://${hostname}:${port}`, port, dataDir, pid: child.pid!, stop };
}
