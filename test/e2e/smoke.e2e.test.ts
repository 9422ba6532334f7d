/**
 * Smoke test of the local Pulumi toolchain: the CLI built from tools/pulumi-cli, our language host
 * (tools/pulumi-language-nodejs) and the dynamic-provider launcher, driven both through the CLI and
 * through the Automation API. No AWS involved: the resource is a trivial dynamic resource.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { ensurePulumi, pulumiEnv } from "../../scripts/pulumiEnv";
import { createTempProject, runPulumi, TempProject } from "../support/pulumiCli";

// A TypeScript program exercising config, secrets and a dynamic provider: the parts the Cognito
// provider relies on. ts-node compiles it inside the language host's runner.
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";

const echoProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: any) {
    return { id: "x", outs: inputs };
  },
};

class Echo extends pulumi.dynamic.Resource {
  declare readonly message: pulumi.Output<string>;
  declare readonly token: pulumi.Output<string>;
  constructor(name: string, args: { message: pulumi.Input<string>; token: pulumi.Input<string> }) {
    super(echoProvider, name, args, {});
  }
}

const config = new pulumi.Config();
const echo = new Echo("echo", { message: config.require("message"), token: config.requireSecret("token") });
export const id = echo.id;
export const message = echo.message;
export const token = echo.token;
`;

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

    it("reports the version pinned by the SDK", async function () {
        const { stdout } = await runPulumi(project.dir, ["version"]);
        const sdkVersion: string = require("@pulumi/pulumi/package.json").version;
        assert.equal(stdout.trim(), `v${sdkVersion}`);
    });

    it("runs init, up, preview, export, destroy and rm through the CLI", async function () {
        const cwd = project.dir;
        await runPulumi(cwd, ["stack", "init", stack]);
        await runPulumi(cwd, ["config", "set", "message", "hello"]);
        await runPulumi(cwd, ["config", "set", "--secret", "token", SECRET]);

        const up = await runPulumi(cwd, ["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /\+ 2 created/); // the stack and the dynamic resource

        const plain = JSON.parse((await runPulumi(cwd, ["stack", "output", "--json"])).stdout);
        assert.deepEqual(plain, { id: "x", message: "hello", token: "[secret]" });
        const shown = JSON.parse((await runPulumi(cwd, ["stack", "output", "--json", "--show-secrets"])).stdout);
        assert.deepEqual(shown, { id: "x", message: "hello", token: SECRET });

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
                            return { id: "auto-1", outs: inputs };
                        },
                    };
                    class Greeting extends pulumi.dynamic.Resource {
                        // `declare`, not `greeting!:`: with target ES2022 a class field would overwrite the output with undefined.
                        declare public readonly greeting: pulumi.Output<string>;
                    }
                    const res = new Greeting(provider, "auto", { greeting: "hi" }, {});
                    return { id: res.id, greeting: res.greeting };
                },
            },
            { workDir: workDir.dir, pulumiCommand, envVars: pulumiEnv() as Record<string, string> },
        );
        try {
            const up = await ws.up();
            assert.equal(up.summary.result, "succeeded");
            assert.equal(up.outputs.id.value, "auto-1");
            assert.equal(up.outputs.greeting.value, "hi");
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
