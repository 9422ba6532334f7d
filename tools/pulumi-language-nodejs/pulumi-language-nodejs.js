#!/usr/bin/env node
// @ts-check
/**
 * A minimal Pulumi Node.js language host (`pulumi-language-nodejs`).
 *
 * Why it exists: Pulumi's own Go language host cannot be fetched here (the module proxy refuses
 * github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 at every version), so we
 * implement the `pulumirpc.LanguageRuntime` gRPC service ourselves with the stubs that ship
 * inside @pulumi/pulumi. Like the Go host, `Run` delegates the real work to
 * `@pulumi/pulumi/cmd/run`, resolved from the *program's* directory so the program and the
 * runner share one @pulumi/pulumi instance.
 *
 * Plugin protocol: start a gRPC server on a loopback port and print that port as the first
 * line on stdout; everything written to stdout/stderr afterwards is shown by the engine.
 *
 * Deliberately out of scope (we never download plugins or install packages here):
 * plugin discovery, dependency installation, code generation, packing, linking, debugging.
 */
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

// The host's own gRPC stubs come from this repo's node_modules (next to this file), not from the
// program: the host must start even before it knows which program it will run.
const grpc = require("@grpc/grpc-js");
const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb.js");
const langpb = require("@pulumi/pulumi/proto/language_pb.js");
const pluginpb = require("@pulumi/pulumi/proto/plugin_pb.js");
const emptypb = require("google-protobuf/google/protobuf/empty_pb.js");

/** Exit code cmd/run uses for "the user already saw an actionable error": the engine should bail quietly. */
const BAIL_EXIT_CODE = 32;

/** How often the host checks that the CLI that started it still runs, in ms. */
const ENGINE_POLL_MS = 200;

/** gRPC message limit the engine itself uses (400 MiB), so large stacks don't hit grpc-js' 4 MiB default. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/**
 * Parses Go-`flag`-style arguments the engine passes (`-flag=value`, `-flag value`, `--flag`),
 * returning the flags and the first positional argument (the engine address, if any).
 * @param {string[]} argv
 * @returns {{ flags: Record<string, string>, engineAddress: string }}
 */
function parseArgs(argv) {
    // Flags that take a separate value when written without `=`; every other flag is boolean.
    const valued = new Set(["tracing", "root", "tsconfig", "nodeargs", "packagemanager", "v", "logflow"]);
    /** @type {Record<string, string>} */
    const flags = {};
    const positional = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("-") || arg === "-") {
            positional.push(arg);
            continue;
        }
        const body = arg.replace(/^--?/, "");
        const eq = body.indexOf("=");
        if (eq >= 0) {
            flags[body.slice(0, eq)] = body.slice(eq + 1);
        } else if (valued.has(body) && i + 1 < argv.length) {
            flags[body] = argv[++i];
        } else {
            flags[body] = "true";
        }
    }
    return { flags, engineAddress: positional[0] ?? "" };
}

/**
 * Reads `runtime.options` from Pulumi.yaml (sent in ProgramInfo), falling back to command-line
 * flags that older engines used for the same settings.
 * @param {any} info ProgramInfo message or undefined
 * @param {Record<string, string>} flags
 */
function runtimeOptions(info, flags) {
    /** @type {Record<string, unknown>} */
    const opts = info?.getOptions?.()?.toJavaScript?.() ?? {};
    const typescriptOpt = opts.typescript ?? flags.typescript;
    return {
        // TypeScript support is on unless explicitly disabled, as in Pulumi's host.
        typescript: !(typescriptOpt === false || typescriptOpt === "false"),
        tsconfig: typeof opts.tsconfig === "string" ? opts.tsconfig : (flags.tsconfig ?? ""),
        nodeargs: typeof opts.nodeargs === "string" ? opts.nodeargs : (flags.nodeargs ?? ""),
    };
}

/**
 * Resolves a module path from the program's directory first (so the program and cmd/run share
 * one @pulumi/pulumi), returning undefined when the program has no such module.
 * @param {string} request
 * @param {string} fromDir
 */
function resolveFrom(request, fromDir) {
    try {
        return require.resolve(request, { paths: [fromDir] });
    } catch {
        return undefined;
    }
}

