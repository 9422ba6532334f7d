/**
 * Unit tests of the pieces of `pulumi-cognito-user/testing` that need neither Pulumi nor Cognito: the
 * sign-in flow choice, the secret hash, JWT decoding, the declaration checks and the typed keys, the
 * journal, attaching to a shared run, and how dead runs are found and claimed. The fixture end to end is in test/e2e/fixtures.e2e.test.ts.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chooseAuthFlow, decodeJwtPayload, secretHash } from "../../provider/testing/auth";
import { attachCognitoFixture, cognitoFixture, CognitoFixtureError, SHARED_FIXTURE_ENV } from "../../provider/testing";
import { appendJournal, journaledUsers, readJournal } from "../../provider/testing/journal";
import { claimStaleRuns, currentProcess, isAlive, listRunDirs, RunRecord, runPaths, writeRecord } from "../../provider/testing/runState";

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
    return spawnSync(process.execPath, ["-e", ""]).pid!;
}

/** A run record as `createRun` writes it, for a given owner. */
function record(owner: RunRecord["owner"], hostname = os.hostname()): RunRecord {
    return {
        version: 1,
        owner,
        hostname,
        createdAt: new Date().toISOString(),
        stackName: "s",
        mode: "embedded",
        usernames: {},
    };
}

describe("testing fixture: sign-in flow", function () {
    it("uses USER_PASSWORD_AUTH when the client allows it and has no secret", function () {
        assert.equal(chooseAuthFlow(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], false, "c"), "USER_PASSWORD_AUTH");
        assert.equal(chooseAuthFlow(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"], false, "c"), "USER_PASSWORD_AUTH");
    });

    it("uses ADMIN_USER_PASSWORD_AUTH when the client has a secret or lacks USER_PASSWORD_AUTH", function () {
        assert.equal(chooseAuthFlow(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"], true, "c"), "ADMIN_USER_PASSWORD_AUTH");
        assert.equal(chooseAuthFlow(["ALLOW_ADMIN_USER_PASSWORD_AUTH"], false, "c"), "ADMIN_USER_PASSWORD_AUTH");
    });

    it("understands the legacy flow names", function () {
        assert.equal(chooseAuthFlow(["USER_PASSWORD_AUTH"], false, "c"), "USER_PASSWORD_AUTH");
        assert.equal(chooseAuthFlow(["ADMIN_NO_SRP_AUTH"], false, "c"), "ADMIN_USER_PASSWORD_AUTH");
    });

    it("keeps USER_PASSWORD_AUTH for a client with a secret that allows only it", function () {
        assert.equal(chooseAuthFlow(["ALLOW_USER_PASSWORD_AUTH"], true, "c"), "USER_PASSWORD_AUTH");
    });

    it("names the client and what to add when no password flow is allowed", function () {
        assert.throws(() => chooseAuthFlow(undefined, false, "client-1"), /app client client-1 allows neither.*Cognito's defaults/);
        assert.throws(() => chooseAuthFlow(["ALLOW_USER_SRP_AUTH"], false, "client-1"), /allows: ALLOW_USER_SRP_AUTH/);
    });

    it("computes Cognito's SECRET_HASH (known answer from openssl)", function () {
        // echo -n "user@example.comclient123" | openssl dgst -sha256 -hmac "s3cr3t" -binary | base64
        assert.equal(secretHash("s3cr3t", "user@example.com", "client123"), "HUcyXOagzC8xPg5OF5Z6P1nV4llo7nnI7sDP2pYyq1k=");
    });

    it("decodes a JWT's payload (base64url, UTF-8) and rejects what is not a JWT", function () {
        const payload = Buffer.from(JSON.stringify({ sub: "abc", name: "Zoë ü?>" })).toString("base64url");
        assert.deepEqual(decodeJwtPayload(`e30.${payload}.sig`), { sub: "abc", name: "Zoë ü?>" });
        assert.throws(() => decodeJwtPayload("not-a-jwt"), /not a JWT/);
    });
});

describe("testing fixture: declaration", function () {
    it("rejects at once a declaration that cannot work", function () {
        assert.throws(
            () => cognitoFixture({ users: {} }),
            (error: unknown) => error instanceof CognitoFixtureError && /at least one user/.test(error.message),
        );
        assert.throws(
            () => cognitoFixture({ users: { a: { username: "Same@example.com" }, b: { username: "same@example.com" } } }),
            /users "a" and "b" have the same username/,
        );
        assert.throws(() => cognitoFixture({ users: { "two words": { username: "x" } } }), /user key "two words"/);
        assert.throws(() => cognitoFixture({ users: { a: { username: "" } } }), /user "a" needs a username/);
    });

    it("refuses handles before up(), and down() before up() does nothing", async function () {
        const users = cognitoFixture({ users: { admin: { username: "admin@example.com" } } });
        assert.deepEqual(users.keys, ["admin"]);
        assert.throws(() => users.user("admin"), /not up: call `await users.up\(\)` first/);
        assert.throws(() => users.pool, /not up/);
        assert.throws(() => users.share(), /share\(\) failed: the fixture is not up/);
        await assert.rejects(users.signIn("admin"), /not up/);
        assert.equal(users.runDir, undefined);
        await users.down();
    });

    it("accepts only the declared keys (checked by the compiler)", function () {
        const users = cognitoFixture({ users: { admin: { username: "a" }, viewer: { username: "v" } } });
        // Never called: the point is that it compiles, and that the marked lines do not.
        const typed = () => {
            users.user("admin");
            void users.signIn("viewer");
            // @ts-expect-error "nobody" is not a declared user
            users.user("nobody");
            // @ts-expect-error "nobody" is not a declared user
            void users.signIn("nobody");
        };
        assert.equal(typeof typed, "function");
    });
});

describe("testing fixture: journal and shared runs", function () {
    let dir: string;

    beforeEach(function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fixture-journal-"));
    });

    afterEach(function () {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("reads back each user's steps, skipping a line torn by a kill, and holds no password", function () {
        const connection = { region: "us-east-1", endpoint: "http://127.0.0.1:1" };
        const creating = { userPoolId: "us-east-1_x", connection, attributes: {}, startedAt: 1 };
        appendJournal(dir, { kind: "creating", key: "a", username: "ann", ...creating });
        appendJournal(dir, { kind: "creating", key: "b", username: "bob", ...creating });
        appendJournal(dir, { kind: "created", key: "a", cognitoUsername: "ann", sub: "sub-a" });
        appendJournal(dir, { kind: "deleted", key: "a" });
        appendJournal(dir, { kind: "created", key: "b", cognitoUsername: "bob", sub: "sub-b" });
        fs.appendFileSync(path.join(dir, "journal.jsonl"), '{"kind":"deleted","ke');
        assert.equal(fs.statSync(path.join(dir, "journal.jsonl")).mode & 0o777, 0o600);
        const users = journaledUsers(readJournal(dir));
        assert.deepEqual([...users.keys()], ["a", "b"]);
        assert.equal(users.get("a")!.deleted, true);
        assert.equal(users.get("b")!.deleted, false, "the torn line is not a step");
        assert.equal(users.get("b")!.created!.sub, "sub-b");
        assert.deepEqual(readJournal(path.join(dir, "none")), []);
    });

    it("attaches only with a handle, and says what to do without one or when the run is gone", function () {
        const saved = process.env[SHARED_FIXTURE_ENV];
        delete process.env[SHARED_FIXTURE_ENV];
        try {
            assert.throws(() => attachCognitoFixture(), /COGNITO_FIXTURE_SHARED is not set: call `await users.up\(\); users.share\(\)`/);
            assert.throws(() => attachCognitoFixture({ version: 1, runDir: dir }), /fixture that shared it is down already/);
            assert.throws(() => attachCognitoFixture('{"runDir":1}'), /is not a handle from share\(\)/);
            assert.throws(() => attachCognitoFixture("not json"), /not json is not a handle from share\(\)/);
        } finally {
            if (saved !== undefined) process.env[SHARED_FIXTURE_ENV] = saved;
        }
    });
});

describe("testing fixture: runs of dead processes", function () {
    let root: string;

    beforeEach(function () {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "fixture-runstate-"));
    });

    afterEach(function () {
        fs.rmSync(root, { recursive: true, force: true });
    });

    /** Makes `run-<name>` with the record, as a fixture would. */
    function makeRun(name: string, content?: RunRecord): string {
        const dir = path.join(root, `run-${name}`);
        fs.mkdirSync(dir);
        if (content) writeRecord(runPaths(dir), content);
        return dir;
    }

    it("tells live processes from dead ones, and a recycled pid from its first owner", function () {
        assert.equal(isAlive(currentProcess()), true);
        assert.equal(isAlive({ pid: deadPid() }), false);
        const me = currentProcess();
        if (me.start !== undefined) assert.equal(isAlive({ pid: me.pid, start: `${me.start}0` }), false);
    });

    it("claims the run of a dead process and leaves live ones alone", function () {
        const dead = makeRun("dead", record({ pid: deadPid() }));
        const live = makeRun("live", record(currentProcess()));
        const claimed = claimStaleRuns(root);
        assert.equal(claimed.length, 1);
        assert.equal(fs.existsSync(dead), false, "renamed by the claim");
        assert.match(path.basename(claimed[0].paths.dir), new RegExp(`^claimed-${process.pid}-`));
        assert.equal(claimed[0].record?.stackName, "s");
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(claimed[0].paths.dir, "cleaner.json"), "utf8")).pid, process.pid);
        assert.equal(fs.existsSync(live), true);
        // Claimed by a live cleaner (this process): nobody else takes it.
        assert.deepEqual(claimStaleRuns(root), []);
        assert.equal(listRunDirs(root).length, 2);
    });

    it("takes over a claimed run whose cleaner died", function () {
        const dir = path.join(root, "claimed-1-abc");
        fs.mkdirSync(dir);
        writeRecord(runPaths(dir), record({ pid: deadPid() }));
        fs.writeFileSync(path.join(dir, "cleaner.json"), JSON.stringify({ pid: deadPid(), hostname: os.hostname() }));
        assert.equal(claimStaleRuns(root).length, 1);
    });

    it("leaves a run without a record alone until it is old, and runs of other hosts always", function () {
        const young = makeRun("young");
        assert.deepEqual(claimStaleRuns(root), []);
        const old = (Date.now() - 60 * 60 * 1000) / 1000;
        fs.utimesSync(young, old, old);
        const claimed = claimStaleRuns(root);
        assert.equal(claimed.length, 1);
        assert.equal(claimed[0].record, undefined);
        fs.rmSync(claimed[0].paths.dir, { recursive: true });

        makeRun("elsewhere", record({ pid: deadPid() }, "another-host"));
        assert.deepEqual(claimStaleRuns(root), []);
    });

    it("finds nothing in a root that does not exist", function () {
        assert.deepEqual(claimStaleRuns(path.join(root, "missing")), []);
        assert.deepEqual(listRunDirs(path.join(root, "missing")), []);
    });
});
