/**
 * The tie between this process and the Pulumi engine that started it. Pulumi's dynamic-provider host,
 * which runs this package's provider modules, is started by the CLI in a process group of its own, so a
 * `kill -9` of the CLI's group (an OOM kill, a CI step timeout) never reaches it: it would live on as an
 * orphan and keep creating users no state will ever know. Inside that host the provider watches the CLI
 * (its parent, and the parent of the launcher that leads its process group): once the CLI is gone, no new Cognito request starts (every attempt of every call asks
 * `assertEngineAlive`, and the batch's workers take no new user) and the process exits a moment later,
 * letting the requests already on the wire end. Ctrl-C and SIGTERM are not this: the CLI then lives on
 * to finish its graceful path, and the host with it.
 */
import * as fs from "fs";
import { CognitoUserError } from "./errors";

/** How often the parent is checked, in ms: a request starts at most this long after the CLI died. */
export const LIFELINE_POLL_MS = 200;
/** How long requests already on the wire may take after the CLI died before the process exits, in ms. */
export const LIFELINE_GRACE_MS = 1000;

/** Whether the process that started this one is gone: its parent changed (orphans are re-parented) or is gone. */
export function parentIsGone(startedBy: number, parentNow: number): boolean {
    return parentNow !== startedBy || parentNow <= 1;
}

/**
 * The parent and the process group of a process, from `/proc/<pid>/stat` (Linux): the fields after the
 * command name, which may itself hold spaces and parentheses. Undefined when the process is gone.
 */
export function parentAndGroupOf(stat: string | undefined): { parent: number; group: number } | undefined {
    if (!stat) return undefined;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { parent: Number(fields[1]), group: Number(fields[2]) };
}

function readStat(pid: number | "self"): string | undefined {
    try {
        return fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
}

/**
 * Who started this plugin: the parent of its process group's leader. The engine starts each plugin in a
 * group of its own, and Pulumi's own launcher is a shell script that runs node without `exec`: the
 * shell leads the group and the CLI is its parent, while node's parent is the shell, which outlives the
 * CLI. Undefined where /proc is missing; 0 once the leader is gone.
 */
function launcherParent(): number | undefined {
    const self = parentAndGroupOf(readStat("self"));
    if (!self) return undefined;
    return parentAndGroupOf(readStat(self.group))?.parent ?? 0;
}

/** Whether the running program is Pulumi's dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`). */
export function isDynamicProviderHost(mainFile: string | undefined): boolean {
    return mainFile !== undefined && /[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(mainFile);
}

let engineGone = false;
let watching = false;

/** Whether the engine that started this process is still there (always true outside the plugin host). */
export function engineAlive(): boolean {
    return !engineGone;
}

/** Raises, before a request starts, once the engine that started this process is gone. */
export function assertEngineAlive(): void {
    if (engineGone) {
        throw new CognitoUserError(
            "COGNITO_ERROR",
            "the Pulumi CLI that started this provider is gone (killed): no further Cognito request is made, and the provider exits.",
        );
    }
}

/**
 * Starts watching the parent when this process is Pulumi's dynamic-provider host (and only then: a test
 * runner that loads the provider in-process is left alone). Idempotent; the timer never keeps the process up.
 */
export function watchEngine(mainFile: string | undefined = require.main?.filename): void {
    if (watching || !isDynamicProviderHost(mainFile)) return;
    watching = true;
    const startedBy = process.ppid;
    const launchedBy = launcherParent();
    const timer = setInterval(() => {
        const launcherGone = launchedBy !== undefined && parentIsGone(launchedBy, launcherParent() ?? launchedBy);
        if (!parentIsGone(startedBy, process.ppid) && !launcherGone) return;
        engineGone = true;
        clearInterval(timer);
        setTimeout(() => process.exit(1), LIFELINE_GRACE_MS).unref();
    }, LIFELINE_POLL_MS);
    timer.unref();
}
