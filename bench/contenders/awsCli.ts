/**
 * Contender "aws cli": what teams do today, a shell loop of
 * `aws cognito-idp admin-create-user --message-action SUPPRESS`, run `concurrency` at a time with
 * `xargs -P`. One AWS CLI process per user: its start-up (Python, botocore's service models) is the
 * cost. It only creates the users (the loop people write rarely sets passwords), so it makes half the
 * floor's calls. Skipped, with a note, when no `aws` is installed (`apt-get install -y awscli`).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    beginStep,
    BENCH_REGION,
    BenchContext,
    BenchRow,
    benchUsers,
    briefError,
    countUsers,
    createBenchPool,
    deleteBenchPool,
    newRow,
    recordRun,
    runSampled,
} from "../harness";
import { findOnPath } from "../../provider/testing/pulumiRunner";
import { processCpuSeconds } from "../processSampler";

/** How to install the AWS CLI where it is missing (Debian / Ubuntu). */
export const AWS_CLI_INSTALL_HINT = "apt-get install -y awscli";

/** The AWS CLI found on this machine. */
export interface AwsCli {
    /** Executable to run. */
    path: string;
    /** `aws --version`, e.g. `aws-cli/1.45.11 Python/3.11.7 ...`. */
    version: string;
    /** How it was found (a pyenv shim is resolved to the real script, so each call skips the shim's own start). */
    foundVia: string;
}

/** Finds `aws`: on PATH (a pyenv shim resolved with `pyenv which`), else Debian's /usr/bin/aws; undefined when absent. */
export function findAwsCli(): AwsCli | undefined {
    let found = findOnPath("aws");
    let foundVia = "PATH";
    if (found && found.includes("/.pyenv/shims/")) {
        try {
            found = execFileSync("pyenv", ["which", "aws"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
            foundVia = "PATH (pyenv shim, resolved with `pyenv which aws`)";
        } catch {
            // keep the shim
        }
    }
    if (!found && fs.existsSync("/usr/bin/aws")) {
        found = "/usr/bin/aws";
        foundVia = "/usr/bin/aws";
    }
    if (!found) return undefined;
    try {
        const out = execFileSync(found, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        return { path: found, version: out.trim().split("\n")[0], foundVia };
    } catch (error) {
        // aws-cli v1 printed its version on stderr
        const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
        if (stderr.startsWith("aws-cli/")) return { path: found, version: stderr.split("\n")[0], foundVia };
        return undefined;
    }
}

/** Creates N users with the AWS CLI in a fresh pool, `concurrency` processes at a time. */
export async function runAwsCli(ctx: BenchContext, n: number, cli: AwsCli | undefined): Promise<BenchRow> {
    const row = newRow("aws-cli", "aws cli loop (xargs -P)", n);
    if (!cli) {
        row.skipped = `no \`aws\` on PATH: install it with \`${AWS_CLI_INSTALL_HINT}\` to measure this row`;
        return row;
    }
    const userPoolId = await createBenchPool(ctx.client, `aws-${n}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-bench-aws-"));
    try {
        // One line per user; xargs -L 1 appends the line's words to the command.
        const lines = benchUsers(n).map(
            (u) =>
                `${u.username} --user-attributes ${Object.entries(u.attributes)
                    .map(([name, value]) => `Name=${name},Value=${value}`)
                    .join(" ")}`,
        );
        const usersFile = path.join(dir, "users.txt");
        fs.writeFileSync(usersFile, lines.join("\n") + "\n");
        // An empty config file: a developer's ~/.aws/config (pager, profile, retries) must not change the run.
        const configFile = path.join(dir, "config");
        fs.writeFileSync(configFile, "");
        const script =
            `xargs -P ${ctx.options.concurrency} -L 1 "$AWS_CLI" cognito-idp admin-create-user ` +
            `--user-pool-id "$POOL" --message-action SUPPRESS --endpoint-url "$ENDPOINT" --output json --username < "$USERS" > /dev/null`;
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            AWS_CLI: cli.path,
            POOL: userPoolId,
            ENDPOINT: ctx.endpoint,
            USERS: usersFile,
            AWS_ACCESS_KEY_ID: "local",
            AWS_SECRET_ACCESS_KEY: "local",
            AWS_DEFAULT_REGION: BENCH_REGION,
            AWS_REGION: BENCH_REGION,
            AWS_CONFIG_FILE: configFile,
            AWS_SHARED_CREDENTIALS_FILE: configFile,
            AWS_PAGER: "",
            AWS_EC2_METADATA_DISABLED: "true",
        };
        delete env.AWS_PROFILE;
        const cpuBefore = processCpuSeconds(ctx.cognitoLocalPid);
        beginStep(row);
        const run = await runSampled("sh", ["-c", script], { env });
        const cpuAfter = processCpuSeconds(ctx.cognitoLocalPid);
        recordRun(row, run.wallSeconds, run.usage);
        if (cpuBefore !== undefined && cpuAfter !== undefined) row.cognitoLocalCpuSeconds = cpuAfter - cpuBefore;
        row.failedUsers = n - (await countUsers(ctx.client, userPoolId));
        row.extra.awsCliVersion = cli.version;
        row.notes.push(
            `${cli.version}; admin-create-user only (no password: half the floor's calls); one process per user, ${ctx.options.concurrency} at a time`,
        );
        if (run.code !== 0 || row.failedUsers > 0) {
            row.error = `xargs exited with ${run.code}, ${row.failedUsers} users missing: ${run.stderr.trim().split("\n").slice(0, 3).join(" | ")}`;
        }
    } catch (error) {
        row.error = briefError(error);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        await deleteBenchPool(ctx.client, userPoolId);
    }
    return row;
}
