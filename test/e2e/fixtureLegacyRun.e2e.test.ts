/**
 * A run that a fixture of 0.1.0 left behind: its users in a Pulumi stack in the run's folder (file
 * backend, work folder, passphrase in run.json), its process dead, and the worst moment for the kill:
 * the checkpoint's metadata sidecar left empty ("failed to load checkpoint: EOF" until repaired). Today's
 * fixtures run no Pulumi, but their recovery still cleans such a run: it repairs the checkpoint, destroys
 * the stack through the Automation API (loaded only then) and removes the folder.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cleanupStaleFixtureRuns } from "../../provider/testing";
import { fixtureEnv, prepareWorkDir, pulumiCommandFor } from "../../provider/testing/pulumiRunner";
import { listRunDirs, runPaths, writeRecord } from "../../provider/testing/runState";
import { CognitoUser } from "../../provider/user/cognitoUser";
import { ensurePulumi, pulumiEnv, pulumiPath } from "../../scripts/pulumiEnv";
import { createTestPool, listPoolUsers, startTestCognito, TEST_REGION, TestCognito, TestPool } from "../support/cognito";

describe("fixture recovery of a run an earlier version (0.1.0) left with a Pulumi stack (e2e)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let root: string;

    before(async function () {
        await ensurePulumi();
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client);
        root = fs.mkdtempSync(path.join(os.tmpdir(), "fixture-legacy-"));
    });

    after(async function () {
        await cognito?.stop();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    it("repairs the cut-short checkpoint, destroys the stack's users and removes the folder", async function () {
        const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
        const deadPid = spawnSync(process.execPath, ["-e", ""]).pid!;
        const dir = fs.mkdtempSync(path.join(root, `run-${deadPid}-`));
        const paths = runPaths(dir);
        fs.mkdirSync(paths.backend);
        prepareWorkDir(paths.workDir);
        const passphrase = "legacy-run-passphrase";
        const stackName = `legacy-${deadPid}`;
        const pulumiCommand = await pulumiCommandFor(pulumiPath, path.join(dir, "cli"));
        // What 0.1.0's fixture did: an inline program of CognitoUsers in the run's own backend.
        const stack = await LocalWorkspace.createStack(
            {
                projectName: "cognito-fixture",
                stackName,
                program: async () => {
                    for (const name of ["legacy-a", "legacy-b"]) {
                        new CognitoUser(name, { userPoolId: pool.id, username: name, region: TEST_REGION, endpoint: cognito.endpoint });
                    }
                },
            },
            {
                workDir: paths.workDir,
                pulumiCommand,
                envVars: fixtureEnv({ env: pulumiEnv() as Record<string, string> }, paths, passphrase, pulumiCommand.command, {
                    AWS_ACCESS_KEY_ID: "local",
                    AWS_SECRET_ACCESS_KEY: "local",
                }),
            },
        );
        await stack.up({ color: "never" });
        writeRecord(paths, {
            version: 1,
            owner: { pid: deadPid },
            hostname: os.hostname(),
            createdAt: new Date().toISOString(),
            projectName: "cognito-fixture",
            stackName,
            passphrase,
            mode: "pool",
            usernames: { "legacy-a": "legacy-a", "legacy-b": "legacy-b" },
            pool: { userPoolId: pool.id, region: TEST_REGION, endpoint: cognito.endpoint },
        });
        assert.deepEqual((await listPoolUsers(cognito.client, pool.id)).map((u) => u.Username).sort(), ["legacy-a", "legacy-b"]);
        const sidecars = checkpointSidecars(paths.backend);
        assert.ok(sidecars.length > 0, "the stack has a checkpoint");
        for (const file of sidecars) fs.writeFileSync(file, "");

        const cleaned = await cleanupStaleFixtureRuns({ stateRoot: root, pulumi: { command: pulumiPath, env: pulumiEnv() } });
        assert.equal(cleaned, 1);
        assert.deepEqual(await listPoolUsers(cognito.client, pool.id), [], "the stack's users are destroyed");
        assert.deepEqual(listRunDirs(root), [], "the run's folder is removed");
    });
});

/** The `.attrs` metadata sidecars of the stack checkpoints under a file backend's folder. */
function checkpointSidecars(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return checkpointSidecars(file);
        return /\.json\.attrs$/.test(entry.name) && file.includes(`${path.sep}stacks${path.sep}`) ? [file] : [];
    });
}
