/**
 * Fixtures under `mocha --parallel` with two workers: two suites declaring the very same users (keys and
 * usernames) in one shared pool, both up at once. Each worker gets its own users (usernames made unique
 * per run and worker), signs in as its TOTP user without auth code, completes a temporary password, and
 * refreshes tokens; afterwards nothing is left: no user in the pool, no run folder.
 * The shared pool is a cognito-local this test starts, standing in for a pool in AWS.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listRunDirs } from "../../provider/testing/runState";
import { repoRoot } from "../../scripts/pulumiEnv";
import { createTestPool, listPoolUsers, startTestCognito, TestCognito, TestPool } from "../support/cognito";
import { enablePoolMfa } from "../support/mfa";

const SUITES = ["parallelWorkerA.ts", "parallelWorkerB.ts"].map((file) => path.join(__dirname, "fixtureSuites", file));

describe("fixtures under mocha --parallel, two workers, one pool (e2e)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let tempRoot: string;

    before(async function () {
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, {
            authFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        });
        await enablePoolMfa(cognito.client, pool.id);
        tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fixture-parallel-"));
    });

    after(async function () {
        await cognito?.stop();
        if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
    });

    it("gives each worker its own users, answers TOTP and temporary passwords, and cleans everything up", async function () {
        const stateRoot = path.join(tempRoot, "state");
        const reportDir = path.join(tempRoot, "reports");
        fs.mkdirSync(stateRoot);
        fs.mkdirSync(reportDir);
        const mocha = require.resolve("mocha/bin/mocha.js");
        const args = [
            mocha,
            "--no-config",
            "--parallel",
            "--jobs",
            "2",
            "--require",
            "ts-node/register",
            "--extension",
            "ts",
            "--timeout",
            "0",
            ...SUITES,
        ];
        const child = spawn(process.execPath, args, {
            cwd: repoRoot,
            env: {
                ...process.env,
                TS_NODE_TRANSPILE_ONLY: "true",
                FIXTURE_POOL: JSON.stringify({
                    userPoolId: pool.id,
                    clientId: pool.clientId,
                    endpoint: cognito.endpoint,
                    region: "us-east-1",
                }),
                FIXTURE_STATE_ROOT: stateRoot,
                PARALLEL_REPORT_DIR: reportDir,
                PARALLEL_PEERS: "2",
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
        assert.equal(code, 0, `the parallel run failed:\n${output.slice(-6000)}`);
        assert.match(output, /6 passing/);

        const reports = ["a", "b"].map(
            (label) =>
                JSON.parse(fs.readFileSync(path.join(reportDir, `${label}.json`), "utf8")) as {
                    pid: number;
                    worker: string;
                    usernames: string[];
                },
        );
        assert.notEqual(reports[0].pid, reports[1].pid, "two worker processes");
        assert.notEqual(reports[0].worker, reports[1].worker, "two mocha workers");
        const overlap = reports[0].usernames.filter((name) => reports[1].usernames.includes(name));
        assert.deepEqual(overlap, [], "no username is shared");
        assert.deepEqual(await listPoolUsers(cognito.client, pool.id), [], "every user is destroyed");
        assert.deepEqual(listRunDirs(stateRoot), [], "no run folder (journal) is left");
    });
});
