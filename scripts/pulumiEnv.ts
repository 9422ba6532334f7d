/**
 * The one place that decides how this repo runs the Pulumi CLI: which binary, and with which
 * environment. Tests, the demo, the benchmark and Automation API fixtures all go through here so
 * they share one local, offline, passphrase-protected setup and never reach Pulumi Cloud.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Absolute path of the repository root (this file lives in `<repo>/scripts`). */
export const repoRoot: string = path.resolve(__dirname, "..");

/** Git-ignored folder holding the CLI, our plugins and PULUMI_HOME. */
export const toolsDir: string = path.join(repoRoot, ".tools");

/** Folder with `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
export const binDir: string = path.join(toolsDir, "bin");

/** Path of the CLI that `ensurePulumi()` provides. */
export const pulumiPath: string = path.join(binDir, "pulumi");

/** Default local state folder (git-ignored) used when PULUMI_BACKEND_URL is not set. */
export const defaultStateDir: string = path.join(repoRoot, ".pulumi-state");

/** Passphrase for the passphrase secrets provider when the caller sets none: local state only. */
export const defaultPassphrase = "local-dev-passphrase";

/** What `ensurePulumi()` returns: the CLI and the environment to run it with. */
export interface PulumiSetup {
    /** Absolute path of the `pulumi` executable (`.tools/bin/pulumi`). */
    pulumiPath: string;
    /** Folder containing `bin/pulumi`: pass as `root` to the Automation API's `PulumiCommand.get`. */
    pulumiRoot: string;
    /** Environment for every CLI invocation (see {@link pulumiEnv}). */
    env: NodeJS.ProcessEnv;
}

/**
 * Builds the environment for running the CLI: `.tools/bin` first on PATH, a local file backend,
 * a default passphrase, an isolated PULUMI_HOME, and no update checks or plugin downloads.
 * Values already in `process.env` win for the backend URL and passphrase so a developer can
 * point at another local folder; `extra` wins over everything.
 *
 * @throws if PULUMI_BACKEND_URL points at an HTTP(S) service: this project never uses Pulumi Cloud.
 */
export function pulumiEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const base = process.env;
    const backend = base.PULUMI_BACKEND_URL || `file://${defaultStateDir}`;
    const env: NodeJS.ProcessEnv = {
        ...base,
        PATH: [binDir, base.PATH ?? ""].filter(Boolean).join(path.delimiter),
        PULUMI_BACKEND_URL: backend,
        PULUMI_HOME: path.join(toolsDir, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // On Node 20 (the machine's Node, CI's second leg) the AWS SDK would warn about its support window in every provider process.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: base.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? "true",
        ...extra,
    };
    // A passphrase file is an equally valid way to unlock secrets; only default when neither is set.
    if (env.PULUMI_CONFIG_PASSPHRASE === undefined && !env.PULUMI_CONFIG_PASSPHRASE_FILE) {
        env.PULUMI_CONFIG_PASSPHRASE = defaultPassphrase;
    }
    // No token means no accidental Pulumi Cloud login, whatever the developer's shell has.
    delete env.PULUMI_ACCESS_TOKEN;
    if (/^https?:/i.test(env.PULUMI_BACKEND_URL ?? "")) {
        throw new Error(`PULUMI_BACKEND_URL=${env.PULUMI_BACKEND_URL} is a service; this project only uses local state`);
    }
    if (env.PULUMI_BACKEND_URL === `file://${defaultStateDir}`) {
        fs.mkdirSync(defaultStateDir, { recursive: true });
    }
    return env;
}

let setupOnce: Promise<void> | undefined;

/**
 * Runs `scripts/setup-pulumi.sh` (at most once per process) so `.tools/bin` holds a CLI matching
 * the installed @pulumi/pulumi plus our language host. Cached runs take well under a second; the
 * first run on a fresh machine builds the CLI with Go (minutes). It prints only when it has work
 * to do, and only to stderr, so it never pollutes a caller's stdout.
 *
 * @throws if the setup script fails (its message says why: missing Go, version mismatch, ...).
 */
export async function ensurePulumi(): Promise<PulumiSetup> {
    setupOnce ??= new Promise<void>((resolve, reject) => {
        const child = spawn("bash", [path.join(repoRoot, "scripts", "setup-pulumi.sh"), "--quiet"], {
            cwd: repoRoot,
            stdio: ["ignore", process.stderr, process.stderr],
        });
        child.on("error", reject);
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`scripts/setup-pulumi.sh failed with exit code ${code}`))));
    });
    try {
        await setupOnce;
    } catch (err) {
        setupOnce = undefined; // let a later call retry, e.g. after `npm ci`
        throw err;
    }
    return { pulumiPath, pulumiRoot: toolsDir, env: pulumiEnv() };
}
