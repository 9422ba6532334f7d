/**
 * Memory of Pulumi's dynamic-provider host. A batch's calls make a great deal of short-lived garbage
 * (each request's SDK middleware, signing and parsing). On a machine with a lot of memory Node 24 lets
 * the young generation grow to 128 MB to hold it (Node 20 stopped at 32 MB), and the old generation to
 * double before it is collected: the create and delete of 10,000 users peaked at 344 MB in one process,
 * where the users themselves take a few MB. The host cannot be started with other V8 flags (the CLI
 * starts it, with the user's NODE_OPTIONS), so the provider tells V8 at load, inside that host only, to
 * keep the young generation at its starting size and to favour memory over speed in the old one: the
 * same run then peaks at 141 MB, for more CPU (13% more there; 27 to 35 s instead of 22 in the host of a
 * `pulumi up` of 10,000 users: Cognito's quotas, not the host's CPU, bound a batch at AWS). The user's own setting of either flag (in NODE_OPTIONS or the host's arguments) wins:
 * nothing is set then.
 */
import * as v8 from "v8";
import { isDynamicProviderHost } from "./engineLifeline";

/** What the provider sets: the young generation stays at its starting size; the old one grows and compacts for size. */
export const HOST_HEAP_FLAGS = ["--semi-space-growth-factor=1", "--optimize-for-size"] as const;

/**
 * The same flags, set by the user (either way): the user's choice, the provider then sets nothing. A cap such as
 * `--max-semi-space-size=16` is not a choice against these: the young generation then stays within both.
 */
const USER_HEAP_FLAGS = /--(no-)?(semi-space-growth-factor|optimize-for-size)\b/;

/** The flags to set in a process started with `execArgv` and `nodeOptions`: none when the user set either. */
export function hostHeapFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
    const chosen = [...execArgv, nodeOptions ?? ""].some((arg) => USER_HEAP_FLAGS.test(arg.replace(/_/g, "-")));
    return chosen ? [] : [...HOST_HEAP_FLAGS];
}

let tuned = false;

/**
 * In Pulumi's dynamic-provider host (only there: a test runner or program that loads the provider keeps
 * its own heap), sets HOST_HEAP_FLAGS once, unless the user set flags of their own. Returns the flags set.
 */
export function favourMemoryInHost(mainFile: string | undefined = require.main?.filename): string[] {
    if (tuned || !isDynamicProviderHost(mainFile)) return [];
    tuned = true;
    const flags = hostHeapFlags(process.execArgv, process.env.NODE_OPTIONS);
    // Both flags are read by V8 each time it sizes a space, so they hold from now on (unlike
    // --max-semi-space-size, which only counts when the heap is set up).
    for (const flag of flags) v8.setFlagsFromString(flag);
    return flags;
}
