/**
 * State written by pulumi-cognito-user 0.1.0 stays readable, refreshable, updatable and destroyable by
 * the current package. test/fixtures/state-0.1.0 holds what a 0.1.0 user has: the stack's state (with
 * the serialized provider stub calling `require("pulumi-cognito-user/dynamic")` and
 * `require("pulumi-cognito-user/dynamic-batch")`), the stack config (passphrase salt, encrypted
 * passwords) and cognito-local's data as 0.1.0 left it. This suite puts that data in a fresh cognito-local,
 * imports the state into a fresh stack of a fresh project holding the npm-packed CURRENT package, and
 * runs the same program with one declared change: refresh, preview, up, destroy.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { getStoredUser, listPoolUsers, signIn, TestCognito } from "../support/cognito";
import { importRecordedStack, RecordedStack, StateResource } from "../support/recordedStack";
import { PulumiResult, RunPulumiOptions } from "../support/pulumiCli";

const FIXTURE = path.join(__dirname, "..", "fixtures", "state-0.1.0");
/** The passphrase the fixture's secrets were encrypted with: test-only, for this local fixture. */
const PASSPHRASE = "state-compat-0.1.0-test-only";
/** The stack and project the recorded URNs name. */
const STACK = "fixture";
const USER_TYPE = "pulumi-nodejs:dynamic/cognito:CognitoUser";
const BATCH_TYPE = "pulumi-nodejs:dynamic/cognito:CognitoUserBatch";
/**
 * Inputs used at create only (README: "create only"), which a diff of an existing resource never counts.
 * A later version may change their defaults (main's 604e7b4 makes the batch's `adoptExisting` default
 * false; 0.1.0 recorded true), so the same program may declare another value than the old state holds.
 * A user's outputs no longer record them; 0.1.0's did.
 */
const CREATE_ONLY_INPUTS = new Set(["adoptExisting", "clientMetadata", "validationData", "forceAliasCreation"]);
/** The provider text the current package records (provider/shared/program/dynamicResource.ts). */
const CURRENT_STUBS: Record<string, string> = {
    [USER_TYPE]: 'exports.handler = () => require("pulumi-cognito-user/dynamic");\n',
    [BATCH_TYPE]: 'exports.handler = () => require("pulumi-cognito-user/dynamic-batch");\n',
};
/** Pulumi's marker of a secret value in a state file. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** The one declared change: given_name of the email-pool user and of one batch user. */
const CHANGES: Array<[from: string, to: string]> = [
    ['given_name: "Edith", team', 'given_name: "Edwina", team'],
    ['username: "seed-1", attributes: { given_name: "One" }', 'username: "seed-1", attributes: { given_name: "Uno" }'],
];

/** A resource's name: the last URN segment. */
const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/**
 * Recorded outputs as refresh may rewrite them without any drift: every secret replaced by "[secret]"
 * (ciphertexts change when re-encrypted), without the stub, and without `lastModifiedAt` (0.1.0's create
 * records AdminCreateUser's timestamp, before it sets the password, groups and enabled, so the first
 * read of a user records a later one; a timestamp Cognito keeps is not drift).
 */
function comparable(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(comparable);
    if (value && typeof value === "object") {
        if (SECRET_SIG in value) return "[secret]";
        return Object.fromEntries(
            Object.entries(value)
                .filter(([k]) => k !== "__provider" && k !== "lastModifiedAt")
                .map(([k, v]) => [k, comparable(v)]),
        );
    }
    return value;
}

/** Every user's password as cognito-local stores it (in clear) in the recorded data: what no CLI output may show. */
function recordedPasswords(dbDir: string): Record<string, string> {
    const passwords: Record<string, string> = {};
    for (const file of fs.readdirSync(dbDir).filter((f) => f.startsWith("local_"))) {
        const pool = JSON.parse(fs.readFileSync(path.join(dbDir, file), "utf8")) as { Users: Record<string, { Password?: string }> };
        for (const [username, user] of Object.entries(pool.Users)) if (user.Password) passwords[username] = user.Password;
    }
    return passwords;
}

