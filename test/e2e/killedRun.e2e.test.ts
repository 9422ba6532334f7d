/**
 * A killed `pulumi up` stops writing, through the real Pulumi CLI against both embedded Cognitos. The
 * CLI's whole process group is SIGKILLed mid-batch, as an OOM kill, a `kill -9` or a CI step timeout on a
 * plain runner does: that signal never reaches the plugins (the CLI starts each in a process group of its
 * own), so they must notice the CLI is gone themselves. Asserts that 5 s later no process of the run is
 * alive and the pool's user count no longer changes, then that the README's recovery converges exactly.
 */
import * as assert from "node:assert/strict";
import { ChildProcess } from "node:child_process";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { pulumiProcessesIn } from "../../provider/testing/runState";
import { createTestPool, listPoolUsers, startTestCognito } from "../support/cognito";
import { createMotoPool, startMoto } from "../support/moto";
import { assertNoStackTrace, TestStack, USERS_AND_BATCH_PROGRAM, UserSpec } from "../support/testStack";

/** The users of the scenario: 20 CognitoUsers and a 600-user batch, every one with a generated password, in group viewers. */
const SINGLE_USERS = 20;
const BATCH_USERS = 600;
/** The kill lands once this many users exist. */
const KILL_AT = 150;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Emulator {
    name: string;
    start(): Promise<{ endpoint: string; client: CognitoIdentityProviderClient; poolId: string; stop(): Promise<void> }>;
}

const EMULATORS: Emulator[] = [
    {
        name: "cognito-local",
        start: async () => {
            const cognito = await startTestCognito();
            const pool = await createTestPool(cognito.client, { groups: ["viewers"] });
            return { endpoint: cognito.endpoint, client: cognito.client, poolId: pool.id, stop: () => cognito.stop() };
        },
    },
    {
        name: "moto",
        start: async () => {
            const moto = await startMoto();
            const pool = await createMotoPool(moto, "us-east-1", { groups: ["viewers"] });
            return { endpoint: moto.endpoint, client: moto.clientFor("us-east-1"), poolId: pool.id, stop: () => moto.stop() };
        },
    },
];

for (const emulator of EMULATORS) {
    describe(`a killed pulumi up stops writing, against ${emulator.name} (e2e)`, function () {
        let server: Awaited<ReturnType<Emulator["start"]>>;
        let stack: TestStack;
        const count = async () => (await listPoolUsers(server.client, server.poolId)).length;

        before(async function () {
            await ensurePulumi();
            server = await emulator.start();
            stack = new TestStack(`killed-${emulator.name}`, server, USERS_AND_BATCH_PROGRAM);
            await stack.init();
            const singles: UserSpec[] = Array.from({ length: SINGLE_USERS }, (_, i) => ({
                name: `single${i}`,
                userPoolId: server.poolId,
                username: `single${i}`,
                generatePassword: true,
                groups: ["viewers"],
            }));
            stack.declare(singles);
            stack.declareBatch({
                userPoolId: server.poolId,
                users: Array.from({ length: BATCH_USERS }, (_, i) => ({ username: `batch${i}` })),
                defaults: { generatePassword: true, groups: ["viewers"] },
                concurrency: 4,
            });
        });
        after(async function () {
            // A failed run must not leave its orphans behind either.
            if (stack) for (const pid of pulumiProcessesIn(stack.project.dir)) process.kill(pid, "SIGKILL");
            await stack?.dispose();
            await server?.stop();
        });

        it("kill -9 of the CLI's process group mid-batch: 5 s later no process of the run lives and no user is added; the README's recovery converges", async function () {
            let cli: ChildProcess | undefined;
            const up = stack.up({ allowFailure: true, detached: true, onStart: (child) => (cli = child) });
            let atKill = 0;
            for (;;) {
                if (cli?.exitCode !== null && cli?.exitCode !== undefined) break;
                atKill = await count();
                if (atKill >= KILL_AT && cli?.pid) break;
                await sleep(50);
            }
            assert.ok(cli?.pid && cli.exitCode === null, "pulumi up finished before it could be killed");
            const running = pulumiProcessesIn(stack.project.dir);
            process.kill(-cli.pid, "SIGKILL"); // the CLI's process group, not the plugins' own groups
            const interrupted = await up;
            assert.notEqual(interrupted.code, 0);
            assert.ok(running.length >= 3, `the CLI, the language host and the provider host were running: ${running}`);

            await sleep(1000);
            const afterOneSecond = await count();
            await sleep(4000);
            const survivors = pulumiProcessesIn(stack.project.dir);
            assert.deepEqual(survivors, [], "a process of the killed run is alive 5 s after the kill");
            const afterFive = await count();
            await sleep(2000);
            assert.equal(await count(), afterFive, "users are still being created after the kill");
            console.log(`      users: ${atKill} at the kill, ${afterOneSecond} 1 s later, ${afterFive} 5 s later`);
            assert.ok(afterFive < SINGLE_USERS + BATCH_USERS, "the run was cut short");

            // The README's recovery: repair a checkpoint the kill cut short, unlock, drop the pending creates,
            // adopt the users the state does not know.
            stack.restoreTruncatedCheckpoint();
            await stack.run(["cancel", "--yes"]);
            await stack.run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"]);
            await stack.run(["config", "set", "cognito-user:adoptExisting", "true"]);
            const recovered = await stack.up();
            assertNoStackTrace(recovered);
            const stored = await listPoolUsers(server.client, server.poolId);
            assert.equal(stored.length, SINGLE_USERS + BATCH_USERS, "every declared user");
            assert.equal(new Set(stored.map((u) => u.Username)).size, SINGLE_USERS + BATCH_USERS, "each exactly once");
            await stack.run(["preview", "--expect-no-changes"]);
            await stack.run(["destroy", "--yes", "--skip-preview"]);
            assert.equal(await count(), 0);
        });

        if (emulator.name === "cognito-local") {
            it("Ctrl-C (SIGINT) keeps Pulumi's graceful path: the steps under way finish and are recorded", async function () {
                await stack.run(["config", "rm", "cognito-user:adoptExisting"], { allowFailure: true });
                let cli: ChildProcess | undefined;
                const up = stack.up({ allowFailure: true, onStart: (child) => (cli = child) });
                while ((await count()) < KILL_AT && cli?.exitCode === null) await sleep(50);
                cli?.kill("SIGINT");
                const interrupted = await up;
                assert.notEqual(interrupted.code, 0, "the update was cancelled");
                const state = await stack.exportState();
                assert.deepEqual(state.pendingOperations, [], "every step that began finished and was recorded");
                const batch = state.resources.find((r) => r.type === "pulumi-nodejs:dynamic/cognito:CognitoUserBatch");
                const recorded = state.users.size + Number(batch?.outputs?.count ?? 0);
                assert.equal(await count(), recorded, "the state knows every user in the pool");
                assert.equal(Number(batch?.outputs?.count), BATCH_USERS, "the batch under way finished");
                await stack.run(["destroy", "--yes", "--skip-preview"]);
                assert.equal(await count(), 0);
            });
        }
    });
}
