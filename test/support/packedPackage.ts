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

/** The packed tarball: its path, version and the files it holds (paths inside `package/`). */
export interface PackedRepository {
    tarball: string;
    version: string;
    files: string[];
}

/** Builds if needed and packs this repository into `destination`; returns the tarball's path, version and files. */
export async function packRepository(destination: string): Promise<PackedRepository> {
    await ensureBuilt();
    // --ignore-scripts: `prepack` would build again; ensureBuilt() has just made dist/ current.
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
    return { tarball: path.join(destination, packed[0].filename), version: packed[0].version, files };
}

/** The parts of a package.json the tarball check reads. */
export interface PackageManifest {
    main?: string;
    types?: string;
    exports?: Record<string, string | Record<string, string>>;
    typesVersions?: Record<string, Record<string, string[]>>;
    scripts?: Record<string, string>;
}

/** Scripts npm runs when a package is installed (a tarball or git install also runs `prepare`). */
export const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];

/** The exported subpaths (`.`, `./testing`, ...) that name code, with their types and JavaScript files. */
export function exportedSubpaths(manifest: PackageManifest): Array<{ subpath: string; types?: string; js?: string }> {
    return Object.entries(manifest.exports ?? {})
        .filter(([, target]) => typeof target !== "string" || !target.endsWith(".json"))
        .map(([subpath, target]) =>
            typeof target === "string" ? { subpath, js: target } : { subpath, types: target.types, js: target.require ?? target.default },
        );
}

/**
 * What is wrong with a tarball holding `files` (paths inside `package/`) and this package.json: it must
 * ship the JavaScript and the types of every export, README.md, CHANGELOG.md and LICENSE, and no tests,
 * TypeScript sources, source maps or install scripts. Empty when it is fine.
 */
export function tarballProblems(files: string[], manifest: PackageManifest): string[] {
    const problems: string[] = [];
    const has = new Set(files);
    const rel = (file: string) => file.replace(/^\.\//, "");
    for (const required of ["package.json", "README.md", "CHANGELOG.md", "LICENSE"]) {
        if (!has.has(required)) problems.push(`${required} is missing`);
    }
    for (const file of [manifest.main, manifest.types]) if (file && !has.has(rel(file))) problems.push(`${file} (main/types) is missing`);
    for (const { subpath, types, js } of exportedSubpaths(manifest)) {
        if (!js || !has.has(rel(js))) problems.push(`the JavaScript of export ${subpath} (${js}) is missing`);
        if (!types || !has.has(rel(types))) problems.push(`the types of export ${subpath} (${types}) are missing`);
    }
    for (const [pattern, targets] of Object.entries(manifest.typesVersions?.["*"] ?? {})) {
        for (const target of targets)
            if (!pattern.includes("*") && !has.has(rel(target))) problems.push(`typesVersions ${pattern}: ${target} is missing`);
    }
    for (const file of files) {
        if (/(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]s$/.test(file)) problems.push(`${file} is a test`);
        else if (/\.map$/.test(file)) problems.push(`${file} is a source map`);
        else if (/\.[cm]?ts$/.test(file) && !/\.d\.[cm]?ts$/.test(file)) problems.push(`${file} is a TypeScript source`);
        else if (/(^|\/)(tsconfig[^/]*\.json|\.tsbuildinfo|[^/]*\.tgz)$/.test(file)) problems.push(`${file} is a build file`);
    }
    for (const script of INSTALL_SCRIPTS) {
        if (manifest.scripts?.[script]) problems.push(`scripts.${script} would run (or be flagged by npm) when the package is installed`);
    }
    return problems;
}

/**
 * `npm install`s the tarball and the pinned @pulumi/pulumi into the project folder `dir` (which must
 * hold a package.json), from npm's cache where it can; checks the package is installed, not linked.
 * Returns npm's output (its warnings included).
 */
export async function installPacked(dir: string, tarball: string): Promise<string> {
    const output = await exec(
        "npm",
        ["install", tarball, `@pulumi/pulumi@${PULUMI_SDK_VERSION}`, "--save-exact", "--prefer-offline", "--no-audit", "--no-fund"],
        dir,
    );
    const installed = fs.realpathSync(path.join(dir, "node_modules", "pulumi-cognito-user"));
    assert.ok(installed.startsWith(fs.realpathSync(dir)), "the package is installed in the project, not linked to the repository");
    return output;
}
