/**
 * Smoke test of the local Pulumi toolchain: the CLI built from tools/pulumi-cli, our language host
 * (tools/pulumi-language-nodejs) and the dynamic-provider launcher, driven both through the CLI and
 * through the Automation API. No AWS involved: the resource is a trivial dynamic resource.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { ensurePulumi, pulumiEnv, repoRoot } from "../../scripts/pulumiEnv";
import { createTempProject, runPulumi, TempProject } from "../support/pulumiCli";

// A TypeScript program exercising config, secrets and a dynamic provider: the parts the Cognito
// provider relies on. ts-node compiles it inside the language host's runner.
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";

const echoProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: any) {
    // Runs in the dynamic-provider host: which Node runs it?
    return { id: "x", outs: { ...inputs, providerNode: process.version } };
  },
};

class Echo extends pulumi.dynamic.Resource {
  declare readonly message: pulumi.Output<string>;
  declare readonly token: pulumi.Output<string>;
  declare readonly providerNode: pulumi.Output<string>;
  constructor(name: string, args: { message: pulumi.Input<string>; token: pulumi.Input<string> }) {
    super(echoProvider, name, { ...args, providerNode: undefined }, {});
  }
}

const config = new pulumi.Config();
const echo = new Echo("echo", { message: config.require("message"), token: config.requireSecret("token") });
export const id = echo.id;
export const message = echo.message;
export const token = echo.token;
export const providerNode = echo.providerNode;
export const programNode = process.version; // the program runs on the language host's Node
`;

/**
 * The Node every process of a run must be on: the one running these tests, which `.ci/run` checks to be
 * its leg's Node (EXPECT_NODE_VERSION, e.g. v24.21.0). Everything a user's `pulumi up` starts (the
 * language host, the program, the dynamic-provider host) finds `node` on PATH.
 */
const NODE_VERSION = process.version;

const SECRET = "s3cret-token-value";

