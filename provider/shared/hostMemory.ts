/**
 * Memory of Pulumi's dynamic-provider host. A batch's calls make a great deal of short-lived garbage
 * (each request's SDK middleware, signing and parsing), and on a machine with a lot of memory Node 22
 * and later let the young generation grow to about 130 MB to hold it, and the old generation to double
 * before it is collected: 10,000 users peaked at about 340 MB in the host, where the users themselves
 * take a few MB. The host cannot be started with other V8 flags (the CLI starts it, with the user's
 * NODE_OPTIONS), so the provider tells V8 at load, inside that host only, to keep the young generation
 * at its starting size and to favour memory over speed in the old one: the same 10,000 users then peak
 * at about 140 MB, for some 15% more CPU in the host (Cognito's quotas, not the host's CPU, bound a
 * batch at AWS). Flags of the user's own (in NODE_OPTIONS or the host's arguments) win: nothing is set
 * when any of them tunes these.
 */
import * as v8 from "v8";
import { isDynamicProviderHost } from "./engineLifeline";

/** What the provider sets: the young generation stays at its starting size; the old one grows and compacts for size. */
export const HOST_HEAP_FLAGS = ["--semi-space-growth-factor=1", "--optimize-for-size"] as const;

/** V8 flags that, set by the user, mean the user has chosen the host's heap sizing: the provider then sets nothing. */
const USER_HEAP_FLAGS = /--(no-)?(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|optimize-for-size)\b/;

/** The flags to set in a process started with `execArgv` and `nodeOptions`: none when the user tuned any of them. */
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
