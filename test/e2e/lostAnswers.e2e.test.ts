/**
 * Lost answers end to end, through the real Pulumi CLI (issue 14): a program of 20 CognitoUsers and one
 * CognitoUserBatch of 100 users, whose `endpoint` is the fault proxy (test/support/faultProxy.ts) in
 * front of cognito-local. The proxy applies some AdminCreateUser requests and then drops their answers,
 * so the SDK retries a create that already happened and meets UsernameExistsException; case B mixes in
 * 500s, throttling, delays and lost answers on every operation. One plain `pulumi up` must converge to
 * exactly the declared users (read from cognito-local and from `pulumi stack export`), the proxy must
 * show that the faults happened, a second `up` must change nothing, and `pulumi destroy` must leave the
 * pool empty.
 *
 * This needs the provider to recognise the users it created itself when an answer was lost; the batch
 * is declared with `adoptExisting: false`, so it cannot pass by adopting them either.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { createTestPool, getStoredUser, listPoolUsers, startTestCognito, TestCognito, TestPool, TEST_REGION } from "../support/cognito";
import { FaultPlan, FaultProxy, startFaultProxy } from "../support/faultProxy";
import { createTempProject, PulumiResult, runPulumi, RunPulumiOptions, TempProject } from "../support/pulumiCli";
import { decodeOutputs } from "../../provider/batch/wire";

const USER_TYPE = "pulumi-nodejs:dynamic/cognito:CognitoUser";
const BATCH_TYPE = "pulumi-nodejs:dynamic/cognito:CognitoUserBatch";

/** The program: the CognitoUsers and the batch of declared.json, every one talking to the proxy. */
const PROGRAM = `
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CognitoUser, CognitoUserBatch } from "pulumi-cognito-user";

const config = new pulumi.Config();
const userPoolId = config.require("poolId");
const endpoint = config.require("endpoint");
const password = config.requireSecret("userPassword");
const declared = JSON.parse(fs.readFileSync(path.join(__dirname, "declared.json"), "utf8"));
for (const { username, withPassword, ...args } of declared.users) {
    new CognitoUser(username, { userPoolId, endpoint, username, ...args, password: withPassword ? password : undefined });
}
new CognitoUserBatch("seed", { userPoolId, endpoint, users: declared.batch, adoptExisting: false });
`;

/** A declared user: CognitoUser args (or a batch entry), plus whether it takes the stack's password. */
interface DeclaredUser {
    username: string;
    attributes: Record<string, string>;
    groups?: string[];
    generatePassword?: boolean;
    withPassword?: boolean;
    enabled?: boolean;
}

/** 20 CognitoUsers: generated, declared and no passwords; one or two groups or none; user-07 disabled. */
const USERS: DeclaredUser[] = Array.from({ length: 20 }, (_, i) => {
    const username = `user-${String(i).padStart(2, "0")}`;
    const user: DeclaredUser = { username, attributes: { email: `${username}@example.com` } };
    if (i % 4 === 0) user.generatePassword = true;
    if (i % 4 === 1) user.withPassword = true;
    if (i % 5 === 0) user.groups = ["admins", "editors"];
    else if (i % 3 === 0) user.groups = ["editors"];
    if (i === 7) user.enabled = false;
    return user;
});

/** 100 batch users: every tenth in a group, every fourth with a generated password, batch-042 disabled. */
const BATCH: DeclaredUser[] = Array.from({ length: 100 }, (_, i) => {
    const username = `batch-${String(i).padStart(3, "0")}`;
    const user: DeclaredUser = { username, attributes: { email: `${username}@example.com` } };
    if (i % 10 === 0) user.groups = ["viewers"];
    if (i % 4 === 0) user.generatePassword = true;
    if (i === 42) user.enabled = false;
    return user;
});

const DECLARED = [...USERS, ...BATCH];

/** A resource in `pulumi stack export`. */
interface StateResource {
    urn: string;
    type: string;
    outputs?: Record<string, unknown>;
}

