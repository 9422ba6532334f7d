/**
 * CognitoUserBatch end to end through the real Pulumi CLI: a TypeScript program seeding a pool from a
 * CSV file, against a cognito-local this suite starts, with a file backend in a temporary folder. Each
 * case edits the file and runs `pulumi up`; assertions read Cognito itself and `pulumi stack export`.
 * It also checks what only the real engine shows: progress lines reach the output, and a failure for
 * some users is recorded as a partial state (the users created stay managed).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AdminDeleteUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import {
    createTestPool,
    getStoredUser,
    listPoolUsers,
    signIn,
    startTestCognito,
    TestCognito,
    TestPool,
    TEST_REGION,
} from "../support/cognito";
import { createTempProject, PulumiResult, runPulumi, RunPulumiOptions, TempProject } from "../support/pulumiCli";
import { decodeOutputs } from "../../provider/batch/wire";

const BATCH_TYPE = "pulumi-nodejs:dynamic/cognito:CognitoUserBatch";

/** The program: one batch seeded from users.csv, every user with a generated password. */
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { CognitoUserBatch } from "pulumi-cognito-user";

const config = new pulumi.Config();
const seed = new CognitoUserBatch("seed", {
    userPoolId: config.require("poolId"),
    usersFile: "users.csv",
    defaults: { generatePassword: true },
});
export const count = seed.count;
export const users = seed.users;
export const passwords = seed.passwords;
// One user's outputs, typed: the batch decodes its users (one JSON string in the state) in the program.
const seven = seed.user("seed-07");
export const seed07 = { sub: seven.apply((u) => u?.sub), groups: seven.apply((u) => u?.groups), status: seven.apply((u) => u?.status) };
export const seed07Password = seed.password("seed-07");
export const notInBatch = seed.user("nobody");
`;

/** One CSV row: username, email, groups. */
type Row = [string, string, string];

function csv(rows: Row[]): string {
    return ["username,email,groups", ...rows.map((r) => r.join(","))].join("\n") + "\n";
}

const rowOf = (i: number): Row => [`seed-${String(i).padStart(2, "0")}`, `seed-${i}@example.com`, i % 3 === 0 ? "viewers" : ""];

describe("CognitoUserBatch through the Pulumi CLI (e2e)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let project: TempProject;
    let stateDir: string;
    let env: NodeJS.ProcessEnv;
    const stack = "batch";
    let rows: Row[];

    async function run(args: string[], opts: RunPulumiOptions = {}): Promise<PulumiResult> {
        return runPulumi(project.dir, [...args, "--stack", stack], { ...opts, env: { ...env, ...opts.env } });
    }
    function writeRows(next: Row[]): void {
        rows = next;
        fs.writeFileSync(path.join(project.dir, "users.csv"), csv(rows));
    }
    async function exported(): Promise<{
        raw: string;
        batch: { id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    }> {
        const raw = (await run(["stack", "export"])).stdout;
        const resources: Array<{ type: string; id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }> =
            JSON.parse(raw).deployment.resources ?? [];
        const batch = resources.find((r) => r.type === BATCH_TYPE);
        assert.ok(batch, "the batch is in the state");
        return { raw, batch: { ...batch, outputs: decodeOutputs(batch.outputs) as Record<string, unknown> } };
    }
    async function storedUsernames(): Promise<string[]> {
        return (await listPoolUsers(cognito.client, pool.id)).map((u) => u.Username!).sort();
    }

    before(async function () {
        await ensurePulumi();
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, { groups: ["viewers"] });
        project = createTempProject({
            name: "e2e-batch",
            files: { "index.ts": PROGRAM, "package.json": JSON.stringify({ name: "e2e-batch", private: true }) },
        });
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-state-batch-"));
        env = {
            PULUMI_BACKEND_URL: `file://${stateDir}`,
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
            AWS_PROFILE: undefined,
            AWS_ACCESS_KEY_ID: "local",
            AWS_SECRET_ACCESS_KEY: "local",
        };
        await runPulumi(project.dir, ["stack", "init", stack], { env });
        await run([
            "config",
            "set-all",
            "--plaintext",
            `aws:region=${TEST_REGION}`,
            "--plaintext",
            `cognito-user:endpoint=${cognito.endpoint}`,
            "--plaintext",
            `poolId=${pool.id}`,
        ]);
    });

    after(async function () {
        if (project) {
            await run(["cancel", "--yes"], { allowFailure: true });
            await run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            await run(["stack", "rm", "--yes", "--force"], { allowFailure: true });
            project.remove();
        }
        if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
        await cognito?.stop();
    });

    it("creates the users of a CSV file as one resource, showing progress", async function () {
        writeRows(Array.from({ length: 60 }, (_, i) => rowOf(i)));
        const up = await run(["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /\+ 2 created/); // the stack and the batch
        assert.match(up.stdout + up.stderr, /seed: 60\/60 users created \(\d+\/s\)/, "progress lines reach the output");
        assert.deepEqual(await storedUsernames(), rows.map((r) => r[0]).sort());
        assert.deepEqual((await getStoredUser(cognito.client, pool.id, "seed-03"))!.groups, ["viewers"]);

        const { raw, batch } = await exported();
        assert.equal((batch.outputs.users as Record<string, unknown>)["seed-00"] !== undefined, true);
        assert.equal(batch.outputs.count, 60);
        const shown = JSON.parse((await run(["stack", "output", "--json", "--show-secrets"])).stdout);
        const generated = shown.passwords as Record<string, string>;
        const recorded07 = (batch.outputs.users as Record<string, { sub: string }>)["seed-07"];
        assert.deepEqual(shown.seed07, { sub: recorded07.sub, groups: [], status: "CONFIRMED" });
        assert.equal(shown.users["seed-03"].cognitoUsername, "seed-03", "the whole record, defaults filled in");
        assert.equal(shown.seed07Password, generated["seed-07"]);
        assert.equal(shown.notInBatch, undefined);
        const plainOutputs = (await run(["stack", "output", "--json"])).stdout;
        assert.match(plainOutputs, /"seed07Password": "\[secret\]"/);
        assert.equal(Object.keys(generated).length, 60);
        for (const password of Object.values(generated))
            assert.ok(!raw.includes(password), "a generated password is in the state in plain text");
        assert.equal(await signIn(cognito.client, pool, "seed-07", generated["seed-07"]), "SIGNED_IN");
        await run(["preview", "--expect-no-changes"]);
    });

    it("an edited file updates only the users whose rows changed", async function () {
        const before = new Map((await listPoolUsers(cognito.client, pool.id)).map((u) => [u.Username!, u.UserLastModifiedDate!.getTime()]));
        const changed = ["seed-10", "seed-11"];
        writeRows(rows.map((r) => (changed.includes(r[0]) ? [r[0], `${r[0]}@example.org`, r[2]] : r)));
        const preview = await run(["preview", "--diff"]);
        // The user list is keyed by username: the diff marks exactly the changed users.
        const resourceSection = preview.stdout.split(/^Outputs:/m)[0];
        const marked = resourceSection.split("\n").flatMap((line) => /^\s*~ (seed-\d+):/.exec(line)?.[1] ?? []);
        assert.deepEqual(marked, changed, "the preview marks only the changed users");
        // Plain `pulumi preview` names the changed users and their changed fields, and no other user.
        const plain = (await run(["preview"])).stdout;
        if (process.env.SHOW_PREVIEW) console.log(plain);
        assert.match(plain, /seed: 2 users change \(60 declared\): 2 to update/);
        assert.match(plain, /~ seed-10: attributes \(email\)/);
        assert.deepEqual([...new Set(plain.match(/seed-\d\d\b/g))].sort(), changed, "no other user is named");
        const up = await run(["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /~ 1 updated/);
        for (const user of await listPoolUsers(cognito.client, pool.id)) {
            const name = user.Username!;
            if (changed.includes(name)) continue;
            assert.equal(user.UserLastModifiedDate!.getTime(), before.get(name), `${name} was not modified`);
        }
        assert.equal((await getStoredUser(cognito.client, pool.id, "seed-10"))!.attributes.email, "seed-10@example.org");
    });

    it("rows removed from the file delete those users", async function () {
        writeRows(rows.slice(0, 55));
        await run(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(await storedUsernames(), rows.map((r) => r[0]).sort());
    });

    it("a user Cognito rejects fails the update, and the users created with it stay recorded", async function () {
        writeRows([
            ...rows,
            ["seed-90", "seed-90@example.com", ""],
            ["seed-91", "seed-91@example.com", "no-such-group"],
            ["seed-92", "seed-92@example.com", ""],
        ]);
        const up = await run(["up", "--yes", "--skip-preview"], { allowFailure: true });
        assert.notEqual(up.code, 0);
        assert.match(up.stdout + up.stderr, /seed-91/);
        assert.match(up.stdout + up.stderr, /AdminAddUserToGroup\(no-such-group\)/);
        const { batch } = await exported();
        const recorded = batch.outputs.users as Record<string, unknown>;
        assert.ok(recorded["seed-90"] && recorded["seed-92"], "the users created alongside are recorded");
        assert.equal(recorded["seed-91"], undefined);
        assert.equal(await getStoredUser(cognito.client, pool.id, "seed-91"), undefined, "the failed user was rolled back");

        // The fix: the next `pulumi up` creates only the missing user.
        writeRows(rows.map((r) => (r[0] === "seed-91" ? [r[0], r[1], "viewers"] : r)));
        await run(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(await storedUsernames(), rows.map((r) => r[0]).sort());
        assert.deepEqual((await getStoredUser(cognito.client, pool.id, "seed-91"))!.groups, ["viewers"]);
        await run(["preview", "--expect-no-changes"]);
    });

    it("refresh drops a user deleted outside Pulumi, and the next up recreates it", async function () {
        await cognito.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: "seed-01" }));
        await run(["refresh", "--yes", "--skip-preview"]);
        const { batch } = await exported();
        assert.equal((batch.outputs.users as Record<string, unknown>)["seed-01"], undefined);
        await run(["up", "--yes", "--skip-preview"]);
        assert.ok(await getStoredUser(cognito.client, pool.id, "seed-01"));
    });

    it("destroy deletes every user", async function () {
        await run(["destroy", "--yes", "--skip-preview"]);
        assert.deepEqual(await storedUsernames(), []);
    });
});
