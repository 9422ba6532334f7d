/**
 * Mistakes in a program, as the Pulumi CLI shows them to its user: a batch CSV without a `username`
 * column is one line naming the file and its header (no stack trace, no "row 2"); a non-string attribute
 * value names the attribute. Both fail in `pulumi preview`, before any Cognito call (the endpoint answers nothing).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { createTempProject, runPulumi, TempProject } from "../support/pulumiCli";

const POOL_ID = "us-east-1_AbCdEf123";

describe("mistakes in a program, through the CLI (e2e)", function () {
    let stateDir: string;
    const projects: TempProject[] = [];

    before(async function () {
        await ensurePulumi();
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-user-errors-"));
    });

    after(function () {
        for (const project of projects) project.remove();
        if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
    });

    /** `pulumi preview` of a plain-JavaScript program with extra files; it must fail. Returns its output. */
    async function previewFails(name: string, program: string, files: Record<string, string> = {}): Promise<string> {
        const project = createTempProject({
            name,
            files: { "index.js": program, "package.json": JSON.stringify({ name, private: true }), ...files },
            runtimeOptions: { typescript: false },
        });
        projects.push(project);
        const env = {
            PULUMI_BACKEND_URL: `file://${stateDir}`,
            AWS_ACCESS_KEY_ID: "local",
            AWS_SECRET_ACCESS_KEY: "local",
            AWS_REGION: "us-east-1",
        };
        await runPulumi(project.dir, ["stack", "init", "dev"], { env });
        const preview = await runPulumi(project.dir, ["preview", "--stack", "dev"], { env, allowFailure: true });
        await runPulumi(project.dir, ["stack", "rm", "--yes", "--force", "--stack", "dev"], { env });
        assert.notEqual(preview.code, 0, "the preview fails");
        return preview.stdout + preview.stderr;
    }

    it("a batch CSV without a username column: one error naming the file and its header, no stack trace", async function () {
        const output = await previewFails(
            "e2e-csv",
            `const { CognitoUserBatch } = require("pulumi-cognito-user");
new CognitoUserBatch("seed", { userPoolId: "${POOL_ID}", usersFile: "seed/users.csv", endpoint: "http://127.0.0.1:9" });
`,
            { "seed/users.csv": "email,given_name\nada@example.com,Ada\n" },
        );
        assert.match(output, /seed\/users\.csv: the header row \(email,given_name\) has no "username" column/);
        assert.doesNotMatch(output, /row 2/);
        assert.doesNotMatch(output, /^\s+at .+[(/]/m, "no stack trace");
        assert.doesNotMatch(output, /UsersFileError:/, "the message alone, as Pulumi prints a RunError");
    });

    it("a non-string attribute value: the check names the attribute", async function () {
        const output = await previewFails(
            "e2e-attribute",
            `const { CognitoUser } = require("pulumi-cognito-user");
new CognitoUser("typo", { userPoolId: "${POOL_ID}", username: "ada", attributes: { given_name: "Ada", "custom:tier": 3 }, endpoint: "http://127.0.0.1:9" });
`,
        );
        assert.match(
            output,
            /property attributes\.custom:tier value .* has a problem: attribute custom:tier is a number; Cognito attribute values are strings/,
        );
        assert.match(output, /`"custom:tier": "3"`/);
    });
});
