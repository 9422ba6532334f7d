/**
 * Every example runs as its README says: each `npx mocha --config ...` command in an example's README is
 * run as written, from the repository's root, and must pass. `examples/with-pool` is also previewed with
 * the Pulumi CLI, which must run its `index.ts` (Pulumi.yaml's `main:`), not the package's entry point.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePulumi, repoRoot } from "../../scripts/pulumiEnv";
import { runPulumi } from "../support/pulumiCli";

const EXAMPLES_DIR = path.join(repoRoot, "examples");

/** The shell commands in a Markdown file's `sh` blocks, one a line, comments dropped. */
function shellCommands(markdown: string): string[] {
    const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    return blocks.flatMap((block) =>
        block
            .split("\n")
            .map((line) => line.replace(/\s+#.*$/, "").trim())
            .filter((line) => line !== "" && !line.startsWith("#")),
    );
}

/** Runs a command line (plain words, no shell syntax) in the repository's root; resolves with its output and exit code. */
function run(commandLine: string): Promise<{ code: number | null; output: string }> {
    const [command, ...args] = commandLine.split(/\s+/);
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: repoRoot, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
    });
}

/** examples/runners runs other runners than mocha: test/e2e/runnerRecipes.e2e.test.ts runs its README's commands. */
const RUN_ELSEWHERE = ["runners"];

describe("examples run as their READMEs say (e2e)", function () {
    const examples = fs
        .readdirSync(EXAMPLES_DIR, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !RUN_ELSEWHERE.includes(entry.name))
        .map((entry) => entry.name);

    before(async function () {
        await ensurePulumi();
    });

    it("finds every example, each with a README naming the command that runs it", function () {
        assert.ok(
            ["with-pool", "mocha-fixtures", "mfa-flow"].every((e) => examples.includes(e)),
            `examples: ${examples}`,
        );
        for (const example of examples) {
            const readme = path.join(EXAMPLES_DIR, example, "README.md");
            assert.ok(fs.existsSync(readme), `examples/${example} has a README.md`);
            const commands = shellCommands(fs.readFileSync(readme, "utf8")).filter((c) => c.startsWith("npx mocha"));
            assert.deepEqual(commands, [`npx mocha --config examples/${example}/.mocharc.json`], `examples/${example}/README.md`);
        }
    });

    // Every example folder (read when mocha loads this file): a new one runs here without being listed.
    for (const example of fs
        .readdirSync(EXAMPLES_DIR, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !RUN_ELSEWHERE.includes(entry.name))
        .map((entry) => entry.name)) {
        it(`examples/${example}: \`npx mocha --config examples/${example}/.mocharc.json\` passes`, async function () {
            const { code, output } = await run(`npx mocha --config examples/${example}/.mocharc.json`);
            assert.equal(code, 0, output.slice(-4000));
            assert.match(output, /\d+ passing/);
            assert.doesNotMatch(output, /\d+ (failing|pending)/);
            // The example's suite alone, not the repository's whole suite (a spec of the root config).
            assert.doesNotMatch(output, /validateUserInputs|the packed package/);
        });
    }

    it("examples/with-pool: the Pulumi CLI runs index.ts (Pulumi.yaml's main), not the package's entry point", async function () {
        const dir = path.join(EXAMPLES_DIR, "with-pool");
        assert.match(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"), /^main: index\.ts$/m);
        const state = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-with-pool-"));
        // Config in the temporary folder, not beside the example.
        const stack = ["--stack", "dev", "--config-file", path.join(state, "Pulumi.dev.yaml")];
        const env = { PULUMI_BACKEND_URL: `file://${state}`, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
        try {
            await runPulumi(dir, ["stack", "init", "dev"], { env });
            await runPulumi(dir, ["config", "set", "aws:region", "eu-west-1", ...stack], { env });
            await runPulumi(dir, ["config", "set", "--secret", "adminPassword", ...stack], { env, input: "Mock-Password-1!" });
            const preview = await runPulumi(dir, ["preview", ...stack], { env, allowFailure: true });
            const output = preview.stdout + preview.stderr;
            // Offline, the preview goes as far as the AWS provider plugin the example's resources need; with
            // the plugin and credentials it lists them. Either way it ran index.ts.
            assert.match(output, /pulumi:providers:aws|aws:cognito:UserPool/, output);
            assert.doesNotMatch(output, /DEFAULT_QUOTA_RATES/, "the package's own entry point did not run as the program");
            await runPulumi(dir, ["stack", "rm", "--yes", "--force", "dev"], { env });
        } finally {
            fs.rmSync(state, { recursive: true, force: true });
        }
        assert.deepEqual(
            fs.readdirSync(dir).filter((f) => f.startsWith("Pulumi.") && f !== "Pulumi.yaml"),
            [],
            "no stack config left in the example",
        );
    });
});