/**
 * Runs the Pulumi program through `@pulumi/pulumi/cmd/run` and reports how it ended.
 * @param {any} req RunRequest
 * @param {{ engineAddress: string, flags: Record<string,string>, children: Set<import("node:child_process").ChildProcess> }} host
 * @returns {Promise<{ error: string, bail: boolean }>}
 */
async function runProgram(req, host) {
    const info = req.getInfo();
    // Newer engines send ProgramInfo; older ones only `pwd` and `program`.
    const programDir = info?.getProgramDirectory() || req.getPwd() || process.cwd();
    const entryPoint = info?.getEntryPoint() || req.getProgram() || ".";
    const rootDir = info?.getRootDirectory() || "";

    const runPath = process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || resolveFrom("@pulumi/pulumi/cmd/run", programDir);
    if (!runPath) {
        return {
            error:
                `It looks like the Pulumi SDK has not been installed in ${programDir}: ` +
                "cannot resolve @pulumi/pulumi/cmd/run. Have you run npm install?",
            bail: false,
        };
    }

    const opts = runtimeOptions(info, host.flags);
    /** @type {string[]} */
    const args = [];
    // nodeargs is a shell-ish string in Pulumi.yaml; a whitespace split covers the usual flags.
    if (opts.nodeargs.trim()) args.push(...opts.nodeargs.trim().split(/\s+/));
    args.push(runPath);
    /** @param {string} k @param {string | undefined} v */
    const flag = (k, v) => {
        if (v) args.push(`--${k}`, v);
    };
    flag("monitor", req.getMonitorAddress());
    flag("engine", host.engineAddress);
    flag("organization", req.getOrganization());
    flag("project", req.getProject());
    flag("root-directory", rootDir);
    flag("stack", req.getStack());
    flag("pwd", programDir);
    if (req.getDryrun()) args.push("--dry-run");
    flag("parallel", String(req.getParallel()));
    flag("tracing", host.flags.tracing);
    args.push(entryPoint, ...req.getArgsList());

    /** @type {Record<string, string>} */
    const config = {};
    for (const [k, v] of req.getConfigMap().entries()) config[k] = v;
    /** @type {NodeJS.ProcessEnv} */
    const env = {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
    };
    // cmd/run only registers ts-node when told to; Pulumi's host tells it unless `typescript: false`.
    if (opts.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (opts.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = opts.tsconfig;

    return new Promise((resolve) => {
        // stdout/stderr go straight to ours: the engine already reads those and shows them to the user.
        const child = spawn(process.execPath, args, { cwd: programDir, env, stdio: ["ignore", "inherit", "inherit"] });
        host.children.add(child);
        child.on("error", (err) => {
            host.children.delete(child);
            resolve({ error: `Problem executing program (could not run language executor): ${err.message}`, bail: false });
        });
        child.on("exit", (code, signal) => {
            host.children.delete(child);
            if (code === 0) resolve({ error: "", bail: false });
            else if (code === BAIL_EXIT_CODE) resolve({ error: "", bail: true });
            else if (code !== null) resolve({ error: `Program exited with non-zero exit code: ${code}`, bail: false });
            else resolve({ error: `Program exited unexpectedly (signal ${signal})`, bail: false });
        });
    });
}

/**
 * Lists the program's declared npm dependencies with their installed versions (for `pulumi about`).
 * @param {string} programDir
 */
function programDependencies(programDir) {
    let pkg;
    try {
        pkg = JSON.parse(fs.readFileSync(path.join(programDir, "package.json"), "utf8"));
    } catch {
        return [];
    }
    const names = Object.keys({ ...(pkg.dependencies ?? {}), ...(pkg.devDependencies ?? {}) });
    return names.map((name) => {
        const dep = new langpb.DependencyInfo();
        dep.setName(name);
        const pj = resolveFrom(`${name}/package.json`, programDir);
        let version = "";
        try {
            if (pj) version = JSON.parse(fs.readFileSync(pj, "utf8")).version ?? "";
        } catch {
            // An unreadable package.json just leaves the version blank.
        }
        dep.setVersion(version);
        return dep;
    });
}

/** Version reported to the engine: the @pulumi/pulumi this host was installed with. */
function hostVersion() {
    try {
        return require("@pulumi/pulumi/package.json").version;
    } catch {
        return "3.0.0";
    }
}

/**
 * Starts the language host: binds a loopback port and prints it (plugin protocol).
 * @param {string[]} argv command-line arguments after the script name
 */
function main(argv) {
    const { flags, engineAddress } = parseArgs(argv);
    const host = { engineAddress, flags, children: new Set() };

    /** @type {grpc.UntypedServiceImplementation} */
    const impl = {
        handshake(call, cb) {
            // Newer engines pass their address here instead of on the command line.
            host.engineAddress = call.request.getEngineAddress() || host.engineAddress;
            cb(null, new langpb.LanguageHandshakeResponse());
        },
        getRequiredPlugins(_call, cb) {
            // Nothing to download: dynamic providers only need the bundled pulumi-nodejs plugin.
            const resp = new langpb.GetRequiredPluginsResponse();
            resp.setPluginsList([]);
            cb(null, resp);
        },
        getRequiredPackages(_call, cb) {
            const resp = new langpb.GetRequiredPackagesResponse();
            resp.setPackagesList([]);
            cb(null, resp);
        },
        run(call, cb) {
            runProgram(call.request, host).then(
                ({ error, bail }) => {
                    const resp = new langpb.RunResponse();
                    resp.setError(error);
                    resp.setBail(bail);
                    cb(null, resp);
                },
                (err) => cb({ code: grpc.status.INTERNAL, details: String(err?.stack ?? err) }),
            );
        },
        getPluginInfo(_call, cb) {
            const resp = new pluginpb.PluginInfo();
            resp.setVersion(hostVersion());
            cb(null, resp);
        },
        installDependencies(call) {
            // Dependencies are the developer's job (`npm ci`); say so instead of silently doing nothing.
            const resp = new langpb.InstallDependenciesResponse();
            resp.setStdout(Buffer.from("pulumi-language-nodejs (local): skipping dependency installation; run npm ci\n"));
            call.write(resp);
            call.end();
        },
        runtimeOptionsPrompts(_call, cb) {
            const resp = new langpb.RuntimeOptionsResponse();
            resp.setPromptsList([]);
            cb(null, resp);
        },
        about(_call, cb) {
            const resp = new langpb.AboutResponse();
            resp.setExecutable(process.execPath);
            resp.setVersion(process.version);
            cb(null, resp);
        },
        getProgramDependencies(call, cb) {
            const req = call.request;
            const dir = req.getInfo()?.getProgramDirectory() || req.getPwd() || process.cwd();
            const resp = new langpb.GetProgramDependenciesResponse();
            resp.setDependenciesList(programDependencies(dir));
            cb(null, resp);
        },
        cancel(_call, cb) {
            // Forward cancellation to running programs so they can shut down cleanly.
            for (const child of host.children) child.kill("SIGINT");
            cb(null, new emptypb.Empty());
        },
    };

    const server = new grpc.Server({
        "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });
    // Unlisted methods (codegen, pack, link, ...) answer UNIMPLEMENTED, which the engine tolerates.
    server.addService(langrpc.LanguageRuntimeService, impl);
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) {
            process.stderr.write(`pulumi-language-nodejs: could not start gRPC server: ${err.message}\n`);
            process.exit(1);
        }
        process.stdout.write(`${port}\n`);
    });

    // The engine stops plugins with a signal; make sure no program outlives us.
    const stop = (/** @type {number} */ code) => {
        for (const child of host.children) child.kill("SIGKILL");
        server.forceShutdown();
        process.exit(code);
    };
    for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(sig, () => stop(0));
    // A `kill -9` of the CLI's process group never reaches us (the engine starts each plugin in a group of
    // its own): once the CLI is gone (this process is re-parented), end the program and exit all the same.
    const startedBy = process.ppid;
    setInterval(() => {
        if (process.ppid !== startedBy || process.ppid <= 1) stop(1);
    }, ENGINE_POLL_MS).unref();
}

if (require.main === module) {
    main(process.argv.slice(2));
}

module.exports = { parseArgs, runtimeOptions, main };
