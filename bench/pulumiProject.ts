/**
 * A throwaway Pulumi project for one contender: a temporary folder with Pulumi.yaml, a TypeScript
 * program, `node_modules` linked to the repo's (so the program, the language host and the
 * dynamic-provider host load the same @pulumi/pulumi and this package), its own file backend, and
 * a `run` that times a CLI command while sampling the CLI's process tree.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../scripts/pulumiEnv";
import { PulumiResult, runPulumi } from "../scripts/runPulumi";
import { secondsSince } from "./harness";
import { ProcessTreeSampler, TreeUsage } from "./processSampler";

/** The stack every bench project uses. */
export const BENCH_STACK = "bench";

/** The type of every resource of this package in a stack's state (`pulumi-nodejs:dynamic/cognito:CognitoUser`, ...). */
export const PACKAGE_RESOURCE_TYPE_PREFIX = "pulumi-nodejs:dynamic/cognito:";

/** What a timed CLI command returns. */
export interface TimedPulumi extends PulumiResult {
    wallSeconds: number;
    usage: TreeUsage;
}

/** A bench project on disk. */
export interface BenchProject {
    dir: string;
    /** Runs `pulumi <args> --stack bench` in the project, timed and sampled. Throws on a non-zero exit. */
    run(args: string[], timeoutMs?: number): Promise<TimedPulumi>;
    /** `pulumi stack export` of the stack: the state's size in bytes and its resource count. */
    exportState(): Promise<{ bytes: number; resources: number; packageBytes: number }>;
    /** Removes the stack (if any) and every file of the project and its backend. */
    remove(): Promise<void>;
}

/** Default ceiling for one CLI command: a per-resource `up` of 1000 users on 2 cores takes minutes. */
const DEFAULT_TIMEOUT_MS = 45 * 60 * 1000;

/**
 * Creates the project with `program` as index.ts and `spec` as bench-spec.json next to it (the
 * program reads its parameters from there: no `pulumi config set` calls to time or to leak), and
 * initializes the stack. `extraEnv` goes to every CLI command (diagnostics).
 */
export async function createBenchProject(
    name: string,
    program: string,
    spec: unknown,
    extraEnv: NodeJS.ProcessEnv = {},
): Promise<BenchProject> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cognito-bench-${name}-`));
    const backend = path.join(dir, ".backend");
    fs.mkdirSync(backend);
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: cognito-bench-${name}\nruntime: nodejs\n`);
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: `cognito-bench-${name}`, private: true, main: "index.ts" }, null, 2),
    );
    fs.writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify(
            {
                compilerOptions: {
                    target: "ES2022",
                    module: "commonjs",
                    moduleResolution: "node",
                    strict: true,
                    esModuleInterop: true,
                    skipLibCheck: true,
                },
            },
            null,
            2,
        ),
    );
    fs.writeFileSync(path.join(dir, "index.ts"), program);
    fs.writeFileSync(path.join(dir, "bench-spec.json"), JSON.stringify(spec));

    const env: NodeJS.ProcessEnv = {
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_REGION: "us-east-1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...extraEnv,
    };

    const run = async (args: string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<TimedPulumi> => {
        let sampler: ProcessTreeSampler | undefined;
        const start = process.hrtime.bigint();
        try {
            const result = await runPulumi(dir, [...args, "--stack", BENCH_STACK], {
                env,
                timeoutMs,
                onStart: (child) => {
                    if (child.pid) sampler = new ProcessTreeSampler(child.pid).start();
                },
            });
            const wallSeconds = secondsSince(start);
            return { ...result, wallSeconds, usage: sampler!.stop() };
        } finally {
            sampler?.stop();
        }
    };

    try {
        await runPulumi(dir, ["stack", "init", BENCH_STACK], { env });
    } catch (error) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw error;
    }

    return {
        dir,
        run,
        async exportState() {
            const out = await runPulumi(dir, ["stack", "export", "--stack", BENCH_STACK], { env });
            const state = JSON.parse(out.stdout) as { deployment?: { resources?: Array<{ type?: string }> } };
            const resources = state.deployment?.resources ?? [];
            // This package's resources alone, as compact JSON: what one user costs, without the stack's own
            // resources or the export's indentation.
            const packageBytes = resources
                .filter((r) => r.type?.startsWith(PACKAGE_RESOURCE_TYPE_PREFIX))
                .reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r), "utf8"), 0);
            return { bytes: Buffer.byteLength(out.stdout, "utf8"), resources: resources.length, packageBytes };
        },
        async remove() {
            // --force: a failed run may leave resources in the stack; their users die with the pool.
            await runPulumi(dir, ["stack", "rm", "--yes", "--force", "--stack", BENCH_STACK], { env, allowFailure: true });
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** Resource counts from the CLI's closing summary (`Resources:\n    + 100 created\n    1 unchanged`). */
export function resourceSummary(stdout: string): Record<string, number> {
    const counts: Record<string, number> = {};
    const section = stdout.slice(stdout.lastIndexOf("Resources:"));
    for (const match of section.matchAll(
        /^\s*[+~\-±]*\s*(\d+)\s+(created|updated|deleted|replaced|unchanged|to create|to update|to delete)\b/gm,
    )) {
        counts[match[2]] = (counts[match[2]] ?? 0) + Number(match[1]);
    }
    return counts;
}
