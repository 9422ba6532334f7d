/**
 * Running the Pulumi stack of a fixture run of an earlier version (0.1.0) through the Automation API (only to destroy what a killed
 * run of that version left): which CLI, with which environment, and a work folder where the engine's
 * dynamic-provider host finds both @pulumi/pulumi and this package.
 */
import * as fs from "fs";
import * as path from "path";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { RunPaths } from "./runState";

/**
 * How the fixture runs the Pulumi CLI. Fixtures no longer run Pulumi to create their users (they use the
 * provider's code in process); this is used only to clean up a run that a fixture of an earlier version (0.1.0) left behind
 * with a Pulumi stack.
 */
export interface FixturePulumiOptions {
    /** The `pulumi` executable: a path, or a name looked up on `env.PATH` (then the process's PATH). Default `pulumi`. */
    command?: string;
    /**
     * Environment for every CLI run, over the process's (PATH, PULUMI_HOME, AWS_PROFILE, ...). Whatever it says,
     * the fixture sets its own file backend and passphrase and turns off update checks and plugin downloads.
     */
    env?: Record<string, string | undefined>;
}

/** Name of this package, as the dynamic provider requires it (`pulumi-cognito-user/dynamic`). */
const PACKAGE_NAME = "pulumi-cognito-user";

/** Finds an executable on a PATH string; undefined when absent. */
/** The executable `name` in the first folder of `pathValue` (a PATH string) that has it. */
export function findOnPath(name: string, pathValue: string | undefined = process.env.PATH): string | undefined {
    for (const dir of (pathValue ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // Not here.
        }
    }
    return undefined;
}

/** The absolute path of the CLI the options name. */
export function resolvePulumiExecutable(options: FixturePulumiOptions = {}): string {
    const command = options.command ?? "pulumi";
    if (command.includes("/") || command.includes("\\")) {
        const absolute = path.resolve(command);
        if (!fs.existsSync(absolute)) throw new Error(`the Pulumi CLI ${absolute} does not exist (option pulumi.command)`);
        return absolute;
    }
    const found = findOnPath(command, options.env?.PATH) ?? findOnPath(command, process.env.PATH);
    if (!found) {
        throw new Error(`"${command}" is not on PATH: install the Pulumi CLI or pass its path as the fixture option pulumi.command`);
    }
    return found;
}

const commands = new Map<string, Promise<PulumiCommand>>();

/**
 * A `PulumiCommand` for the executable, once per process (it runs `pulumi version`). The Automation API
 * wants `<root>/bin/pulumi`; an executable laid out otherwise gets a link in `linkDir/bin`.
 */
export function pulumiCommandFor(executable: string, linkDir: string): Promise<PulumiCommand> {
    let root: string;
    if (path.basename(executable) === "pulumi" && path.basename(path.dirname(executable)) === "bin") {
        root = path.dirname(path.dirname(executable));
    } else {
        root = linkDir;
        fs.mkdirSync(path.join(root, "bin"), { recursive: true });
        fs.symlinkSync(executable, path.join(root, "bin", "pulumi"));
    }
    let command = commands.get(root);
    if (!command) {
        // Lazy: loading the Automation API takes a while, and only the recovery of runs of earlier versions needs it.
        command = import("@pulumi/pulumi/automation").then(({ PulumiCommand }) => PulumiCommand.get({ root }));
        command.catch(() => commands.delete(root));
        commands.set(root, command);
    }
    return command;
}

/**
 * The environment of every CLI run: the caller's, then a file backend and passphrase of this run's own,
 * no update check, no plugin download, no Pulumi Cloud token. `extra` (e.g. credentials for the
 * embedded Cognito) goes last.
 */
export function fixtureEnv(
    options: FixturePulumiOptions,
    paths: RunPaths,
    passphrase: string,
    executable: string,
    extra: Record<string, string> = {},
): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[name] = value;
    // Bundled plugins (language hosts, the dynamic-provider launcher) sit next to the real executable.
    const pathValue = env.PATH ?? process.env.PATH ?? "";
    env.PATH = [path.dirname(fs.realpathSync(executable)), path.dirname(executable), pathValue].join(path.delimiter);
    Object.assign(env, {
        PULUMI_BACKEND_URL: `file://${paths.backend}`,
        PULUMI_CONFIG_PASSPHRASE: passphrase,
        // The CLI inherits the process's environment too: an ambient passphrase file or token must not apply.
        PULUMI_CONFIG_PASSPHRASE_FILE: "",
        PULUMI_ACCESS_TOKEN: "",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        ...extra,
    });
    return env;
}

/** Walks up from `start` to the folder of the package.json named `name`. */
function findPackageRoot(start: string, name: string): string | undefined {
    for (let dir = start; ; dir = path.dirname(dir)) {
        try {
            if (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name === name) return dir;
        } catch {
            // No (readable) package.json here.
        }
        if (path.dirname(dir) === dir) return undefined;
    }
}

/**
 * Prepares the Automation API work folder. The engine starts the dynamic-provider host with the work folder
 * as cwd; it runs `./node_modules/@pulumi/pulumi/cmd/dynamic-provider`, and the provider it deserializes
 * resolves `require("pulumi-cognito-user/dynamic")` from the cwd. So `node_modules` here links
 * `@pulumi` (the copy this process uses: the program and the host must agree) and this package.
 */
export function prepareWorkDir(workDir: string): void {
    const pulumiPackageJson = require.resolve("@pulumi/pulumi/package.json");
    const scopeDir = path.dirname(path.dirname(pulumiPackageJson));
    const packageRoot = findPackageRoot(__dirname, PACKAGE_NAME);
    if (!packageRoot) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${__dirname}`);
    const modules = path.join(workDir, "node_modules");
    fs.mkdirSync(modules, { recursive: true });
    fs.symlinkSync(scopeDir, path.join(modules, "@pulumi"), "dir");
    fs.symlinkSync(packageRoot, path.join(modules, PACKAGE_NAME), "dir");
}
