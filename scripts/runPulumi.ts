/**
 * Runs the project's Pulumi CLI (see ./pulumiEnv.ts) and collects its output: one runner for the demo,
 * the benchmark and the end-to-end tests.
 */
import { spawn } from "node:child_process";
import { ensurePulumi, pulumiEnv } from "./pulumiEnv";

/** Outcome of one CLI invocation. */
export interface PulumiResult {
    stdout: string;
    stderr: string;
    code: number;
}

/** Options for {@link runPulumi}. */
export interface RunPulumiOptions {
    /** Extra environment variables, applied over the project environment. */
    env?: NodeJS.ProcessEnv;
    /** Return non-zero exits instead of throwing (for callers that expect a failure). */
    allowFailure?: boolean;
    /** Kill the CLI after this many milliseconds (default 10 minutes). */
    timeoutMs?: number;
    /** Text for the CLI's standard input (e.g. a secret for `config set --secret`, kept off the command line). */
    input?: string;
    /** Called with the child process once started (e.g. to kill it mid-run). */
    onStart?: (child: import("node:child_process").ChildProcess) => void;
    /** Start the CLI in a process group of its own (its pid is the group's), to kill the group as a CI runner would. */
    detached?: boolean;
}

/**
 * Runs `pulumi <args> --non-interactive --color never` in `cwd`. Builds the CLI first if needed.
 *
 * @throws an Error holding the command, exit code, stdout and stderr when the CLI exits non-zero
 *   (unless `allowFailure`) or is killed by the timeout.
 */
export async function runPulumi(cwd: string, args: string[], opts: RunPulumiOptions = {}): Promise<PulumiResult> {
    const { pulumiPath } = await ensurePulumi();
    // Global flags keep output stable and stop the CLI from ever waiting for a prompt.
    const fullArgs = [...args, "--non-interactive", "--color", "never"];
    const env = pulumiEnv(opts.env);
    const timeoutMs = opts.timeoutMs ?? 10 * 60 * 1000;
    const result = await new Promise<PulumiResult & { timedOut: boolean }>((resolve, reject) => {
        const child = spawn(pulumiPath, fullArgs, { cwd, env, stdio: ["pipe", "pipe", "pipe"], detached: opts.detached });
        opts.onStart?.(child);
        let stdout = "";
        let stderr = "";
        let timedOut = false;
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.stdin.end(opts.input ?? "");
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
        }, timeoutMs);
        child.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ stdout, stderr, code: code ?? (signal ? 128 : -1), timedOut });
        });
    });
    const { timedOut, ...out } = result;
    if (timedOut || (out.code !== 0 && !opts.allowFailure)) {
        throw new Error(
            `pulumi ${fullArgs.join(" ")} (in ${cwd}) ${timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${out.code}`}\n` +
                `--- stdout ---\n${out.stdout}\n--- stderr ---\n${out.stderr}`,
        );
    }
    return out;
}
