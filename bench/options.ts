/**
 * The bench's command line: which contenders run, at which N, with which settings. Unknown options fail,
 * so a typo does not silently run the wrong bench.
 */
import * as path from "path";
import { repoRoot } from "../scripts/pulumiEnv";
import { BenchOptions } from "./harness";
import { FIXTURE_BENCH_ROUNDS } from "./fixtureStartup";

/** The bench's settings plus what only the command line decides. */
export type CommandLine = BenchOptions & {
    /** Where the results go. */
    out: string;
    /** Only re-render the saved results. */
    render: boolean;
    /** The scale run instead of the regular one. */
    scale: boolean;
    /** Users in the scale run's batch. */
    scaleN: number;
    /** The scale run's batch alone. */
    scaleBatchOnly: boolean;
    /** `--fixture-only`: the fixture against the hand-written set-up alone (seconds; no Pulumi CLI needed). */
    fixtureOnly: boolean;
    /** Counted rounds of each side of the fixture comparison. */
    fixtureRounds: number;
};

/** In a --quick run, the slow contenders (AWS CLI loop, N × CognitoUser) run only up to this N. */
export const QUICK_SLOW_MAX_N = 100;

/** Contender groups `--only` accepts. */
export const GROUPS = ["floor", "aws-cli", "per-resource", "batch", "throttled", "fixture", "diag"] as const;

/** Parses the command line; throws on anything unknown so a typo does not silently run the wrong bench. */
export function parseArgs(argv: string[]): CommandLine {
    const options: CommandLine = {
        render: false,
        fixtureOnly: false,
        fixtureRounds: FIXTURE_BENCH_ROUNDS,
        scale: false,
        scaleN: 10_000,
        scaleBatchOnly: false,
        ns: [100, 1000],
        concurrency: 10,
        quick: false,
        diagnose: false,
        throttleRate: 50,
        throttleBurst: 5,
        only: [],
        out: path.join(repoRoot, "bench", "results"),
    };
    let explicitNs: number[] | undefined;
    for (const arg of argv) {
        const [name, value] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const positive = (what: string) => {
            const number = Number(value);
            if (!Number.isInteger(number) || number <= 0)
                throw new Error(`${name} needs a positive integer, got ${JSON.stringify(value)} (${what})`);
            return number;
        };
        switch (name) {
            case "--quick":
                options.quick = true;
                break;
            case "--scale":
                options.scale = true;
                break;
            case "--scale-batch-only":
                options.scale = true;
                options.scaleBatchOnly = true;
                break;
            case "--scale-n":
                options.scale = true;
                options.scaleN = positive("users in the scale run's batch");
                break;
            case "--fixture-only":
                options.fixtureOnly = true;
                options.only = ["fixture"];
                break;
            case "--fixture-rounds":
                options.fixtureRounds = positive("alternated rounds of the fixture comparison");
                break;
            case "--render":
                options.render = true;
                break;
            case "--diagnose":
                options.diagnose = true;
                break;
            case "--n":
                explicitNs = (value ?? "").split(",").map((v) => {
                    const n = Number(v);
                    if (!Number.isInteger(n) || n <= 0)
                        throw new Error(`--n needs positive integers, e.g. --n=100,1000; got ${JSON.stringify(value)}`);
                    return n;
                });
                break;
            case "--concurrency":
                options.concurrency = positive("calls in flight");
                break;
            case "--throttle-rate":
                options.throttleRate = positive("AdminCreateUser per second");
                break;
            case "--throttle-burst":
                options.throttleBurst = positive("token bucket capacity");
                break;
            case "--only":
                options.only = (value ?? "").split(",").filter(Boolean);
                for (const group of options.only) {
                    if (!(GROUPS as readonly string[]).includes(group))
                        throw new Error(`--only: unknown contender "${group}" (known: ${GROUPS.join(", ")})`);
                }
                break;
            case "--out":
                if (!value) throw new Error("--out needs a folder");
                options.out = path.resolve(value);
                break;
            default:
                throw new Error(`unknown option ${arg} (see the comment at the top of bench/run.ts)`);
        }
    }
    // --quick keeps the headline N = 1000 for the fast contenders (floor, batch, throttled: seconds each)
    // and runs the slow ones (the AWS CLI loop, N × CognitoUser: minutes at 1000) at the small N only.
    options.ns = [...new Set(explicitNs ?? [100, 1000])].sort((a, b) => a - b);
    if (options.diagnose && options.only.length > 0 && !options.only.includes("diag")) options.only.push("diag");
    return options;
}

/** Whether a contender group runs. */
export function wants(options: BenchOptions, group: (typeof GROUPS)[number]): boolean {
    if (group === "diag") return options.diagnose || options.only.includes("diag");
    return options.only.length === 0 || options.only.includes(group);
}
