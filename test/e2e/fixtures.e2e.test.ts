/**
 * End-to-end tests of `pulumi-cognito-user/testing`: real mocha suites in child processes (see
 * fixtureSuites/childSuite.ts) using fixtures in parallel, failing, and killed mid-suite or mid-up(), then
 * checks that nothing stays behind: no run folder (so no journal), no user in the pool, no emulator running.
 * "Your own pool" is a cognito-local this test starts, standing in for a pool in AWS.
 */
import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AdminCreateUserCommand, AdminDeleteUserCommand, CreateUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import { portAnswers } from "../../provider/local/cognitoLocal";
import { cognitoFixture, CognitoFixtureError, FixturePool } from "../../provider/testing";
import { listRunDirs } from "../../provider/testing/runState";
import { repoRoot } from "../../scripts/pulumiEnv";
import { journalPath } from "../../provider/testing/journal";
import { createTestPool, listPoolUsers, startTestCognito, TestCognito, TestPool } from "../support/cognito";

const CHILD_SUITE = path.join(__dirname, "fixtureSuites", "childSuite.ts");

/** A line `FIXTURE_INFO {...}` printed by the child suite. */
interface SuiteInfo {
    pid: number;
    event: "up" | "first-test" | "hanging" | "down";
    runDir?: string;
    pool?: { userPoolId: string; endpoint?: string; embedded: boolean };
    startupMs?: number;
    users?: number;
}

/** A child mocha process running the child suite. */
interface SuiteProcess {
    child: ChildProcess;
    infos: SuiteInfo[];
    /** Resolves with the first info of that event. */
    waitFor(event: SuiteInfo["event"]): Promise<SuiteInfo>;
    /** Resolves when the process exited. */
    done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

const children: ChildProcess[] = [];

/** Starts the child suite in its own mocha process (transpile-only ts-node: type checking is the parent's job). */
function startSuite(env: Record<string, string>): SuiteProcess {
    const mocha = require.resolve("mocha/bin/mocha.js");
    const child = spawn(
        process.execPath,
        [mocha, "--no-config", "--require", "ts-node/register", "--extension", "ts", "--timeout", "0", "--reporter", "spec", CHILD_SUITE],
        {
            cwd: repoRoot,
            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        },
    );
    children.push(child);
    const infos: SuiteInfo[] = [];
    const waiters: Array<{ event: string; resolve: (info: SuiteInfo) => void }> = [];
    let output = "";
    let pending = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf("\n")) >= 0) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            if (!line.startsWith("FIXTURE_INFO ")) continue;
            const info = JSON.parse(line.slice("FIXTURE_INFO ".length)) as SuiteInfo;
            infos.push(info);
            for (const waiter of waiters.filter((w) => w.event === info.event)) waiter.resolve(info);
        }
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
        child.on("exit", (code, signal) => resolve({ code, signal, output })),
    );
    const waitFor = (event: SuiteInfo["event"]) =>
        new Promise<SuiteInfo>((resolve, reject) => {
            const seen = infos.find((i) => i.event === event);
            if (seen) return resolve(seen);
            waiters.push({ event, resolve });
            void done.then(({ code, signal, output: out }) =>
                reject(new Error(`child suite exited (${code ?? signal}) before "${event}":\n${out.slice(-4000)}`)),
            );
        });
    return { child, infos, waitFor, done };
}

/** The pool as the fixture option `pool` takes it. */
function poolOption(cognito: TestCognito, pool: TestPool, clientId = pool.clientId): FixturePool {
    return { userPoolId: pool.id, clientId, endpoint: cognito.endpoint, region: "us-east-1" };
}

/** Usernames in the pool whose name starts with the prefix. */
async function poolUsernames(cognito: TestCognito, pool: TestPool, prefix = ""): Promise<string[]> {
    return (await listPoolUsers(cognito.client, pool.id)).map((u) => u.Username!).filter((name) => name.startsWith(prefix));
}

/** The port of an endpoint URL. */
function portOf(endpoint: string): number {
    return Number(new URL(endpoint).port);
}

