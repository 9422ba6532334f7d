/**
 * Helpers for end-to-end tests that drive the real Pulumi CLI (built by scripts/setup-pulumi.sh)
 * against throwaway projects. Every run uses the environment from scripts/pulumiEnv.ts, so tests
 * get the local file backend, the default passphrase and no Pulumi Cloud.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../../scripts/pulumiEnv";

// One runner for the demo, the benchmark and the tests: scripts/runPulumi.ts.
export { runPulumi } from "../../scripts/runPulumi";
export type { PulumiResult, RunPulumiOptions } from "../../scripts/runPulumi";

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
        files["Pulumi.yaml"] = `name: ${name}\n` + (options ? `runtime:\n  name: nodejs\n  options:${options}\n` : "runtime: nodejs\n");
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
