/**
 * The provider as a CognitoUser records it: the `__provider` text (`cognitoUserProviderText`), loaded in
 * a fresh Node process the way Pulumi's dynamic-provider host does (`requireFromString(text).handler()`,
 * working folder = the project), and driven through check → create → read → diff → update → delete
 * against the embedded Cognito. The same host loads 0.1.0's recorded stub (test/fixtures/state-0.1.0).
 */
import * as assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { UserOutputs } from "../../provider/shared/types";
import { createTestPool, getStoredUser, signIn, startTestCognito, TestCognito, TestPool, TEST_REGION } from "../support/cognito";

const repoRoot = path.resolve(__dirname, "..", "..");

/** Builds dist/ when it is missing or older than the sources, so the test exercises the code as it is. */
function ensureBuilt(): void {
    const built = path.join(repoRoot, "dist", "provider", "user", "handlers.js");
    const newestSource = (dir: string): number =>
        Math.max(
            0,
            ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
                const p = path.join(dir, e.name);
                return e.isDirectory() ? newestSource(p) : e.name.endsWith(".ts") ? fs.statSync(p).mtimeMs : 0;
            }),
        );
    if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource(path.join(repoRoot, "provider"))) return;
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
        cwd: repoRoot,
        stdio: "inherit",
    });
}

/** The dynamic-provider host's loop, in miniature: loads the text as the host does and answers one call per line. */
const HOST_SCRIPT = `
"use strict";
const fs = require("fs");
const readline = require("readline");
const requireFromString = require(process.env.REQUIRE_FROM_STRING);
const provider = requireFromString(fs.readFileSync(process.argv[2], "utf8")).handler();
const send = (message) => process.stdout.write(JSON.stringify(message) + "\\n");
send({
    ready: true,
    methods: Object.keys(provider).filter((k) => typeof provider[k] === "function").sort(),
    resolved: require.resolve("pulumi-cognito-user/dynamic", { paths: [process.cwd()] }),
    tsNode: Object.keys(require.cache).some((f) => f.includes("ts-node")),
});
readline.createInterface({ input: process.stdin }).on("line", async (line) => {
    const { id, method, args } = JSON.parse(line);
    try {
        const result = await provider[method](...args);
        send({ id, ok: true, result: result === undefined ? null : result });
    } catch (error) {
        send({ id, ok: false, error: { name: error.name, message: String(error.message) } });
    }
});
`;

/** What the host process reports once loaded. */
interface HostHello {
    methods: string[];
    resolved: string;
    tsNode: boolean;
}

/** An error that crossed the process boundary, as Pulumi's host would report it. */
class HostError extends Error {}

/** A fresh Node process holding the deserialized provider. */
class ProviderHost {
    private readonly child: ChildProcess;
    private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    private nextId = 1;
    /** Everything the process wrote to stderr. */
    stderr = "";
    /** Resolves with the process's hello once the provider is loaded. */
    readonly ready: Promise<HostHello>;

    constructor(scriptPath: string, providerPath: string) {
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            REQUIRE_FROM_STRING: require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }),
        };
        delete env.NODE_OPTIONS;
        this.child = spawn(process.execPath, [scriptPath, providerPath], { cwd: repoRoot, env, stdio: ["pipe", "pipe", "pipe"] });
        this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
        let hello: (h: HostHello) => void;
        let failed: (e: Error) => void;
        this.ready = new Promise((resolve, reject) => ((hello = resolve), (failed = reject)));
        this.child.once("exit", (code) => {
            const error = new Error(`provider host exited (${code}): ${this.stderr}`);
            failed(error);
            for (const p of this.pending.values()) p.reject(error);
        });
        readline.createInterface({ input: this.child.stdout! }).on("line", (line) => {
            const message = JSON.parse(line);
            if (message.ready) return hello(message);
            const p = this.pending.get(message.id)!;
            this.pending.delete(message.id);
            if (message.ok) p.resolve(message.result);
            else p.reject(Object.assign(new HostError(message.error.message), { name: message.error.name }));
        });
    }

    /** Calls a provider method in the host; arguments and results cross as JSON, as over gRPC. */
    call<T>(method: keyof dynamic.ResourceProvider, ...args: unknown[]): Promise<T> {
        const id = this.nextId++;
        return new Promise<T>((resolve, reject) => {
            this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
            this.child.stdin!.write(JSON.stringify({ id, method, args }) + "\n");
        });
    }

    /** Ends the process. */
    async stop(): Promise<void> {
        if (this.child.exitCode !== null || this.child.signalCode !== null) return;
        const exited = new Promise((r) => this.child.once("exit", r));
        this.child.stdin!.end();
        this.child.kill("SIGTERM");
        await exited;
    }
}

