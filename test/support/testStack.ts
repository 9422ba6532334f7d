/**
 * A throwaway Pulumi project and stack for end-to-end tests through the real CLI: a file backend in a
 * temporary folder, a program that declares one CognitoUser per entry of users.json, every CLI run's
 * output kept (in memory) so a suite can check that no secret was printed.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createTempProject, PulumiResult, runPulumi, RunPulumiOptions, TempProject } from "./pulumiCli";
import { TEST_REGION } from "./cognito";
import { repairInterruptedCheckpoint } from "../../provider/testing/checkpointRepair";

/** The type of a CognitoUser in the state. */
export const USER_TYPE = "pulumi-nodejs:dynamic/cognito:CognitoUser";

/**
 * The program every project here runs: one CognitoUser per entry of users.json. Passwords are named by
 * config key (stack secrets), never written to the file; `import` becomes the resource option.
 */
export const USERS_PROGRAM = `
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CognitoUser } from "pulumi-cognito-user";

const config = new pulumi.Config();
const specs = JSON.parse(fs.readFileSync(path.join(__dirname, "users.json"), "utf8"));
export const users: Record<string, unknown> = {};
export const passwords: Record<string, unknown> = {};
for (const { name, passwordKey, temporaryPasswordKey, import: importId, ...args } of specs) {
    const user = new CognitoUser(
        name,
        {
            ...args,
            // A literal password becomes pulumi.secret(...) in the resource: not masked by the CLI as config secrets are.
            password: passwordKey ? config.requireSecret(passwordKey) : args.password,
            temporaryPassword: temporaryPasswordKey ? config.requireSecret(temporaryPasswordKey) : args.temporaryPassword,
        },
        importId ? { import: importId } : undefined,
    );
    users[name] = { id: user.id, sub: user.sub, cognitoUsername: user.cognitoUsername, status: user.status };
    passwords[name] = user.password;
}
`;

/** USERS_PROGRAM, plus a CognitoUserBatch named `seed` whose args are batch.json, when that file exists. */
export const USERS_AND_BATCH_PROGRAM = `${USERS_PROGRAM}
import { CognitoUserBatch } from "pulumi-cognito-user";
const batchFile = path.join(__dirname, "batch.json");
if (fs.existsSync(batchFile)) new CognitoUserBatch("seed", JSON.parse(fs.readFileSync(batchFile, "utf8")));
`;

/** One entry of users.json: CognitoUser args, plus config keys for passwords and an import id. */
export interface UserSpec {
    name: string;
    userPoolId?: string;
    username?: string;
    attributes?: Record<string, string>;
    passwordKey?: string;
    temporaryPasswordKey?: string;
    generatePassword?: boolean;
    enabled?: boolean;
    groups?: string[];
    import?: string;
    password?: string;
    temporaryPassword?: string;
}

/** A resource in `pulumi stack export`. */
export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

/** `pulumi stack export`, raw and parsed. */
export interface ExportedState {
    raw: string;
    resources: StateResource[];
    pendingOperations: unknown[];
    /** The CognitoUser resources by name. */
    users: Map<string, StateResource>;
}

/** A password meeting the test pools' policy; random so a leak cannot match by chance. */
export function newPassword(): string {
    return `Pw-${randomBytes(12).toString("base64url")}-9a!`;
}

/** Dummy credentials cognito-local accepts, distinctive enough to search the state for. */
export const credentials = {
    AWS_ACCESS_KEY_ID: `AKIAE2E${randomBytes(6).toString("hex").toUpperCase()}`,
    AWS_SECRET_ACCESS_KEY: randomBytes(20).toString("base64url"),
};

/** Asserts that `text` contains none of the secrets, without ever printing one. */
export function assertNoSecrets(text: string, secrets: Record<string, string>, where: string): void {
    for (const [label, secret] of Object.entries(secrets)) {
        assert.ok(secret.length >= 8, `${label} is long enough to search for`);
        assert.ok(!text.includes(secret), `${where} contains ${label} in plain text`);
    }
}

/** Asserts the CLI printed no JavaScript stack frame: every error reached the user as a message. */
export function assertNoStackTrace(result: PulumiResult): void {
    const frames = (result.stdout + result.stderr).split("\n").filter((line) => /^\s+at \S/.test(line));
    assert.deepEqual(frames, [], "the CLI output shows stack frames");
}

/**
 * A temporary Pulumi project and stack in a temporary file backend, talking to one cognito-local.
 * Every CLI run's output is kept (in memory only) so the suite can check that no secret was printed.
 */
export class TestStack {
    readonly project: TempProject;
    readonly stateDir: string;
    readonly transcript: string[] = [];
    private readonly env: NodeJS.ProcessEnv;

