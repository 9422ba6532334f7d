/**
 * The package as users get it: `npm pack` of this repository and `npm install` of the tarball into a
 * fresh project, so nothing resolves to the repository's sources (the program, the language host's
 * runner and the dynamic-provider host all load the installed copy).
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../scripts/pulumiEnv";

/** The @pulumi/pulumi this repository pins: the CLI here matches it. */
export const PULUMI_SDK_VERSION: string = require("@pulumi/pulumi/package.json").version;

/** Runs a command, collecting its output; throws with that output when it fails. */
export function exec(command: string, args: string[], cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, {
            cwd,
            env: { ...process.env, npm_config_update_notifier: "false" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
        child.on("error", reject);
        child.on("close", (code) =>
            code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} (in ${cwd}) exited with ${code}:\n${output}`)),
        );
    });
}

/** The newest modification time under `dir` of files with the extension. */
function newestMtime(dir: string, extension: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) newest = Math.max(newest, newestMtime(file, extension));
        else if (entry.name.endsWith(extension)) newest = Math.max(newest, fs.statSync(file).mtimeMs);
    }
    return newest;
}

/** `npm run build` unless dist/ is newer than every source (`npm test` has just built it). */
export async function ensureBuilt(): Promise<void> {
    const dist = path.join(repoRoot, "dist", "provider");
    if (fs.existsSync(dist) && newestMtime(dist, ".js") >= newestMtime(path.join(repoRoot, "provider"), ".ts")) return;
    await exec("npm", ["run", "build", "--silent"], repoRoot);
}

/** Builds if needed and packs this repository into `destination`; returns the tarball's path and version. */
export async function packRepository(destination: string): Promise<{ tarball: string; version: string }> {
    await ensureBuilt();
    const packed = JSON.parse(
        await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", destination], repoRoot),
    ) as Array<{
        filename: string;
        version: string;
        files: Array<{ path: string }>;
    }>;
    const files = packed[0].files.map((f) => f.path);
    assert.ok(
        files.includes("dist/provider/user/handlers.js") && files.includes("dist/provider/batch/handlers.js"),
        "the tarball holds the built providers",
    );
    return { tarball: path.join(destination, packed[0].filename), version: packed[0].version };
}

/**
 * `npm install`s the tarball and the pinned @pulumi/pulumi into the project folder `dir` (which must
 * hold a package.json), from npm's cache where it can; checks the package is installed, not linked.
 */
export async function installPacked(dir: string, tarball: string): Promise<void> {
    await exec(
        "npm",
        ["install", tarball, `@pulumi/pulumi@${PULUMI_SDK_VERSION}`, "--save-exact", "--prefer-offline", "--no-audit", "--no-fund"],
        dir,
    );
    const installed = fs.realpathSync(path.join(dir, "node_modules", "pulumi-cognito-user"));
    assert.ok(installed.startsWith(fs.realpathSync(dir)), "the package is installed in the project, not linked to the repository");
}
