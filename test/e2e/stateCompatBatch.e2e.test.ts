/**
 * A CognitoUserBatch recorded with its users as maps (the form every version wrote until the users became
 * JSON strings: test/fixtures/state-batch-maps, written by the package at b953869) stays readable by the
 * current package: refresh keeps it as it is, the first `up` rewrites it in the current form without a
 * write to Cognito, and then a declared change, refresh and destroy work as on a new stack. Like
 * ./stateCompat.e2e.test.ts: a fresh cognito-local over the recorded data, the state imported into a
 * fresh stack, the npm-packed current package.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { decodeOutputs } from "../../provider/batch/wire";
import { listPoolUsers, signIn, startTestCognito, TestCognito } from "../support/cognito";
import { installPacked, packRepository } from "../support/packedPackage";
import { PulumiResult, runPulumi, RunPulumiOptions } from "../support/pulumiCli";

const FIXTURE = path.join(__dirname, "..", "fixtures", "state-batch-maps");
const ENDPOINT_PLACEHOLDER = "__COGNITO_LOCAL_ENDPOINT__";
/** The passphrase of the fixture's secrets: test-only. */
const PASSPHRASE = "state-compat-batch-maps-test-only";
const STACK = "fixture";
const BATCH_TYPE = "pulumi-nodejs:dynamic/cognito:CognitoUserBatch";

interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