/** The lines of a failed run that say why, and the error codes among them, so a failure reads at a glance. */
function failureSummary(result: PulumiResult): string {
    const lines = [...new Set((result.stdout + "\n" + result.stderr).split("\n").filter((l) => /error:|\[[A-Z_]+\]/.test(l)))];
    const codes: Record<string, number> = {};
    for (const line of lines) for (const [, code] of line.matchAll(/\[([A-Z_]+)\]/g)) codes[code] = (codes[code] ?? 0) + 1;
    return `exit code ${result.code}; error codes in the output: ${JSON.stringify(codes)}\n${lines.slice(0, 40).join("\n")}`;
}

/** One case: its own pool, proxy, project, stack and state folder, on the suite's cognito-local. */
class LostAnswersCase {
    pool!: TestPool;
    proxy!: FaultProxy;
    project!: TempProject;
    stateDir!: string;
    env!: NodeJS.ProcessEnv;
    readonly stack = "lost";

    constructor(
        readonly cognito: TestCognito,
        readonly faults: FaultPlan,
        readonly seed: number,
    ) {}

    async start(): Promise<void> {
        this.pool = await createTestPool(this.cognito.client, { groups: ["admins", "editors", "viewers"] });
        this.proxy = await startFaultProxy({ upstream: this.cognito.endpoint });
        this.project = createTempProject({
            name: "e2e-lost",
            files: {
                "index.ts": PROGRAM,
                "declared.json": JSON.stringify({ users: USERS, batch: BATCH }, null, 2),
                "package.json": JSON.stringify({ name: "e2e-lost", private: true }),
            },
        });
        this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-state-lost-"));
        this.env = {
            PULUMI_BACKEND_URL: `file://${this.stateDir}`,
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
            AWS_PROFILE: undefined,
            AWS_ACCESS_KEY_ID: "local",
            AWS_SECRET_ACCESS_KEY: "local",
        };
        await runPulumi(this.project.dir, ["stack", "init", this.stack], { env: this.env });
        await this.run([
            "config",
            "set-all",
            "--plaintext",
            `aws:region=${TEST_REGION}`,
            "--plaintext",
            `poolId=${this.pool.id}`,
            "--plaintext",
            `endpoint=${this.proxy.endpoint}`,
        ]);
        // Through stdin: a secret never goes on a command line.
        await this.run(["config", "set", "--secret", "userPassword"], { input: `Pw-${randomBytes(12).toString("base64url")}-9a!` });
        // From here on, every Cognito call of the stack meets the faults.
        this.proxy.setFaults(this.faults, this.seed);
    }

    /** `pulumi <args> --stack lost` in the project; never throws on a non-zero exit. */
    async run(args: string[], opts: RunPulumiOptions = {}): Promise<PulumiResult> {
        return runPulumi(this.project.dir, [...args, "--stack", this.stack], {
            ...opts,
            env: { ...this.env, ...opts.env },
            allowFailure: true,
        });
    }

    /** Runs `pulumi <args>`, failing the test with the error lines when it exits non-zero. */
    async mustRun(args: string[]): Promise<PulumiResult> {
        const result = await this.run(args);
        if (result.code !== 0) assert.fail(`pulumi ${args.join(" ")} failed: ${failureSummary(result)}`);
        return result;
    }

    /** The stack's CognitoUser and CognitoUserBatch resources. */
    async stateResources(): Promise<StateResource[]> {
        const raw = (await this.mustRun(["stack", "export"])).stdout;
        const resources: StateResource[] = JSON.parse(raw).deployment.resources ?? [];
        return resources.filter((r) => r.type === USER_TYPE || r.type === BATCH_TYPE);
    }

    /** Usernames in the pool, sorted. */
    async poolUsernames(): Promise<string[]> {
        return (await listPoolUsers(this.cognito.client, this.pool.id)).map((u) => u.Username!).sort();
    }

    /** Destroys (without faults) and removes the stack, its folders and the proxy. Best effort. */
    async dispose(): Promise<void> {
        this.proxy?.setFaults(undefined);
        if (this.project) {
            await this.run(["cancel", "--yes"]);
            await this.run(["destroy", "--yes", "--skip-preview"]);
            await this.run(["stack", "rm", "--yes", "--force"]);
            this.project.remove();
        }
        if (this.stateDir) fs.rmSync(this.stateDir, { recursive: true, force: true });
        await this.proxy?.stop();
    }
}

