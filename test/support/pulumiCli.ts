/**
 * Helpers for end-to-end tests that drive the real Pulumi CLI (built by scripts/setup-pulumi.sh)
 * against throwaway projects. Every run uses the environment from scripts/pulumiEnv.ts, so tests
 * get the local file backend, the default passphrase and no Pulumi Cloud.
 */
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePulumi, pulumiEnv, repoRoot } from "../../scripts/pulumiEnv";

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
  /** Return non-zero exits instead of throwing (for tests that expect a failure). */
  allowFailure?: boolean;
  /** Kill the CLI after this many milliseconds (default 10 minutes). */
  timeoutMs?: number;
}

/**
 * Runs `pulumi <args> --non-interactive --color never` in `cwd` and collects its output.
 * Builds or links the CLI first if needed (see `ensurePulumi`).
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
    const child = spawn(pulumiPath, fullArgs, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? -1, timedOut });
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

/** Options for {@link createTempProject}. */
export interface TempProjectOptions {
  /** Project name prefix; a random suffix keeps concurrent runs from sharing stacks in one backend. */
  name: string;
  /** Files to write, relative to the project directory (e.g. `{"index.ts": "..."}`). */
  files?: Record<string, string>;
  /** Extra `runtime.options` for Pulumi.yaml (e.g. `{ typescript: false }`). */
  runtimeOptions?: Record<string, string | boolean>;
}

/** A throwaway Pulumi project on disk. */
export interface TempProject {
  /** Absolute project directory (contains Pulumi.yaml). */
  dir: string;
  /** The unique project name written to Pulumi.yaml. */
  name: string;
  /** Deletes the directory (not the stacks: destroy and `stack rm` them first). */
  remove(): void;
}

/**
 * Creates a temporary directory for a Pulumi project or an Automation API `workDir`, with
 * `node_modules` symlinked to the repo's so the program, the language host's runner and the
 * dynamic-provider plugin all load the same @pulumi/pulumi. Writes Pulumi.yaml (runtime nodejs)
 * unless `files` provides one.
 */
export function createTempProject(opts: TempProjectOptions): TempProject {
  const name = `${opts.name}-${crypto.randomBytes(4).toString("hex")}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  const files = { ...opts.files };
  if (!("Pulumi.yaml" in files)) {
    const options = Object.entries(opts.runtimeOptions ?? {})
      .map(([k, v]) => `\n    ${k}: ${JSON.stringify(v)}`)
      .join("");
    files["Pulumi.yaml"] =
      `name: ${name}\n` + (options ? `runtime:\n  name: nodejs\n  options:${options}\n` : "runtime: nodejs\n");
  }
  // cmd/run treats the nearest package.json as the project root and warns when there is none.
  files["package.json"] ??= JSON.stringify({ name, private: true, main: "index" }, null, 2) + "\n";
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return { dir, name, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