describe("a CognitoUserBatch recorded with its users as maps, run by the current package (e2e)", function () {
    let root: string;
    let projectDir: string;
    let cognito: TestCognito;
    let env: NodeJS.ProcessEnv;
    let poolId: string;
    let clientId: string;
    let recordedBatch: StateResource;
    let destroyed = false;
    const transcript: string[] = [];

    async function run(args: string[], opts: RunPulumiOptions = {}): Promise<PulumiResult> {
        const result = await runPulumi(projectDir, [...args, "--stack", STACK], {
            ...opts,
            env: { ...env, ...opts.env },
            allowFailure: true,
        });
        transcript.push(result.stdout, result.stderr);
        if (result.code !== 0 && !opts.allowFailure)
            assert.fail(`pulumi ${args.join(" ")} exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
        return result;
    }
    async function batchInState(): Promise<StateResource> {
        const resources: StateResource[] = JSON.parse((await run(["stack", "export"])).stdout).deployment.resources ?? [];
        return resources.find((r) => r.type === BATCH_TYPE)!;
    }
    /** Each user's last modification in cognito-local: a write of any kind moves it. */
    async function lastModified(): Promise<Record<string, number>> {
        const users = await listPoolUsers(cognito.client, poolId);
        return Object.fromEntries(users.map((u) => [u.Username!, u.UserLastModifiedDate!.getTime()]));
    }
    const program = (givenNameOfSeed1: string): string =>
        fs
            .readFileSync(path.join(FIXTURE, "program", "index.js"), "utf8")
            .replace(
                'username: "seed-1", attributes: { given_name: "One" }',
                `username: "seed-1", attributes: { given_name: "${givenNameOfSeed1}" }`,
            );

    before(async function () {
        await ensurePulumi();
        root = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-state-compat-batch-"));
        projectDir = path.join(root, "project");
        const stateDir = path.join(root, "state");
        fs.mkdirSync(projectDir);
        fs.mkdirSync(stateDir);
        fs.writeFileSync(path.join(projectDir, "index.js"), program("One"));
        fs.copyFileSync(path.join(FIXTURE, "program", "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: "state-compat-batch-maps", private: true }));
        const { tarball } = await packRepository(root);
        await installPacked(projectDir, tarball);

        const dataDir = path.join(root, "cognito");
        fs.cpSync(path.join(FIXTURE, "recorded", "cognito-db"), path.join(dataDir, ".cognito", "db"), { recursive: true });
        cognito = await startTestCognito({ dataDir });
        const fill = (text: string) => text.split(ENDPOINT_PLACEHOLDER).join(cognito.endpoint);
        env = {
            PULUMI_BACKEND_URL: `file://${stateDir}`,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_CONFIG_PASSPHRASE_FILE: undefined,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
            AWS_PROFILE: undefined,
            AWS_ENDPOINT_URL: undefined,
            AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: undefined,
            AWS_ACCESS_KEY_ID: "local",
            AWS_SECRET_ACCESS_KEY: "local",
        };
        const config = fill(fs.readFileSync(path.join(FIXTURE, "recorded", "stack-config.yaml"), "utf8"));
        poolId = /poolId: (\S+)/.exec(config)![1];
        const clients = JSON.parse(fs.readFileSync(path.join(FIXTURE, "recorded", "cognito-db", "clients.json"), "utf8"));
        clientId = (Object.values(clients.Clients) as Array<{ ClientId: string; UserPoolId: string }>).find(
            (c) => c.UserPoolId === poolId,
        )!.ClientId;
        await run(["stack", "init"]);
        fs.writeFileSync(path.join(projectDir, `Pulumi.${STACK}.yaml`), config);
        const state = fill(fs.readFileSync(path.join(FIXTURE, "recorded", "stack.json"), "utf8"));
        recordedBatch = (JSON.parse(state).deployment.resources as StateResource[]).find((r) => r.type === BATCH_TYPE)!;
        fs.writeFileSync(path.join(root, "state.json"), state);
        await run(["stack", "import", "--file", path.join(root, "state.json")]);
    });

    after(async function () {
        if (projectDir && env) {
            if (!destroyed) await run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            await run(["stack", "rm", "--yes", "--force"], { allowFailure: true });
        }
        await cognito?.stop();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    it("the recorded batch holds its users as maps", function () {
        assert.equal(typeof recordedBatch.inputs!.declaredUsers, "object");
        assert.equal(typeof recordedBatch.outputs!.users, "object");
        assert.equal(Object.keys(recordedBatch.outputs!.users as object).length, 5);
    });

    it("refresh reads it, reports no drift, and keeps the form", async function () {
        const refresh = await run(["refresh", "--yes", "--skip-preview"]);
        assert.match(refresh.stdout, /Resources:\s+2 unchanged/, refresh.stdout);
        const batch = await batchInState();
        assert.equal(typeof batch.outputs!.users, "object");
        assert.deepEqual(batch.outputs!.users, recordedBatch.outputs!.users);
    });

    it("the first up rewrites it as JSON strings without a write to Cognito", async function () {
        const before = await lastModified();
        const preview = await run(["preview"]);
        assert.match(preview.stdout, /~ 1 to update/);
        assert.doesNotMatch(preview.stdout, /users change/, "no user is planned to change");
        await new Promise((resolve) => setTimeout(resolve, 1100)); // a write now would move a timestamp
        await run(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(await lastModified(), before, "no user was written");

        const batch = await batchInState();
        assert.equal(typeof batch.inputs!.declaredUsers, "string");
        assert.equal(typeof batch.outputs!.users, "string");
        assert.equal(batch.outputs!.count, 5);
        const users = decodeOutputs(batch.outputs!).users!;
        const recordedUsers = recordedBatch.outputs!.users as Record<string, { sub: string; groups: string[]; enabled: boolean }>;
        for (const name of Object.keys(recordedUsers)) {
            assert.equal(users[name].sub, recordedUsers[name].sub);
            assert.deepEqual(users[name].groups, recordedUsers[name].groups);
            assert.equal(users[name].enabled, recordedUsers[name].enabled);
        }
        for (const key of ["passwords", "temporaryPasswords"]) {
            assert.ok(JSON.stringify(batch.outputs![key]).includes("ciphertext"), `${key} stays a secret`);
        }
        await run(["preview", "--expect-no-changes"]);
        assert.equal(await signIn(cognito.client, { id: poolId, clientId }, "seed-2", "Seed-Password-2!"), "SIGNED_IN");
    });

    it("then a declared change updates only that user, refresh sees no drift, destroy deletes every user", async function () {
        const before = await lastModified();
        fs.writeFileSync(path.join(projectDir, "index.js"), program("Uno"));
        const preview = await run(["preview"]);
        assert.match(preview.stdout, /seed: 1 user changes \(5 declared\): 1 to update/);
        assert.match(preview.stdout, /~ seed-1: attributes \(given_name\)/);
        await run(["up", "--yes", "--skip-preview"]);
        const after = await lastModified();
        for (const name of Object.keys(before)) {
            if (name === "seed-1") assert.ok(after[name] > before[name], "seed-1 was updated");
            else assert.equal(after[name], before[name], `${name} was not written`);
        }
        const refresh = await run(["refresh", "--yes", "--skip-preview"]);
        assert.match(refresh.stdout, /Resources:\s+2 unchanged/, refresh.stdout);
        await run(["destroy", "--yes", "--skip-preview"]);
        destroyed = true;
        assert.deepEqual(await listPoolUsers(cognito.client, poolId), []);
    });

    it("no password appeared in plain text in any CLI output", function () {
        const text = transcript.join("\n");
        for (const password of ["Seed-Password-2!", "Temp-Password-3!"]) assert.ok(!text.includes(password));
    });
});