    constructor(
        readonly name: string,
        /** The embedded Cognito the stack's users live in (`cognito-user:endpoint`). */
        readonly cognito: { endpoint: string },
        program = USERS_PROGRAM,
    ) {
        this.project = createTempProject({
            name: `e2e-${name}`,
            files: { "index.ts": program, "users.json": "[]", "package.json": JSON.stringify({ name: `e2e-${name}`, private: true }) },
        });
        this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-state-${name}-`));
        this.env = {
            PULUMI_BACKEND_URL: `file://${this.stateDir}`,
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
            AWS_PROFILE: undefined,
            ...credentials,
        };
    }

    /** Runs `pulumi <args> --stack <name>` in the project. */
    async run(args: string[], opts: RunPulumiOptions = {}): Promise<PulumiResult> {
        const result = await runPulumi(this.project.dir, [...args, "--stack", this.name], {
            ...opts,
            env: { ...this.env, ...opts.env },
            allowFailure: true,
        });
        this.transcript.push(result.stdout, result.stderr);
        if (result.code !== 0 && !opts.allowFailure) {
            assert.fail(
                `pulumi ${args.join(" ")} exited with ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
            );
        }
        return result;
    }

    /** Creates the stack, pointed at the suite's cognito-local, with the given secrets in its config. */
    async init(secrets: Record<string, string> = {}): Promise<void> {
        await runPulumi(this.project.dir, ["stack", "init", this.name], { env: this.env });
        await this.run([
            "config",
            "set-all",
            "--plaintext",
            `aws:region=${TEST_REGION}`,
            "--plaintext",
            `cognito-user:endpoint=${this.cognito.endpoint}`,
        ]);
        // Through stdin: a secret never goes on a command line.
        for (const [key, value] of Object.entries(secrets)) await this.run(["config", "set", "--secret", key], { input: value });
    }

    /** Rewrites the users the program declares. */
    declare(users: UserSpec[]): void {
        fs.writeFileSync(path.join(this.project.dir, "users.json"), JSON.stringify(users, null, 2));
    }

    /** Rewrites the args of the batch `seed` that USERS_AND_BATCH_PROGRAM declares. */
    declareBatch(args: Record<string, unknown>): void {
        fs.writeFileSync(path.join(this.project.dir, "batch.json"), JSON.stringify(args));
    }

    /** `pulumi up --yes --skip-preview`: the update itself, without a separate preview run. */
    async up(opts: RunPulumiOptions = {}): Promise<PulumiResult> {
        return this.run(["up", "--yes", "--skip-preview"], opts);
    }

    /**
     * Repairs what a SIGKILL during a checkpoint write can leave in the file backend, as a user would
     * (see `repairInterruptedCheckpoint`). Returns whether it changed anything.
     */
    restoreTruncatedCheckpoint(): boolean {
        return repairInterruptedCheckpoint(this.stateDir, this.name).length > 0;
    }

    /** `pulumi stack export`, parsed. */
    async exportState(): Promise<ExportedState> {
        const raw = (await this.run(["stack", "export"])).stdout;
        const deployment = JSON.parse(raw).deployment ?? {};
        const resources: StateResource[] = deployment.resources ?? [];
        const users = new Map<string, StateResource>();
        for (const r of resources) if (r.type === USER_TYPE) users.set(r.urn.slice(r.urn.lastIndexOf("::") + 2), r);
        return { raw, resources, pendingOperations: deployment.pending_operations ?? [], users };
    }

    /** The stack's outputs with secrets shown. The result holds passwords: assert on it, never print it. */
    async secretOutputs(): Promise<Record<string, Record<string, unknown>>> {
        const result = await this.run(["stack", "output", "--json", "--show-secrets"], { allowFailure: true });
        assert.equal(result.code, 0, "pulumi stack output --show-secrets failed"); // its output is not shown: it holds passwords
        // Keep the revealed values out of the transcript, which must hold no secret.
        this.transcript.pop();
        this.transcript.pop();
        return JSON.parse(result.stdout);
    }

    /** Destroys and removes the stack (best effort), and deletes the project and state folders. */
    async dispose(): Promise<void> {
        // A test that failed after killing the CLI may have left its lock.
        await this.run(["cancel", "--yes"], { allowFailure: true });
        await this.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
        await this.run(["stack", "rm", "--yes", "--force"], { allowFailure: true });
        this.project.remove();
        fs.rmSync(this.stateDir, { recursive: true, force: true });
    }
}

/** The Cognito fields a state resource records. */
export function outputsOf(resource: StateResource | undefined): {
    cognitoUsername: string;
    sub: string;
    userPoolId: string;
    attributes: Record<string, string>;
} {
    assert.ok(resource, "the user is in the state");
    return resource.outputs as never;
}
