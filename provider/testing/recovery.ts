/**
 * Crash recovery: a run whose process died (a killed test process) left its folder under the state
 * root, maybe an emulator still running and, in a caller's pool, users. The next fixture that starts
 * (or `cleanupStaleFixtureRuns`) claims such runs, stops their emulators, deletes their users (from the
 * run's journal, ./journalRecovery.ts; a run of an earlier version from its Pulumi stack,
 * ./legacyRecovery.ts) and removes their folders.
 */
import * as fs from "fs";
import { errorText } from "./declaration";
import { recoverJournaledUsers } from "./journalRecovery";
import { journalPath } from "./journal";
import { FixturePulumiOptions } from "./pulumiRunner";
import { claimStaleRuns, commandLine, DEFAULT_STATE_ROOT, isAlive, pulumiProcessesIn, StaleRun } from "./runState";

/** Options of {@link cleanupStaleFixtureRuns}. */
export interface CleanupOptions {
    /** Root of the per-run folders; default `<os.tmpdir()>/pulumi-cognito-user-fixtures`. */
    stateRoot?: string;
    /** The Pulumi CLI, needed only to clean up a run that a fixture of an earlier version (0.1.0) left with a Pulumi stack. */
    pulumi?: FixturePulumiOptions;
    /** Progress lines. */
    log?: (line: string) => void;
}

/**
 * Cleans up runs whose process died (what every `up()` does first), e.g. from a CI job's teardown.
 * Returns how many runs were cleaned; runs it could not clean stay for a later attempt and are reported
 * with `console.warn`.
 */
export async function cleanupStaleFixtureRuns(options: CleanupOptions = {}): Promise<number> {
    return cleanStaleRuns(options.stateRoot ?? DEFAULT_STATE_ROOT, options.pulumi ?? {}, options.log ?? (() => undefined));
}

/** Cleans up every run under `root` whose process died. */
export async function cleanStaleRuns(root: string, pulumiOptions: FixturePulumiOptions, log: (line: string) => void): Promise<number> {
    let cleaned = 0;
    for (const stale of claimStaleRuns(root)) {
        try {
            await cleanStaleRun(stale, pulumiOptions, log);
            fs.rmSync(stale.paths.dir, { recursive: true, force: true });
            cleaned++;
            log(`cleaned up the run of dead process ${stale.record?.owner.pid ?? "?"} (${stale.record?.stackName ?? stale.paths.dir})`);
        } catch (error) {
            console.warn(
                `cognitoFixture: could not clean up the run left in ${stale.paths.dir} by a dead process; a later run retries: ${errorText(error)}`,
            );
        }
    }
    return cleaned;
}

/** Stops a dead run's emulator (and an earlier version's Pulumi processes) and, for the caller's own pool, deletes its users. */
async function cleanStaleRun(stale: StaleRun, pulumiOptions: FixturePulumiOptions, log: (line: string) => void): Promise<void> {
    // Its CLI, language host and provider host may outlive it (the CLI starts each plugin in a process
    // group of its own): end them before anything reads or writes the run's stack.
    // (Only runs of earlier versions, which ran Pulumi; cheap to look for.)
    for (const pid of stopOrphanedPulumiProcesses(stale.paths.dir)) log(`stopped the orphaned Pulumi process ${pid} of a dead run`);
    const record = stale.record;
    if (!record) return;
    const emulator = record.cognitoLocal;
    // Its parent died without stopping it. Check the command line too: the pid may belong to someone else now.
    if (emulator && isAlive(emulator) && commandLine(emulator.pid).includes("cognito-local")) {
        try {
            process.kill(emulator.pid, "SIGKILL");
            log(`stopped the orphaned cognito-local ${emulator.pid} (${emulator.endpoint})`);
        } catch {
            // Gone meanwhile.
        }
    }
    // The embedded pool's users died with its emulator; only users in the caller's pool need deleting.
    if (record.mode !== "pool") return;
    if (fs.existsSync(journalPath(stale.paths.dir))) {
        const { removed } = await recoverJournaledUsers(stale.paths.dir, log);
        log(`deleted ${removed} user(s) of dead run ${record.stackName} from pool ${record.pool?.userPoolId}`);
        return;
    }
    // Lazy: only a run of an earlier version has a Pulumi stack, and loading Pulumi takes a while.
    const legacy = await import("./legacyRecovery");
    if (legacy.hasPulumiStack(stale)) await legacy.destroyLegacyStack(stale, pulumiOptions, log);
}

/**
 * SIGKILLs the Pulumi processes still working in a dead run's folder (`pulumiProcessesIn`: the folder and
 * the command line must both match, so an unrelated process that reused a pid is never touched). Returns the pids.
 */
export function stopOrphanedPulumiProcesses(runDir: string): number[] {
    const stopped: number[] = [];
    for (const pid of pulumiProcessesIn(runDir)) {
        try {
            process.kill(pid, "SIGKILL");
            stopped.push(pid);
        } catch {
            // Gone meanwhile.
        }
    }
    return stopped;
}