describe("pulumi-cognito-user/testing fixtures (e2e)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let tempRoot: string;

    before(async function () {
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, { groups: ["admins"] });
        tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fixture-e2e-"));
    });

    after(async function () {
        for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await cognito?.stop();
        if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
    });

    /** A fresh state root for one test. */
    function stateRoot(name: string): string {
        const dir = path.join(tempRoot, name);
        fs.mkdirSync(dir, { recursive: true });
        return dir;
    }

    it("runs two suites at once, in one state root, without interfering", async function () {
        const root = stateRoot("parallel");
        const meeting = fs.mkdtempSync(path.join(tempRoot, "meet-"));
        const suites = ["a", "b"].map((id) =>
            startSuite({
                FIXTURE_SUITE_MODE: "pass",
                FIXTURE_STATE_ROOT: root,
                FIXTURE_RENDEZVOUS: `${meeting}:${id}:2`,
                FIXTURE_USER_PREFIX: "same",
            }),
        );
        const results = await Promise.all(suites.map((s) => s.done));
        for (const result of results) assert.equal(result.code, 0, `a suite failed:\n${result.output.slice(-4000)}`);
        const ups = suites.map((s) => s.infos.find((i) => i.event === "up")!);
        assert.notEqual(ups[0].runDir, ups[1].runDir);
        assert.notEqual(ups[0].pool!.endpoint, ups[1].pool!.endpoint, "each suite has its own embedded Cognito");
        for (const up of ups) {
            assert.equal(fs.existsSync(up.runDir!), false, "the run folder (journal) is removed");
            assert.equal(await portAnswers(portOf(up.pool!.endpoint!)), false, "the embedded Cognito is stopped");
        }
        assert.deepEqual(listRunDirs(root), []);
    });

    it("leaves no run folder, user or emulator behind when a suite fails (embedded Cognito, 5 users)", async function () {
        const root = stateRoot("failing-embedded");
        const suite = startSuite({ FIXTURE_SUITE_MODE: "fail", FIXTURE_STATE_ROOT: root, FIXTURE_USERS: "5" });
        const result = await suite.done;
        assert.equal(result.code, 1, `exactly the one failing test fails:\n${result.output.slice(-4000)}`);
        const up = suite.infos.find((i) => i.event === "up")!;
        const first = suite.infos.find((i) => i.event === "first-test")!;
        console.log(`      fixture startup, up() called -> first test running, 5 users, embedded Cognito: ${first.startupMs} ms`);
        assert.ok(suite.infos.some((i) => i.event === "down"));
        assert.equal(fs.existsSync(up.runDir!), false);
        assert.equal(await portAnswers(portOf(up.pool!.endpoint!)), false);
        assert.deepEqual(listRunDirs(root), []);
    });

    it("leaves no run folder and no user in your pool when a suite fails", async function () {
        const root = stateRoot("failing-pool");
        const suite = startSuite({
            FIXTURE_SUITE_MODE: "fail",
            FIXTURE_STATE_ROOT: root,
            FIXTURE_POOL: JSON.stringify(poolOption(cognito, pool)),
            FIXTURE_USER_PREFIX: "failing",
        });
        const result = await suite.done;
        assert.equal(result.code, 1, `exactly the one failing test fails:\n${result.output.slice(-4000)}`);
        const up = suite.infos.find((i) => i.event === "up")!;
        assert.equal(up.pool!.userPoolId, pool.id);
        assert.equal(fs.existsSync(up.runDir!), false, "the run folder with its journal is gone");
        assert.deepEqual(listRunDirs(root), []);
        assert.deepEqual(await poolUsernames(cognito, pool, "failing"), []);
    });

    it("cleans up after suites killed mid-run, on the next fixture's up()", async function () {
        const root = stateRoot("crash");
        const inPool = startSuite({
            FIXTURE_SUITE_MODE: "hang",
            FIXTURE_STATE_ROOT: root,
            FIXTURE_POOL: JSON.stringify(poolOption(cognito, pool)),
            FIXTURE_USER_PREFIX: "crashed",
        });
        const embedded = startSuite({ FIXTURE_SUITE_MODE: "hang", FIXTURE_STATE_ROOT: root, FIXTURE_USER_PREFIX: "crashed-embedded" });
        await Promise.all([inPool.waitFor("hanging"), embedded.waitFor("hanging")]);
        const orphanEndpoint = embedded.infos.find((i) => i.event === "up")!.pool!.endpoint!;
        inPool.child.kill("SIGKILL");
        embedded.child.kill("SIGKILL");
        await Promise.all([inPool.done, embedded.done]);

        // What a crash leaves: two run folders, users in the pool (in its journal), an emulator without its parent.
        assert.equal(listRunDirs(root).length, 2);
        assert.equal((await poolUsernames(cognito, pool, "crashed")).length, 2);
        assert.equal(await portAnswers(portOf(orphanEndpoint)), true);
        const inPoolRunDir = inPool.infos.find((i) => i.event === "up")!.runDir!;
        assert.equal(fs.readFileSync(journalPath(inPoolRunDir), "utf8").match(/"kind":"created"/g)?.length, 2);
        // A Pulumi plugin host of a dead run (an earlier version's fixture ran Pulumi) still working in its folder,
        // beside a process there that is not Pulumi's and a "plugin host" elsewhere: only the first is ended.
        const runDir = inPoolRunDir;
        const idle = "setInterval(() => {}, 1000)";
        const orphanHost = spawn(process.execPath, ["-e", idle, "pulumi-language-nodejs.js"], { cwd: runDir, stdio: "ignore" });
        const bystander = spawn(process.execPath, ["-e", idle, "not-pulumi"], { cwd: runDir, stdio: "ignore" });
        const elsewhere = spawn(process.execPath, ["-e", idle, "pulumi-language-nodejs.js"], { cwd: os.tmpdir(), stdio: "ignore" });

        // The next run signs in through a client with a secret (AdminInitiateAuth + SECRET_HASH).
        const secretClient = await cognito.client.send(
            new CreateUserPoolClientCommand({
                UserPoolId: pool.id,
                ClientName: "with-secret",
                GenerateSecret: true,
                ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
            }),
        );
        const next = cognitoFixture({
            users: { next: { username: "next-run@example.com", groups: ["admins"] } },
            pool: poolOption(cognito, pool, secretClient.UserPoolClient!.ClientId!),
            stateRoot: root,
        });
        try {
            await next.up();
            assert.deepEqual(listRunDirs(root), [next.runDir]);
            assert.deepEqual(await poolUsernames(cognito, pool, "crashed"), []);
            assert.equal(await portAnswers(portOf(orphanEndpoint)), false, "the orphaned emulator is stopped");
            await new Promise((resolve) => setTimeout(resolve, 200));
            assert.equal(orphanHost.signalCode, "SIGKILL", "the dead run's plugin host is ended");
            assert.equal(bystander.exitCode ?? bystander.signalCode, null, "a process that is not Pulumi's is left alone");
            assert.equal(elsewhere.exitCode ?? elsewhere.signalCode, null, "a plugin host of another folder is left alone");
            const { claims } = await next.signIn("next");
            assert.deepEqual(claims["cognito:groups"], ["admins"]);
        } finally {
            for (const child of [orphanHost, bystander, elsewhere]) child.kill("SIGKILL");
            await next.down();
        }
        assert.deepEqual(listRunDirs(root), []);
        assert.deepEqual(await poolUsernames(cognito, pool, "next-run"), []);
    });

    it("removes the users of a process killed in the middle of up(), from its journal, on the next up()", async function () {
        const root = stateRoot("killed-mid-up");
        const suite = startSuite({
            FIXTURE_SUITE_MODE: "hang",
            FIXTURE_STATE_ROOT: root,
            FIXTURE_POOL: JSON.stringify(poolOption(cognito, pool)),
            FIXTURE_USER_PREFIX: "midup",
            FIXTURE_USERS: "40",
        });
        // Kill it once some users are journaled as created and before all are: some creates are in flight.
        let created = 0;
        const deadline = Date.now() + 120_000;
        while (created < 3) {
            assert.ok(Date.now() < deadline && suite.child.exitCode === null, "the suite never started creating users");
            const [runDir] = listRunDirs(root);
            const journal = runDir && fs.existsSync(journalPath(runDir)) ? fs.readFileSync(journalPath(runDir), "utf8") : "";
            created = journal.match(/"kind":"created"/g)?.length ?? 0;
            await new Promise((resolve) => setTimeout(resolve, 2));
        }
        suite.child.kill("SIGKILL");
        await suite.done;
        assert.equal(
            suite.infos.some((i) => i.event === "up"),
            false,
            "killed before up() returned",
        );
        const left = await poolUsernames(cognito, pool, "midup");
        assert.ok(left.length >= 3 && left.length < 40, `killed mid-up: ${left.length} of 40 users exist`);

        // The suite run again: the same usernames, which the killed run's users hold until recovery deletes them.
        const next = cognitoFixture({
            users: { admin: { username: "midup-admin@example.com" }, user1: { username: "midup-user1@example.com" } },
            pool: poolOption(cognito, pool),
            stateRoot: root,
        });
        await next.up();
        try {
            assert.deepEqual(listRunDirs(root), [next.runDir]);
            assert.deepEqual((await poolUsernames(cognito, pool, "midup")).sort(), ["midup-admin@example.com", "midup-user1@example.com"]);
            assert.notEqual(next.user("admin").sub, undefined);
        } finally {
            await next.down();
        }
        assert.deepEqual(await poolUsernames(cognito, pool, "midup"), [], "every user the killed run created is deleted, and the rerun's");
    });

    it("says which user and which step failed, and leaves nothing behind", async function () {
        const root = stateRoot("errors");
        const ownPool = poolOption(cognito, pool);

        const missingGroup = cognitoFixture({
            users: {
                boss: { username: "boss@example.com", groups: ["admins", "no-such-group"] },
                plain: { username: "plain@example.com" },
            },
            pool: ownPool,
            stateRoot: root,
        });
        const groupError = await missingGroup.up().then(
            () => assert.fail("up() must fail"),
            (error: unknown) => error,
        );
        assert.ok(groupError instanceof CognitoFixtureError, String(groupError));
        assert.equal(groupError.step, "check groups");
        assert.equal(groupError.userKey, "boss");
        assert.match(groupError.message, /user "boss" \(boss@example\.com\).*no-such-group/);
        await missingGroup.down(); // a no-op after a failed up()

        // A user that exists already: the fixture must neither adopt nor delete it.
        await cognito.client.send(
            new AdminCreateUserCommand({ UserPoolId: pool.id, Username: "taken@example.com", MessageAction: "SUPPRESS" }),
        );
        const declaredPassword = "Declared-Passw0rd!x";
        const taken = cognitoFixture({
            users: { fresh: { username: "fresh@example.com", password: declaredPassword }, taken: { username: "taken@example.com" } },
            pool: ownPool,
            stateRoot: root,
        });
        const takenError = await taken.up().then(
            () => assert.fail("up() must fail"),
            (error: unknown) => error,
        );
        assert.ok(takenError instanceof CognitoFixtureError, String(takenError));
        assert.equal(takenError.step, "create users");
        assert.equal(takenError.userKey, "taken");
        assert.match(takenError.message, /user "taken" \(taken@example\.com\): .*USER_EXISTS/);
        assert.ok(!takenError.message.includes(declaredPassword), "the error must not contain a password");
        assert.deepEqual(await poolUsernames(cognito, pool, "fresh"), [], "the user that was created is destroyed again");
        assert.deepEqual(await poolUsernames(cognito, pool, "taken"), ["taken@example.com"], "the existing user is untouched");
        assert.deepEqual(listRunDirs(root), []);
        await cognito.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: "taken@example.com" }));
    });
});