describe("state written by 0.1.0, run by the current package (e2e)", function () {
    let stack: RecordedStack;
    let cognito: TestCognito;
    let recorded: StateResource[];
    let passwords: Record<string, string>;
    let plainPoolId: string;
    let emailPoolId: string;
    let destroyed = false;

    const run = (args: string[], opts: RunPulumiOptions = {}): Promise<PulumiResult> => stack.run(args, opts);
    const exportedResources = (): Promise<StateResource[]> => stack.exportedResources();

    before(async function () {
        await ensurePulumi();
        // The project: the fixture's program with the one change, the current package from its tarball.
        let program = fs.readFileSync(path.join(FIXTURE, "program", "index.js"), "utf8");
        for (const [from, to] of CHANGES) {
            assert.equal(program.split(from).length, 2, `the fixture's program holds ${from} once`);
            program = program.replace(from, to);
        }
        stack = await importRecordedStack(FIXTURE, { stack: STACK, passphrase: PASSPHRASE, program });
        cognito = stack.cognito;
        recorded = stack.recorded;
        passwords = recordedPasswords(stack.dbDir);
        plainPoolId = /plainPoolId: (\S+)/.exec(stack.config)![1];
        emailPoolId = /emailPoolId: (\S+)/.exec(stack.config)![1];
    });

    after(async function () {
        await stack?.dispose(destroyed);
    });

    it("imports the 0.1.0 state: four users and a batch, each with the stub calling the published subpaths", async function () {
        const resources = await exportedResources();
        const users = resources.filter((r) => r.type === USER_TYPE).map((r) => nameOf(r.urn));
        assert.deepEqual(users.sort(), ["admin", "editor", "locked", "newcomer"]);
        const batch = resources.find((r) => r.type === BATCH_TYPE)!;
        assert.equal(batch.outputs!.count, 5);
        for (const r of resources.filter((r) => r.type === USER_TYPE || r.type === BATCH_TYPE)) {
            const subpath = r.type === USER_TYPE ? "pulumi-cognito-user/dynamic" : "pulumi-cognito-user/dynamic-batch";
            for (const stub of [r.inputs!.__provider, r.outputs!.__provider] as string[]) {
                for (const handler of ["check", "diff", "create", "read", "update", "remove"]) {
                    assert.ok(stub.includes(`require("${subpath}").${handler}(`), `${nameOf(r.urn)}'s stub calls ${subpath}.${handler}`);
                }
            }
        }
        // The recorded users are in cognito-local as 0.1.0 left them.
        assert.equal((await listPoolUsers(cognito.client, plainPoolId)).length, 8);
        assert.equal((await listPoolUsers(cognito.client, emailPoolId)).length, 1);
    });

    it("refresh runs the 0.1.0 stub against the current package and reports no drift", async function () {
        const refresh = await run(["refresh", "--yes", "--skip-preview"]);
        // The stack, four users and the batch: nothing was changed behind Pulumi's back.
        assert.match(refresh.stdout, /Resources:\s+6 unchanged/, refresh.stdout);
        assert.doesNotMatch(refresh.stdout, /\b(updated|deleted|created)\b/);
        const refreshed = new Map((await exportedResources()).map((r) => [r.urn, r]));
        for (const before of recorded.filter((r) => r.type === USER_TYPE || r.type === BATCH_TYPE)) {
            const after = refreshed.get(before.urn);
            assert.ok(after, `${nameOf(before.urn)} is still in the state`);
            assert.equal(after.id, before.id);
            // A user's outputs no longer record the create-only inputs (nothing after create reads them).
            const kept = (outputs: unknown) =>
                Object.entries(comparable(outputs) as Record<string, unknown>).filter(
                    ([k]) => !CREATE_ONLY_INPUTS.has(k) && k !== "accountId",
                );
            assert.deepEqual(kept(after.outputs), kept(before.outputs), `${nameOf(before.urn)}'s recorded outputs`);
            // Upgraded by the refresh: the account that holds the pool (cognito-local's ARN names "local").
            assert.equal(before.outputs!.accountId, undefined);
            assert.equal(after.outputs!.accountId, "local", `${nameOf(before.urn)} records the pool's account`);
            if (before.type === USER_TYPE)
                assert.deepEqual(
                    Object.keys(after.outputs!).filter((k) => CREATE_ONLY_INPUTS.has(k)),
                    [],
                );
        }
    });

    it("preview shows exactly the declared change: the edited user and the batch, nothing else", async function () {
        type Step = { op: string; urn: string; oldState?: StateResource; newState?: StateResource };
        const preview = JSON.parse((await run(["preview", "--json"])).stdout) as { steps: Step[]; changeSummary: Record<string, number> };
        const changed = preview.steps.filter((s) => s.op !== "same");
        assert.deepEqual(
            changed.map((s) => `${s.op} ${nameOf(s.urn)}`).sort(),
            ["update editor", "update seed"],
            JSON.stringify(preview.steps.map((s) => [s.op, nameOf(s.urn)])),
        );
        assert.deepEqual(preview.changeSummary, { same: 4, update: 2 });
        // Which inputs differ, old state against the program's: only the declared given_name (create-only ones aside).
        const differing = (step: Step): string[] => {
            const [olds, news] = [
                comparable(step.oldState!.inputs) as Record<string, unknown>,
                comparable(step.newState!.inputs) as Record<string, unknown>,
            ];
            return (
                [...new Set([...Object.keys(olds), ...Object.keys(news)])]
                    // resourceUrn: the program now records its URN, an input no diff compares.
                    .filter((k) => !CREATE_ONLY_INPUTS.has(k) && k !== "resourceUrn" && !isDeepStrictEqual(olds[k], news[k]))
                    .sort()
            );
        };
        const editor = changed.find((s) => nameOf(s.urn) === "editor")!;
        assert.deepEqual(differing(editor), ["attributes"]);
        assert.equal((editor.newState!.inputs!.attributes as Record<string, string>).given_name, "Edwina");
        const seed = changed.find((s) => nameOf(s.urn) === "seed")!;
        assert.deepEqual(differing(seed), ["declaredUsers"]);
        // 0.1.0 recorded the users as a map; the current package sends them as one JSON string (provider/batch/wire.ts).
        const decoded = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
        const [oldUsers, newUsers] = [
            decoded(seed.oldState!.inputs!.declaredUsers),
            decoded(seed.newState!.inputs!.declaredUsers),
        ] as Array<Record<string, { attributes: Record<string, string> }>>;
        assert.deepEqual(
            Object.keys(newUsers).filter((u) => !isDeepStrictEqual(oldUsers[u], newUsers[u])),
            ["seed-1"],
        );
        assert.equal(newUsers["seed-1"].attributes.given_name, "Uno");
    });

    it("up applies it in Cognito; every other user is as 0.1.0 left it and the recorded passwords still sign in", async function () {
        const up = await run(["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /~ 2 updated/);
        assert.match(up.stdout, /4 unchanged/);

        // Read from cognito-local, not from Pulumi.
        const editor = (await getStoredUser(cognito.client, emailPoolId, "editor@example.com"))!;
        assert.equal(editor.attributes.given_name, "Edwina");
        assert.equal(editor.attributes["custom:team"], "blue");
        const recordedEditor = recorded.find((r) => nameOf(r.urn) === "editor")!;
        assert.equal(editor.username, recordedEditor.outputs!.cognitoUsername, "the same user, by its UUID Username");
        const seed1 = (await getStoredUser(cognito.client, plainPoolId, "seed-1"))!;
        assert.equal(seed1.attributes.given_name, "Uno");
        assert.deepEqual(seed1.groups, ["editors", "viewers"]);

        const admin = (await getStoredUser(cognito.client, plainPoolId, "admin"))!;
        assert.equal(admin.attributes.given_name, "Ada");
        assert.deepEqual(admin.groups, ["admins", "editors"]);
        const newcomer = (await getStoredUser(cognito.client, plainPoolId, "newcomer"))!;
        assert.equal(newcomer.status, "FORCE_CHANGE_PASSWORD");
        assert.deepEqual(newcomer.groups, ["viewers"]);
        assert.equal((await getStoredUser(cognito.client, plainPoolId, "locked"))!.enabled, false);
        assert.equal((await getStoredUser(cognito.client, plainPoolId, "seed-4"))!.enabled, false);
        for (const name of ["seed-2", "seed-3", "seed-5"]) {
            assert.equal((await getStoredUser(cognito.client, plainPoolId, name))!.attributes.family_name, "Seed");
        }

        // Passwords recorded by 0.1.0 (generated and declared) are still the users' passwords.
        const clients = JSON.parse(fs.readFileSync(path.join(FIXTURE, "recorded", "cognito-db", "clients.json"), "utf8")) as {
            Clients: Record<string, { ClientId: string; UserPoolId: string }>;
        };
        const clientOf = (poolId: string) => ({
            id: poolId,
            clientId: Object.values(clients.Clients).find((c) => c.UserPoolId === poolId)!.ClientId,
        });
        assert.equal(await signIn(cognito.client, clientOf(plainPoolId), "admin", passwords.admin), "SIGNED_IN");
        assert.equal(await signIn(cognito.client, clientOf(plainPoolId), "seed-2", passwords["seed-2"]), "SIGNED_IN");
        assert.equal(await signIn(cognito.client, clientOf(emailPoolId), "editor@example.com", passwords[editor.username]), "SIGNED_IN");

        await run(["preview", "--expect-no-changes"]);
        // The untouched users keep the outputs 0.1.0 recorded, stub included: destroy runs the 0.1.0 stub for
        // them. Their inputs, recorded by the same-step, hold the current provider text.
        const now = new Map((await exportedResources()).map((r) => [r.urn, r]));
        for (const name of ["admin", "newcomer", "locked"]) {
            const was = recorded.find((r) => nameOf(r.urn) === name)!;
            assert.equal(now.get(was.urn)!.outputs!.__provider, was.outputs!.__provider, `${name} keeps the 0.1.0 stub`);
            assert.equal(now.get(was.urn)!.inputs!.__provider, CURRENT_STUBS[USER_TYPE], `${name}'s inputs hold the current text`);
        }
        // The updated ones record the current text in both.
        for (const name of ["editor", "seed"]) {
            const r = [...now.values()].find((r) => nameOf(r.urn) === name)!;
            for (const stub of [r.inputs!.__provider, r.outputs!.__provider]) assert.equal(stub, CURRENT_STUBS[r.type], name);
        }
        const bytes = (name: string) => Buffer.byteLength(JSON.stringify([...now.values()].find((r) => nameOf(r.urn) === name)));
        console.log(`      state bytes after the upgrade: admin ${bytes("admin")} (untouched), editor ${bytes("editor")} (updated)`);
    });

    it("destroy removes every user from cognito-local and leaves the stack empty", async function () {
        await run(["destroy", "--yes", "--skip-preview"]);
        destroyed = true;
        assert.deepEqual(await listPoolUsers(cognito.client, plainPoolId), []);
        assert.deepEqual(await listPoolUsers(cognito.client, emailPoolId), []);
        assert.deepEqual(await exportedResources(), []);
    });

    it("no password appeared in plain text in any CLI output", function () {
        assert.equal(Object.keys(passwords).length, 9, "every recorded user has a password to look for");
        const text = stack.transcript.join("\n");
        for (const [username, password] of Object.entries(passwords)) {
            assert.ok(password.length >= 8);
            assert.ok(!text.includes(password), `the CLI output shows ${username}'s password`);
        }
    });
});
