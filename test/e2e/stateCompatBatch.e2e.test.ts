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
import * as path from "node:path";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { decodeOutputs } from "../../provider/batch/wire";
import { listPoolUsers, signIn } from "../support/cognito";
import { importRecordedStack, RecordedStack, StateResource } from "../support/recordedStack";

const FIXTURE = path.join(__dirname, "..", "fixtures", "state-batch-maps");
const BATCH_TYPE = "pulumi-nodejs:dynamic/cognito:CognitoUserBatch";

/** The fixture's program, with seed-1's given_name as declared. */
const program = (givenNameOfSeed1: string): string =>
    fs
        .readFileSync(path.join(FIXTURE, "program", "index.js"), "utf8")
        .replace(
            'username: "seed-1", attributes: { given_name: "One" }',
            `username: "seed-1", attributes: { given_name: "${givenNameOfSeed1}" }`,
        );

describe("a CognitoUserBatch recorded with its users as maps, run by the current package (e2e)", function () {
    let stack: RecordedStack;
    let poolId: string;
    let clientId: string;
    let recordedBatch: StateResource;
    let destroyed = false;

    const run = (args: string[]) => stack.run(args);
    async function batchInState(): Promise<StateResource> {
        return (await stack.exportedResources()).find((r) => r.type === BATCH_TYPE)!;
    }
    /** Each user's last modification in cognito-local: a write of any kind moves it. */
    async function lastModified(): Promise<Record<string, number>> {
        const users = await listPoolUsers(stack.cognito.client, poolId);
        return Object.fromEntries(users.map((u) => [u.Username!, u.UserLastModifiedDate!.getTime()]));
    }

    before(async function () {
        await ensurePulumi();
        // The passphrase of the fixture's secrets: test-only.
        stack = await importRecordedStack(FIXTURE, {
            stack: "fixture",
            passphrase: "state-compat-batch-maps-test-only",
            program: program("One"),
        });
        poolId = /poolId: (\S+)/.exec(stack.config)![1];
        const clients = JSON.parse(fs.readFileSync(path.join(stack.dbDir, "clients.json"), "utf8"));
        clientId = (Object.values(clients.Clients) as Array<{ ClientId: string; UserPoolId: string }>).find(
            (c) => c.UserPoolId === poolId,
        )!.ClientId;
        recordedBatch = stack.recorded.find((r) => r.type === BATCH_TYPE)!;
    });

    after(async function () {
        await stack?.dispose(destroyed);
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
        assert.equal(await signIn(stack.cognito.client, { id: poolId, clientId }, "seed-2", "Seed-Password-2!"), "SIGNED_IN");
    });

    it("then a declared change updates only that user, refresh sees no drift, destroy deletes every user", async function () {
        const before = await lastModified();
        fs.writeFileSync(path.join(stack.projectDir, "index.js"), program("Uno"));
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
        assert.deepEqual(await listPoolUsers(stack.cognito.client, poolId), []);
    });

    it("no password appeared in plain text in any CLI output", function () {
        const text = stack.transcript.join("\n");
        for (const password of ["Seed-Password-2!", "Temp-Password-3!"]) assert.ok(!text.includes(password));
    });
});