describe("the serialized CognitoUser provider in a fresh process (integration)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let tempDir: string;
    let text: string;
    let host: ProviderHost;

    before(async function () {
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, { groups: ["admins", "editors"], customAttributes: ["tenant"] });
        require(path.join(repoRoot, "scripts", "link-self.js")).linkSelf(repoRoot);
        ensureBuilt();
        // The shipped text, as a user's program records it in every CognitoUser's state.
        text = require(path.join(repoRoot, "dist", "provider", "user", "provider.js")).cognitoUserProviderText;
        tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "serialized-provider-"));
        fs.writeFileSync(path.join(tempDir, "provider.js"), text);
        fs.writeFileSync(path.join(tempDir, "host.js"), HOST_SCRIPT);
        host = new ProviderHost(path.join(tempDir, "host.js"), path.join(tempDir, "provider.js"));
    });

    after(async function () {
        await host?.stop();
        if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
        await cognito?.stop();
    });

    it("is small (stored twice per user) and captures no path and no live object", function () {
        const bytes = Buffer.byteLength(text);
        console.log(`      serialized provider: ${bytes} bytes`);
        assert.ok(bytes <= 128, `the serialized provider is ${bytes} bytes`);
        assert.equal(text, 'exports.handler = () => require("pulumi-cognito-user/dynamic");\n');
        assert.ok(!text.includes(repoRoot), "contains the repository's path");
        assert.ok(!text.includes(os.tmpdir()) && !text.includes(os.homedir()), "contains a local path");
        assert.doesNotMatch(text, /["'`](\/|[A-Za-z]:\\)/, "a string literal holds an absolute path");
        for (const captured of ["CognitoIdentityProviderClient", "middlewareStack", "credentials", "@aws-sdk", "send("]) {
            assert.ok(!text.includes(captured), `captures ${captured}`);
        }
        assert.match(text, /require\("pulumi-cognito-user\/dynamic"\)/);
    });

    it("loads like Pulumi's host loads it: every method, the package resolved from the project folder, no ts-node", async function () {
        const hello = await host.ready;
        // The module is the provider: the host's six methods, 0.1.0's `remove`, and no `configure` (the host would call it).
        for (const method of ["check", "create", "delete", "diff", "read", "update", "remove"])
            assert.ok(hello.methods.includes(method), method);
        assert.ok(!hello.methods.includes("configure"));
        assert.equal(fs.realpathSync(hello.resolved), fs.realpathSync(path.join(repoRoot, "dist", "provider", "user", "handlers.js")));
        assert.equal(hello.tsNode, false);
    });

    it("runs check, create, read, diff, update and delete through the copy, as Cognito sees it", async function () {
        await host.ready;
        const password = `Pw1!${randomBytes(12).toString("base64url")}aZ9`;
        const raw = {
            userPoolId: pool.id,
            username: "sam",
            attributes: { email: "sam@example.com", given_name: "Sam", tenant: "acme" },
            password,
            groups: ["admins"],
            region: TEST_REGION,
            endpoint: cognito.endpoint,
        };

        const bad = await host.call<dynamic.CheckResult>("check", {}, { ...raw, userPoolId: "nope", groups: [" "] });
        assert.deepEqual((bad.failures ?? []).map((f) => f.property).sort(), ["groups[0]", "userPoolId"]);

        const checked = await host.call<dynamic.CheckResult>("check", {}, raw);
        assert.deepEqual(checked.failures ?? [], []);
        const created = await host.call<dynamic.CreateResult>("create", checked.inputs);
        assert.equal(created.id, `${pool.id}/sam`);
        const stored = (await getStoredUser(cognito.client, pool.id, "sam"))!;
        assert.ok(stored, "the user is in Cognito");
        assert.equal(stored.status, "CONFIRMED");
        assert.equal(stored.attributes["custom:tenant"], "acme");
        assert.deepEqual(stored.groups, ["admins"]);
        assert.equal(await signIn(cognito.client, pool, "sam", password), "SIGNED_IN");

        const read = await host.call<dynamic.ReadResult>("read", created.id, created.outs);
        assert.equal(read.id, created.id);
        const props = read.props as UserOutputs;
        assert.equal(props.sub, stored.attributes.sub);
        const same = await host.call<dynamic.DiffResult>("diff", created.id, props, checked.inputs);
        assert.equal(same.changes, false);

        const duplicate = await host.call("create", checked.inputs).then(
            () => assert.fail("a second create of the same user succeeded"),
            (e: Error) => e,
        );
        assert.ok(duplicate instanceof HostError);
        assert.match(duplicate.message, /^\[USER_EXISTS\] /, "the code survives as message text");
        assert.ok(!duplicate.message.includes(password), "a password appears in the error");

        const changedRaw = { ...raw, attributes: { email: "sam@example.com", given_name: "Samuel" }, groups: ["editors"], enabled: false };
        const news = await host.call<dynamic.CheckResult>("check", props, changedRaw);
        const d = await host.call<dynamic.DiffResult>("diff", created.id, props, news.inputs);
        assert.equal(d.changes, true);
        assert.deepEqual(d.replaces ?? [], []);
        const updated = await host.call<dynamic.UpdateResult>("update", created.id, props, news.inputs);
        const after = (await getStoredUser(cognito.client, pool.id, "sam"))!;
        assert.equal(after.attributes.sub, stored.attributes.sub, "updated in place");
        assert.equal(after.attributes.given_name, "Samuel");
        assert.equal(after.attributes["custom:tenant"], undefined);
        assert.deepEqual(after.groups, ["editors"]);
        assert.equal(after.enabled, false);

        await host.call("delete", created.id, updated.outs);
        assert.equal(await getStoredUser(cognito.client, pool.id, "sam"), undefined, "deleted from Cognito");
        await host.call("delete", created.id, updated.outs);
        assert.ok(!host.stderr.includes(password), "a password appears in the host's output");
    });
});
