/**
 * The test fixtures' crash recovery from a dead run's journal, against cognito-local: every shape a
 * kill can leave. A user journaled with its sub is deleted once proven; a user whose create never
 * answered is deleted only when it is recognised as that create's own (created after the journaled
 * start, with the attributes sent); a user that was there before, or whose name another user took
 * over, is left alone with a warning. The run folder goes once every user is settled.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AdminCreateUserCommand, AdminDeleteUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { cleanupStaleFixtureRuns } from "../../provider/testing";
import { appendJournal, CreatingEntry } from "../../provider/testing/journal";
import { listRunDirs, runPaths, writeRecord } from "../../provider/testing/runState";
import { createTestPool, listPoolUsers, startTestCognito, TEST_REGION, TestCognito, TestPool } from "../support/cognito";

describe("fixture crash recovery from the journal (integration, cognito-local)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let stateRoot: string;

    before(async function () {
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client);
        stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fixture-journal-"));
    });

    after(async function () {
        await cognito?.stop();
        if (stateRoot) fs.rmSync(stateRoot, { recursive: true, force: true });
    });

    /** Creates a user directly (as the dead run's create, or as someone else); returns its sub. */
    async function createDirectly(username: string, email: string): Promise<string> {
        const { User } = await cognito.client.send(
            new AdminCreateUserCommand({
                UserPoolId: pool.id,
                Username: username,
                MessageAction: "SUPPRESS",
                UserAttributes: [{ Name: "email", Value: email }],
            }),
        );
        return User!.Attributes!.find((a) => a.Name === "sub")!.Value!;
    }

    it("deletes the dead run's own users, proven, and leaves every other user alone", async function () {
        const deadPid = spawnSync(process.execPath, ["-e", ""]).pid!;
        const dir = fs.mkdtempSync(path.join(stateRoot, `run-${deadPid}-`));
        writeRecord(runPaths(dir), {
            version: 1,
            owner: { pid: deadPid },
            hostname: os.hostname(),
            createdAt: new Date().toISOString(),
            stackName: `journal-${deadPid}`,
            mode: "pool",
            usernames: {},
            pool: { userPoolId: pool.id, region: TEST_REGION, endpoint: cognito.endpoint },
        });
        const creating = (key: string, startedAt: number): CreatingEntry => ({
            kind: "creating",
            key,
            username: `journal-${key}`,
            userPoolId: pool.id,
            connection: { region: TEST_REGION, endpoint: cognito.endpoint },
            attributes: { email: `${key}@example.com` },
            startedAt,
        });

        // Created and journaled with its sub: deleted after proving it.
        appendJournal(dir, creating("proven", Date.now() - 1000));
        const provenSub = await createDirectly("journal-proven", "proven@example.com");
        appendJournal(dir, { kind: "created", key: "proven", cognitoUsername: "journal-proven", sub: provenSub });
        // Killed before the create's answer was journaled: created after the start, with the attributes sent.
        appendJournal(dir, creating("unanswered", Date.now() - 1000));
        await createDirectly("journal-unanswered", "unanswered@example.com");
        // Killed before the create's answer, but the user there predates the run: not ours.
        await createDirectly("journal-before", "before@example.com");
        appendJournal(dir, creating("before", Date.now() + 5000));
        // Its name was taken over by another user after the run created it: not ours any more.
        appendJournal(dir, creating("taken", Date.now() - 1000));
        await createDirectly("journal-taken", "taken@example.com");
        appendJournal(dir, {
            kind: "created",
            key: "taken",
            cognitoUsername: "journal-taken",
            sub: "00000000-0000-4000-8000-000000000000",
        });
        // Never created at all, and one already deleted: nothing to do.
        appendJournal(dir, creating("never", Date.now() - 1000));
        appendJournal(dir, creating("deleted", Date.now() - 1000));
        appendJournal(dir, { kind: "created", key: "deleted", cognitoUsername: "journal-deleted", sub: provenSub });
        appendJournal(dir, { kind: "deleted", key: "deleted" });
        // The last line torn by the kill.
        fs.appendFileSync(path.join(dir, "journal.jsonl"), '{"kind":"crea');

        const warnings: string[] = [];
        const warn = console.warn;
        console.warn = (line: string) => warnings.push(line);
        let cleaned: number;
        try {
            cleaned = await cleanupStaleFixtureRuns({ stateRoot });
        } finally {
            console.warn = warn;
        }
        assert.equal(cleaned, 1);
        assert.deepEqual(listRunDirs(stateRoot), [], "the run is settled and its folder removed");
        const left = (await listPoolUsers(cognito.client, pool.id)).map((u) => u.Username!).sort();
        assert.deepEqual(left, ["journal-before", "journal-taken"]);
        assert.equal(warnings.length, 2, warnings.join("\n"));
        assert.match(warnings.join("\n"), /user "before" \(journal-before\).*not created by that run.*left alone/);
        assert.match(warnings.join("\n"), /user "taken" \(journal-taken\)/);
        for (const username of left) await cognito.client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: username }));
    });
});
