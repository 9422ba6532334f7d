/**
 * A stack recorded by an earlier version of the package (a folder under test/fixtures/state-*: `program/`,
 * `recorded/stack.json`, `recorded/stack-config.yaml`, `recorded/cognito-db/`), brought back to life for
 * the current package: a fresh project holding the npm-packed current package, a fresh cognito-local
 * over a copy of the recorded data, the stack config and the state imported into a fresh stack. Every
 * CLI run's output is kept, so a test can prove no password ever appeared.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startTestCognito, TestCognito } from "./cognito";
import { installPacked, packRepository } from "./packedPackage";
import { PulumiResult, runPulumi, RunPulumiOptions } from "./pulumiCli";
import type { StateResource } from "./testStack";

/** Stands for cognito-local's URL (its port differs per run) in a recorded state and stack config. */
export const ENDPOINT_PLACEHOLDER = "__COGNITO_LOCAL_ENDPOINT__";

export type { StateResource } from "./testStack";

/** The recorded stack, imported and ready for the CLI. */
export interface RecordedStack {
    /** The project folder (its `index.js` may be rewritten between runs). */
    projectDir: string;
    /** cognito-local over the recorded data. */
    cognito: TestCognito;
    /** The recorded stack config with the endpoint filled in. */
    config: string;
    /** The resources as recorded (endpoint filled in). */
    recorded: StateResource[];
    /** The recorded cognito-local data folder in use (`.cognito/db`). */
    dbDir: string;
    /** Every CLI run's stdout and stderr. */
    transcript: string[];
    /** `pulumi <args> --stack <stack>`; fails the test on a non-zero exit unless `allowFailure`. */
    run(args: string[], opts?: RunPulumiOptions): Promise<PulumiResult>;
    /** `pulumi stack export`'s resources. */
    exportedResources(): Promise<StateResource[]>;
    /** Destroys what is left unless `destroyed`, removes the stack, stops cognito-local, deletes the folders. */
    dispose(destroyed: boolean): Promise<void>;
}

/**
 * Imports the recorded stack of `fixture` (a folder under test/fixtures) as stack `stack`, with the
 * program `program` (the recorded one, maybe with a declared change) and the stack's `passphrase`.
 */
export async function importRecordedStack(
    fixture: string,
    options: { stack: string; passphrase: string; program: string },
): Promise<RecordedStack> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${path.basename(fixture)}-`));
    const projectDir = path.join(root, "project");
    const stateDir = path.join(root, "state");
    fs.mkdirSync(projectDir);
    fs.mkdirSync(stateDir);
    const projectName = /^name: (\S+)/m.exec(fs.readFileSync(path.join(fixture, "program", "Pulumi.yaml"), "utf8"))![1];
    fs.writeFileSync(path.join(projectDir, "index.js"), options.program);
    fs.copyFileSync(path.join(fixture, "program", "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: projectName, private: true }, null, 2));
    const { tarball } = await packRepository(root);
    await installPacked(projectDir, tarball);

    const dataDir = path.join(root, "cognito");
    const dbDir = path.join(dataDir, ".cognito", "db");
    fs.cpSync(path.join(fixture, "recorded", "cognito-db"), dbDir, { recursive: true });
    const cognito = await startTestCognito({ dataDir });
    const fill = (text: string): string => text.split(ENDPOINT_PLACEHOLDER).join(cognito.endpoint);
    const env: NodeJS.ProcessEnv = {
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: options.passphrase,
        PULUMI_CONFIG_PASSPHRASE_FILE: undefined,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        AWS_PROFILE: undefined,
        AWS_ENDPOINT_URL: undefined,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: undefined,
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
    };
    const transcript: string[] = [];
    const run = async (args: string[], opts: RunPulumiOptions = {}): Promise<PulumiResult> => {
        const result = await runPulumi(projectDir, [...args, "--stack", options.stack], {
            ...opts,
            env: { ...env, ...opts.env },
            allowFailure: true,
        });
        transcript.push(result.stdout, result.stderr);
        if (result.code !== 0 && !opts.allowFailure) {
            assert.fail(
                `pulumi ${args.join(" ")} exited with ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
            );
        }
        return result;
    };

    // The recorded stack config carries the passphrase's salt and the encrypted secrets; then the state.
    const config = fill(fs.readFileSync(path.join(fixture, "recorded", "stack-config.yaml"), "utf8"));
    await run(["stack", "init"]);
    fs.writeFileSync(path.join(projectDir, `Pulumi.${options.stack}.yaml`), config);
    const state = fill(fs.readFileSync(path.join(fixture, "recorded", "stack.json"), "utf8"));
    fs.writeFileSync(path.join(root, "recorded-state.json"), state);
    await run(["stack", "import", "--file", path.join(root, "recorded-state.json")]);

    return {
        projectDir,
        cognito,
        config,
        recorded: JSON.parse(state).deployment.resources,
        dbDir,
        transcript,
        run,
        exportedResources: async () => JSON.parse((await run(["stack", "export"])).stdout).deployment.resources ?? [],
        dispose: async (destroyed) => {
            if (!destroyed) await run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            await run(["stack", "rm", "--yes", "--force"], { allowFailure: true });
            await cognito.stop();
            fs.rmSync(root, { recursive: true, force: true });
        },
    };
}
