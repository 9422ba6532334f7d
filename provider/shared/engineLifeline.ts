/**
 * The tie between this process and the Pulumi engine that started it. Pulumi's dynamic-provider host,
 * which runs this package's provider modules, is started by the CLI in a process group of its own, so a
 * `kill -9` of the CLI's group (an OOM kill, a CI step timeout) never reaches it: it would live on as an
 * orphan and keep creating users no state will ever know. Inside that host the provider watches its
 * parent: once the CLI is gone, no new Cognito request starts (every attempt of every call asks
 * `assertEngineAlive`, and the batch's workers take no new user) and the process exits a moment later,
 * letting the requests already on the wire end. Ctrl-C and SIGTERM are not this: the CLI then lives on
 * to finish its graceful path, and the host with it.
 */
import { CognitoUserError } from "./errors";

/** How often the parent is checked, in ms: a request starts at most this long after the CLI died. */
export const LIFELINE_POLL_MS = 200;
/** How long requests already on the wire may take after the CLI died before the process exits, in ms. */
export const LIFELINE_GRACE_MS = 1000;

/** Whether the process that started this one is gone: its parent changed (orphans are re-parented) or is gone. */
export function parentIsGone(startedBy: number, parentNow: number): boolean {
    return parentNow !== startedBy || parentNow <= 1;
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
    const timer = setInterval(() => {
        if (!parentIsGone(startedBy, process.ppid)) return;
        engineGone = true;
        clearInterval(timer);
        setTimeout(() => process.exit(1), LIFELINE_GRACE_MS).unref();
    }, LIFELINE_POLL_MS);
    timer.unref();
}