/** The three steps of a case: one plain `up` converges, a second changes nothing, `destroy` empties the pool. */
function lostAnswersCase(title: string, faults: FaultPlan, seed: number, expectFaults: Array<"status500" | "throttle" | "delay">): void {
    describe(title, function () {
        let cognito: TestCognito;
        let c: LostAnswersCase;
        let converged = false;

        before(async function () {
            await ensurePulumi();
            cognito = await startTestCognito();
            c = new LostAnswersCase(cognito, faults, seed);
            await c.start();
        });
        after(async function () {
            await c?.dispose();
            await cognito?.stop();
        });

        it("one plain `pulumi up` converges to exactly the declared users, and answers were really lost", async function () {
            await c.mustRun(["up", "--yes", "--skip-preview"]);

            // Cognito holds exactly the declared users, with their groups and enabled flags.
            assert.deepEqual(await c.poolUsernames(), DECLARED.map((u) => u.username).sort());
            for (const declared of DECLARED) {
                const stored = await getStoredUser(cognito.client, c.pool.id, declared.username);
                assert.ok(stored, `${declared.username} exists`);
                assert.deepEqual(stored.groups, [...(declared.groups ?? [])].sort(), `${declared.username}'s groups`);
                assert.equal(stored.enabled, declared.enabled !== false, `${declared.username}'s enabled flag`);
                assert.equal(stored.attributes.email, declared.attributes.email);
            }

            // The state: 20 CognitoUsers and the batch, naming exactly those users.
            const resources = await c.stateResources();
            assert.equal(resources.length, 21);
            const named = resources.flatMap((r) =>
                r.type === USER_TYPE ? [r.outputs!.username as string] : Object.keys(decodeOutputs(r.outputs!).users ?? {}),
            );
            assert.deepEqual(named.sort(), DECLARED.map((u) => u.username).sort());
            for (const r of resources.filter((r) => r.type === USER_TYPE))
                assert.equal(
                    r.outputs!.cognitoUsername,
                    r.outputs!.username,
                    "a plain-username pool: Cognito's Username is the declared one",
                );

            // The faults happened, to CognitoUsers and to batch users alike.
            const counts = c.proxy.counts();
            const lostCreates = c.proxy.faultLog().filter((e) => e.operation === "AdminCreateUser" && e.kind === "loseAnswer");
            assert.ok(counts.operations.AdminCreateUser.loseAnswer > 0, "AdminCreateUser answers were lost");
            assert.ok(
                lostCreates.some((e) => e.username?.startsWith("user-")),
                "a CognitoUser's AdminCreateUser answer was lost",
            );
            assert.ok(
                lostCreates.some((e) => e.username?.startsWith("batch-")),
                "a batch user's AdminCreateUser answer was lost",
            );
            for (const kind of expectFaults) assert.ok(counts.total[kind] > 0, `the proxy injected ${kind}`);
            converged = true;
        });

        it("a second `pulumi up` changes nothing", async function () {
            if (!converged) this.skip();
            await c.mustRun(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
        });

        it("`pulumi destroy` leaves no user in the pool", async function () {
            if (!converged) this.skip();
            await c.mustRun(["destroy", "--yes", "--skip-preview"]);
            assert.deepEqual(await c.poolUsernames(), []);
            assert.deepEqual(await c.stateResources(), []);
        });
    });
}

describe("lost answers through the Pulumi CLI (e2e)", function () {
    // The seeds decide which first AdminCreateUser answers are lost, whatever the order of the calls:
    // 9 picks user-04 (generated password), user-06 and user-09 (a group; 09 a declared password),
    // user-14, user-19 and 19 batch users; 11 picks user-01, user-07 (disabled), user-19 and 14 batch
    // users (about 15 in case B, whose other faults add attempts, and with them draws).
    lostAnswersCase("A: 15 % of AdminCreateUser answers lost", { AdminCreateUser: { loseAnswer: { probability: 0.15 } } }, 9, []);

    lostAnswersCase(
        "B: lost creates, with 500s, throttling, delays and lost answers on every operation",
        {
            "*": {
                status500: { probability: 0.05 },
                throttle: { probability: 0.05 },
                delay: { ms: 200, probability: 0.05 },
                loseAnswer: { probability: 0.03 },
            },
            AdminCreateUser: { loseAnswer: { probability: 0.15 } },
        },
        11,
        ["status500", "throttle", "delay"],
    );
});
