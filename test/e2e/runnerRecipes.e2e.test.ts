/**
 * The four runner recipes in examples/runners (Jest, Vitest, mocha --parallel, Playwright) run with the
 * real runners, each by the command its README gives, two workers each, against a pool of this test's
 * own cognito-local (RECIPE_POOL) so the users can be counted. For each: the users are created once
 * (one global set-up, every worker signs in the same `admin`), each worker signs in, the admin's
 * declared password appears in no output, and afterwards the pool has no user and the run no folder.
 * Then a mocha worker that dies mid-run: the global teardown still deletes every user; and the whole
 * runner killed while the users are up: the next run's recovery deletes them.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cleanupStaleFixtureRuns } from "../../provider/testing";
import { repoRoot } from "../../scripts/pulumiEnv";
import { createTestPool, listPoolUsers, startTestCognito, TestCognito, TestPool } from "../support/cognito";
import { groupMembers } from "../support/processTree";

const RECIPES_DIR = path.join(repoRoot, "examples", "runners");
const CRASHING_WORKER = path.join(__dirname, "fixtureSuites", "crashingWorker.ts");
const HANGING_WORKER = path.join(__dirname, "fixtureSuites", "hangingWorker.ts");

/** The README's `sh` commands, one a line. */
function readmeCommands(): string[] {
    const markdown = fs.readFileSync(path.join(RECIPES_DIR, "README.md"), "utf8");
    return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1].split("\n").filter((line) => line.trim() !== ""));
}

/** What a recipe's reporting hooks wrote (examples/runners/users.ts). */
interface Reports {
    setUps: Array<{ pid: number; runDir: string; userPoolId: string }>;
    signIns: Array<{ pid: number; key: string; sub: string; groups: string[] }>;
}

function readReports(dir: string): Reports {
    const read = (prefix: string) =>
        fs
            .readdirSync(dir)
            .filter((f) => f.startsWith(prefix))
            .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
    return { setUps: read("setup-"), signIns: read("signin-") };
}

/** Runs a command line (plain words) from the repository's root; resolves with its exit code and output. */
function run(commandLine: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const [command, ...args] = commandLine.split(/\s+/);
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
    });
}