describe("Pulumi CLI smoke (e2e)", function () {
    let project: TempProject;
    const stack = "smoke";

    before(async function () {
        await ensurePulumi();
        project = createTempProject({ name: "smoke", files: { "index.ts": PROGRAM } });
    });

    after(async function () {
        if (!project) return;
        // Best effort: leave no stack behind in the shared local backend if an assertion failed midway.
        await runPulumi(project.dir, ["destroy", "--yes", "--stack", stack], { allowFailure: true });
        await runPulumi(project.dir, ["stack", "rm", "--yes", "--force", stack], { allowFailure: true });
        project.remove();
    });

    it("runs on the expected Node", function () {
        const expected = process.env.EXPECT_NODE_VERSION;
        if (!expected) this.skip();
        assert.equal(NODE_VERSION, expected.startsWith("v") ? expected : `v${expected}`);
    });

    it("is the CLI pinned by tools/pulumi-cli, not older than the installed SDK", async function () {
        const { stdout } = await runPulumi(project.dir, ["version"]);
        const gomod = fs.readFileSync(path.join(repoRoot, "tools", "pulumi-cli", "go.mod"), "utf8");
        const pinned = /github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)/.exec(gomod)?.[1];
        assert.equal(stdout.trim(), pinned);
        const sdkVersion: string = require("@pulumi/pulumi/package.json").version;
        const parts = (v: string) => v.replace(/^v/, "").split(".").map(Number);
        const [cli, sdk] = [parts(stdout.trim()), parts(sdkVersion)];
        assert.ok(
            cli[0] === sdk[0] && (cli[1] > sdk[1] || (cli[1] === sdk[1] && cli[2] >= sdk[2])),
            `CLI ${stdout.trim()} >= SDK ${sdkVersion}`,
        );
    });

    it("runs init, up, preview, export, destroy and rm through the CLI", async function () {
        const cwd = project.dir;
        await runPulumi(cwd, ["stack", "init", stack]);
        await runPulumi(cwd, ["config", "set", "message", "hello"]);
        await runPulumi(cwd, ["config", "set", "--secret", "token", SECRET]);

        const up = await runPulumi(cwd, ["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /\+ 2 created/); // the stack and the dynamic resource

        const plain = JSON.parse((await runPulumi(cwd, ["stack", "output", "--json"])).stdout);
        const nodes = { providerNode: NODE_VERSION, programNode: NODE_VERSION };
        assert.deepEqual(plain, { id: "x", message: "hello", token: "[secret]", ...nodes });
        const shown = JSON.parse((await runPulumi(cwd, ["stack", "output", "--json", "--show-secrets"])).stdout);
        assert.deepEqual(shown, { id: "x", message: "hello", token: SECRET, ...nodes });

        // No provider diff and unchanged config: a second run must be a no-op.
        await runPulumi(cwd, ["preview", "--expect-no-changes"]);

        const exported = (await runPulumi(cwd, ["stack", "export"])).stdout;
        const deployment = JSON.parse(exported);
        const types: string[] = deployment.deployment.resources.map((r: { type: string }) => r.type);
        assert.ok(types.includes("pulumi-nodejs:dynamic:Resource"), `resource types: ${types.join(", ")}`);
        assert.ok(!exported.includes(SECRET), "the secret must be encrypted in the exported state");

        const destroy = await runPulumi(cwd, ["destroy", "--yes"]);
        assert.match(destroy.stdout, /- 2 deleted/);
        await runPulumi(cwd, ["stack", "rm", "--yes"]);
        const stacks = JSON.parse((await runPulumi(cwd, ["stack", "ls", "--json"])).stdout);
        assert.deepEqual(stacks, []);
    });

    it("reports a throwing program as a failed update, with its message", async function () {
        const failing = createTempProject({
            name: "smoke-fail",
            files: { "index.ts": 'console.log("program says hi");\nthrow new Error("boom from the program");\n' },
        });
        try {
            await runPulumi(failing.dir, ["stack", "init", "fail"]);
            const up = await runPulumi(failing.dir, ["up", "--yes", "--skip-preview"], { allowFailure: true });
            assert.notEqual(up.code, 0);
            assert.match(up.stdout, /program says hi/);
            assert.match(up.stdout, /boom from the program/);
            // Exit code 32 from cmd/run means "already reported": the host must not add a generic error.
            assert.doesNotMatch(up.stdout + up.stderr, /non-zero exit code/);
            await runPulumi(failing.dir, ["stack", "rm", "--yes", "--force", "fail"]);
        } finally {
            failing.remove();
        }
    });

    it("drives the same CLI through the Automation API with an inline program", async function () {
        const { pulumiRoot } = await ensurePulumi();
        // LocalWorkspace (re)writes Pulumi.yaml for inline programs; the dir mainly provides node_modules
        // for the dynamic-provider plugin, which the engine starts in the workDir.
        const workDir = createTempProject({ name: "smoke-auto" });
        const pulumiCommand = await PulumiCommand.get({ root: pulumiRoot });
        const ws = await LocalWorkspace.createOrSelectStack(
            {
                projectName: workDir.name,
                stackName: "auto",
                program: async () => {
                    const provider: pulumi.dynamic.ResourceProvider = {
                        async create(inputs: Record<string, unknown>) {
                            return { id: "auto-1", outs: { ...inputs, providerNode: process.version } };
                        },
                    };
                    class Greeting extends pulumi.dynamic.Resource {
                        // `declare`, not `greeting!:`: with target ES2022 a class field would overwrite the output with undefined.
                        declare public readonly greeting: pulumi.Output<string>;
                        declare public readonly providerNode: pulumi.Output<string>;
                    }
                    const res = new Greeting(provider, "auto", { greeting: "hi", providerNode: undefined }, {});
                    return { id: res.id, greeting: res.greeting, providerNode: res.providerNode };
                },
            },
            { workDir: workDir.dir, pulumiCommand, envVars: pulumiEnv() as Record<string, string> },
        );
        try {
            const up = await ws.up();
            assert.equal(up.summary.result, "succeeded");
            assert.equal(up.outputs.id.value, "auto-1");
            assert.equal(up.outputs.greeting.value, "hi");
            assert.equal(up.outputs.providerNode.value, NODE_VERSION, "the dynamic-provider host runs on the tests' Node");
            const preview = await ws.preview();
            assert.deepEqual(Object.keys(preview.changeSummary).sort(), ["same"]);
            const destroy = await ws.destroy();
            assert.equal(destroy.summary.result, "succeeded");
        } finally {
            await ws.workspace.removeStack("auto", { force: true }).catch(() => undefined);
            workDir.remove();
        }
    });
});
