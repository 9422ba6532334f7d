/**
 * `npm run demo`: the main job on the embedded default. Starts cognito-local (data kept in
 * .tools/demo, so a second run finds its users), creates or reuses a pool with an app client and
 * groups, `pulumi up`s the root project (Pulumi.yaml → demo/index.ts), prints a summary, then proves
 * it by signing in as the admin and showing the groups in the token.
 *
 *   npm run demo                 create / converge, human-readable
 *   npm run demo -- --json       one machine-readable result on stdout
 *   npm run demo -- --destroy    tear everything down (users, stack, pool, cognito-local's data)
 */
import {
    CognitoIdentityProviderClient,
    CreateGroupCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    DescribeUserPoolCommand,
    InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { errorShape } from "../provider/core/errors";
import { freePort, portAnswers, startCognitoLocal, useDummyCredentials } from "../provider/local/cognitoLocal";
import { repoRoot, toolsDir } from "./pulumiEnv";
import { runPulumi } from "./runPulumi";

const STACK = "demo";
const demoDir = path.join(toolsDir, "demo");
const demoFile = path.join(demoDir, "demo.json");
const json = process.argv.includes("--json");
const destroy = process.argv.includes("--destroy");

/** What the demo remembers between runs. */
interface DemoState {
    port?: number;
    userPoolId?: string;
    clientId?: string;
}

/** One user in the summary (no password, ever). */
interface DemoUser {
    name: string;
    id: string;
    username: string;
    cognitoUsername: string;
    sub: string;
    status: string;
    enabled: boolean;
    groups: string[];
    createdAt: string;
}

const say = (line = "") => {
    if (!json) process.stdout.write(line + "\n");
};

function readState(): DemoState {
    try {
        return JSON.parse(fs.readFileSync(demoFile, "utf8")) as DemoState;
    } catch {
        return {};
    }
}

/** A port for cognito-local: the last run's if free (the endpoint is recorded in state, so keeping it avoids replacing every user), else a new one. */
async function choosePort(previous?: number): Promise<number> {
    if (previous && !(await portAnswers(previous))) return previous;
    return freePort();
}

/** Reuses the recorded pool if it still exists, else creates a pool (email as username), an app client and the groups. */
async function ensurePool(
    client: CognitoIdentityProviderClient,
    state: DemoState,
): Promise<{ userPoolId: string; clientId: string; created: boolean }> {
    if (state.userPoolId && state.clientId) {
        try {
            await client.send(new DescribeUserPoolCommand({ UserPoolId: state.userPoolId }));
            return { userPoolId: state.userPoolId, clientId: state.clientId, created: false };
        } catch {
            // gone (e.g. the data folder was removed): make a new one
        }
    }
    const pool = await client.send(
        new CreateUserPoolCommand({
            PoolName: "demo-pool",
            UsernameAttributes: ["email"],
            Policies: {
                PasswordPolicy: {
                    MinimumLength: 12,
                    RequireUppercase: true,
                    RequireLowercase: true,
                    RequireNumbers: true,
                    RequireSymbols: true,
                },
            },
        }),
    );
    const userPoolId = pool.UserPool!.Id!;
    const app = await client.send(
        new CreateUserPoolClientCommand({
            UserPoolId: userPoolId,
            ClientName: "demo-web",
            ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
    );
    for (const group of ["admins", "editors", "viewers"]) {
        await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
    }
    return { userPoolId, clientId: app.UserPoolClient!.ClientId!, created: true };
}

/** A password meeting the demo pool's policy, made once and kept as a stack secret. */
function newPassword(): string {
    return `Demo-${randomBytes(9).toString("base64url")}-7a!`;
}

/** Decodes a JWT's payload (no verification: this only displays it). */
function jwtClaims(token: string): Record<string, unknown> {
    return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;
}

async function configValue(key: string): Promise<string | undefined> {
    const r = await runPulumi(repoRoot, ["config", "get", key, "--stack", STACK], { allowFailure: true });
    return r.code === 0 ? r.stdout.trim() : undefined;
}

async function setConfig(key: string, value: string, secret = false): Promise<void> {
    await runPulumi(repoRoot, ["config", "set", key, "--stack", STACK, ...(secret ? ["--secret"] : []), ...(secret ? [] : [value])], {
        input: secret ? value : undefined,
    });
}

async function main(): Promise<void> {
    // On Node 20 (the machine's Node, CI's second leg) the SDK warns about its support window on every process.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    useDummyCredentials();
    fs.mkdirSync(path.join(demoDir, "cognito"), { recursive: true });
    const state = readState();
    const cognito = await startCognitoLocal({ dataDir: path.join(demoDir, "cognito"), port: await choosePort(state.port) });
    try {
        const client = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: "us-east-1" });
        if (destroy) {
            say(`Tearing down the demo (cognito-local at ${cognito.endpoint})...`);
            const stacks = await runPulumi(repoRoot, ["stack", "ls", "--json"], { allowFailure: true });
            if (stacks.code === 0 && (JSON.parse(stacks.stdout) as Array<{ name: string }>).some((s) => s.name === STACK)) {
                await runPulumi(repoRoot, ["config", "set", "cognito-user:endpoint", cognito.endpoint, "--stack", STACK]);
                await runPulumi(repoRoot, ["destroy", "--yes", "--skip-preview", "--stack", STACK]);
                await runPulumi(repoRoot, ["stack", "rm", "--yes", STACK]);
            }
            await cognito.stop();
            fs.rmSync(demoDir, { recursive: true, force: true });
            if (json) process.stdout.write(JSON.stringify({ success: true, data: { destroyed: true } }) + "\n");
            else say("Done: users destroyed, stack removed, cognito-local's data deleted.");
            return;
        }

        const pool = await ensurePool(client, state);
        fs.writeFileSync(demoFile, JSON.stringify({ port: cognito.port, userPoolId: pool.userPoolId, clientId: pool.clientId }, null, 2));
        say(
            `cognito-local at ${cognito.endpoint}; pool ${pool.userPoolId} (${pool.created ? "created" : "reused"}), app client ${pool.clientId}`,
        );

        await runPulumi(repoRoot, ["stack", "select", "--create", STACK]);
        await setConfig("aws:region", "us-east-1");
        await setConfig("cognito-user:endpoint", cognito.endpoint);
        await setConfig("userPoolId", pool.userPoolId);
        let adminPassword = await configValue("adminPassword");
        if (!adminPassword) {
            adminPassword = newPassword();
            await setConfig("adminPassword", adminPassword, true);
        }
        if (!(await configValue("viewerTemporaryPassword"))) await setConfig("viewerTemporaryPassword", newPassword(), true);

        say("pulumi up ...");
        await runPulumi(repoRoot, ["up", "--yes", "--skip-preview", "--stack", STACK], { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
        const history = JSON.parse(
            (await runPulumi(repoRoot, ["stack", "history", "--json", "--stack", STACK, "--page-size", "1"])).stdout,
        ) as Array<{
            resourceChanges?: Record<string, number>;
        }>;
        const changes = history[0]?.resourceChanges ?? {};
        const outputs = JSON.parse((await runPulumi(repoRoot, ["stack", "output", "--json", "--stack", STACK])).stdout) as {
            users: DemoUser[];
        };

        const auth = await client.send(
            new InitiateAuthCommand({
                AuthFlow: "USER_PASSWORD_AUTH",
                ClientId: pool.clientId,
                AuthParameters: { USERNAME: "admin@example.com", PASSWORD: adminPassword },
            }),
        );
        const claims = jwtClaims(auth.AuthenticationResult!.IdToken!);
        const tokenGroups = (claims["cognito:groups"] as string[] | undefined) ?? [];

        if (json) {
            const users = outputs.users.map((u) => ({
                id: u.id,
                name: u.name,
                username: u.username,
                cognito_username: u.cognitoUsername,
                sub: u.sub,
                status: u.status,
                enabled: u.enabled,
                groups: u.groups,
                created_at: u.createdAt,
            }));
            const data = {
                users,
                changes,
                user_pool_id: pool.userPoolId,
                endpoint: cognito.endpoint,
                sign_in: { username: "admin@example.com", groups: tokenGroups },
            };
            process.stdout.write(JSON.stringify({ success: true, data }) + "\n");
            return;
        }
        const changed = Object.entries(changes).filter(([op]) => op !== "same");
        say(
            changed.length === 0
                ? "No changes: every user was already as declared."
                : `Changes: ${changed.map(([op, n]) => `${n} ${op}`).join(", ")}.`,
        );
        say();
        const rows = outputs.users.map((u) => [u.name, u.username, u.status, u.enabled ? "yes" : "no", u.groups.join(",") || "-", u.sub]);
        const header = ["user", "username", "status", "enabled", "groups", "sub"];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        for (const row of [header, ...rows]) say("  " + row.map((c, i) => c.padEnd(widths[i])).join("  "));
        say();
        say(`Signed in as admin@example.com (USER_PASSWORD_AUTH): cognito:groups = ${JSON.stringify(tokenGroups)}`);
        say("Run `npm run demo` again: nothing changes. Tear down: `npm run demo -- --destroy`.");
    } finally {
        await cognito.stop();
    }
}

main().catch((error: unknown) => {
    const shape = errorShape(error);
    if (json) process.stdout.write(JSON.stringify({ success: false, error: shape }) + "\n");
    else process.stderr.write(`demo failed [${shape.code}]: ${shape.message}\n`);
    process.exit(1);
});