/** The recipe's environment: the test's pool, a report folder, a declared admin password, no SDK warning. */
function recipeEnv(pool: TestPool, endpoint: string, reportDir: string, password: string): Record<string, string> {
    return {
        RECIPE_POOL: JSON.stringify({ userPoolId: pool.id, clientId: pool.clientId, endpoint, region: "us-east-1" }),
        RECIPE_REPORT_DIR: reportDir,
        RECIPE_ADMIN_PASSWORD: password,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
}

/** Extra arguments that make the runs comparable: Jest runs a few fast files in band when its cache says so. */
function extraArguments(runner: string, scratch: string): string {
    return runner === "jest" ? ` --cacheDirectory ${path.join(scratch, "jest-cache")}` : "";
}

describe("runner recipes: one fixture per test run, shared by the workers (e2e, real runners)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let scratch: string;

    before(async function () {
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, { groups: ["admins"] });
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "runner-recipes-"));
    });

    after(async function () {
        await cognito?.stop();
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    /** Runs one recipe command with the test's pool, a fresh report folder and a declared admin password. */
    async function runRecipe(runner: string, commandLine: string): Promise<{ code: number | null; output: string; reports: Reports }> {
        const reportDir = fs.mkdtempSync(path.join(scratch, `${runner}-`));
        const password = `Recipe-${crypto.randomBytes(6).toString("hex")}-A1!`;
        const result = await run(commandLine + extraArguments(runner, scratch), recipeEnv(pool, cognito.endpoint, reportDir, password));
        assert.ok(!result.output.includes(password), `${runner}: the admin's password appears in the runner's output`);
        return { ...result, reports: readReports(reportDir) };
    }

    it("the README gives one command per runner", function () {
        const runners = readmeCommands().map((c) => c.split(/\s+/)[1]);
        assert.deepEqual(runners, ["jest", "vitest", "mocha", "playwright"]);
    });

    for (const commandLine of readmeCommands()) {
        const runner = commandLine.split(/\s+/)[1];
        it(`${runner}: \`${commandLine}\` creates the users once, signs in from each worker, deletes them all`, async function () {
            const { code, output, reports } = await runRecipe(runner, commandLine);
            assert.equal(code, 0, output.slice(-4000));
            assert.equal(reports.setUps.length, 1, "one global set-up");
            const [setUp] = reports.setUps;
            assert.equal(setUp.userPoolId, pool.id);
            const workers = new Set(reports.signIns.map((s) => s.pid));
            assert.ok(workers.size >= 2, `signed in from ${workers.size} worker process(es)`);
            assert.ok(!workers.has(setUp.pid), "the workers are not the process that created the users");
            const adminSubs = new Set(reports.signIns.filter((s) => s.key === "admin").map((s) => s.sub));
            assert.equal(adminSubs.size, 1, "every worker signed in the same admin: created once");
            for (const signIn of reports.signIns.filter((s) => s.key === "admin")) assert.deepEqual(signIn.groups, ["admins"]);
            assert.ok(
                reports.signIns.some((s) => s.key.startsWith("worker")),
                "a worker signed in its own user",
            );
            assert.deepEqual(await listPoolUsers(cognito.client, pool.id), [], "the global teardown deleted every user");
            assert.equal(fs.existsSync(setUp.runDir), false, "the run's folder is removed");
        });
    }

    it("mocha: a worker that dies mid-run fails the run, and the global teardown still deletes every user", async function () {
        const mocha = readmeCommands().find((c) => c.startsWith("npx mocha"))!;
        const { code, output, reports } = await runRecipe("mocha-crash", `${mocha} ${path.relative(repoRoot, CRASHING_WORKER)}`);
        assert.notEqual(code, 0, "the run fails");
        assert.equal(reports.setUps.length, 1);
        assert.ok(reports.signIns.length > 0, `the other worker signed in:\n${output.slice(-3000)}`);
        assert.deepEqual(await listPoolUsers(cognito.client, pool.id), [], "the global teardown deleted every user");
        assert.equal(fs.existsSync(reports.setUps[0].runDir), false, "the run's folder is removed");
    });

    it("mocha: the whole runner killed while the users are up: the next run's recovery deletes them", async function () {
        const reportDir = fs.mkdtempSync(path.join(scratch, "mocha-killed-"));
        const [command, ...args] =
            `${readmeCommands().find((c) => c.startsWith("npx mocha"))!} ${path.relative(repoRoot, HANGING_WORKER)}`.split(/\s+/);
        // Its own process group, so the kill reaches the runner and its workers at once, as a CI timeout would.
        const child = spawn(command, args, {
            cwd: repoRoot,
            env: { ...process.env, ...recipeEnv(pool, cognito.endpoint, reportDir, "Killed-Run-Passw0rd!") },
            stdio: "ignore",
            detached: true,
        });
        const exited = new Promise((resolve) => child.on("exit", resolve));
        const deadline = Date.now() + 60_000;
        while (readReports(reportDir).signIns.length < 2) {
            assert.ok(Date.now() < deadline && child.exitCode === null, "the recipe never signed in");
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        process.kill(-child.pid!, "SIGKILL");
        await exited;
        // npx's exit does not mean its group is gone: the runner that owns the run may still be dying (a
        // SIGKILLed process ends when it is next scheduled), and a live owner's run is never cleaned up.
        const goneBy = Date.now() + 30_000;
        while (groupMembers(child.pid!).length > 0) {
            assert.ok(Date.now() < goneBy, `the killed group lives on: ${groupMembers(child.pid!).join(", ")}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const [setUp] = readReports(reportDir).setUps;
        assert.equal((await listPoolUsers(cognito.client, pool.id)).length, 3, "the killed run's users are still there");
        assert.equal(fs.existsSync(setUp.runDir), true, "its folder too");

        await cleanupStaleFixtureRuns(); // what the next run's up() does first, in the same (default) state root
        assert.deepEqual(await listPoolUsers(cognito.client, pool.id), [], "the next run deleted them");
        assert.equal(fs.existsSync(setUp.runDir), false);
    });
});
