/**
 * Crash recovery: a run whose process died (a killed test process) left its folder under the state
 * root, maybe an emulator still running and, in a caller's pool, users. The next fixture that starts
 * (or `cleanupStaleFixtureRuns`) claims such runs, stops their emulators, destroys their users and
 * removes their folders.
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack, StackNotFoundError } from "@pulumi/pulumi/automation";
import { errorText } from "./declaration";
import { fixtureEnv, FixturePulumiOptions, prepareWorkDir, pulumiCommandFor, resolvePulumiExecutable } from "./pulumiRunner";
import { repairInterruptedCheckpoint } from "./checkpointRepair";
import { claimStaleRuns, commandLine, DEFAULT_STATE_ROOT, isAlive, pulumiProcessesIn, StaleRun } from "./runState";
import { serialized } from "./stack";

/** Options of {@link cleanupStaleFixtureRuns}. */
export interface CleanupOptions {
    /** Root of the per-run folders; default `<os.tmpdir()>/pulumi-cognito-user-fixtures`. */
    stateRoot?: string;
    /** The CLI for destroying users left in your own pools. */
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
    return serialized(() =>
        cleanStaleRuns(options.stateRoot ?? DEFAULT_STATE_ROOT, options.pulumi ?? {}, options.log ?? (() => undefined)),
    );
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

/** Stops a dead run's Pulumi processes and emulator and, for the caller's own pool, destroys its users. */
async function cleanStaleRun(stale: StaleRun, pulumiOptions: FixturePulumiOptions, log: (line: string) => void): Promise<void> {
    // Its CLI, language host and provider host may outlive it (the CLI starts each plugin in a process
    // group of its own): end them before anything reads or writes the run's stack.
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
    // The embedded pool's users died with its emulator; only users in the caller's pool need a destroy.
    if (record.mode !== "pool" || !fs.existsSync(stale.paths.backend)) return;
    const executable = resolvePulumiExecutable(pulumiOptions);
    const pulumiCommand: PulumiCommand = await pulumiCommandFor(executable, path.join(stale.paths.dir, "cli"));
    if (!fs.existsSync(path.join(stale.paths.workDir, "node_modules"))) prepareWorkDir(stale.paths.workDir);
    // A test process killed while the CLI wrote the checkpoint can leave it unreadable; repair it first.
    for (const file of repairInterruptedCheckpoint(stale.paths.backend, record.stackName)) log(`repaired ${file}, cut short by the kill`);
    let stack: Stack;
    try {
        stack = await LocalWorkspace.selectStack(
            { projectName: record.projectName, stackName: record.stackName, program: async () => ({}) },
            {
                workDir: stale.paths.workDir,
                pulumiCommand,
                envVars: fixtureEnv(pulumiOptions, stale.paths, record.passphrase, pulumiCommand.command),
            },
        );
    } catch (error) {
        if (error instanceof StackNotFoundError) return; // died before its stack existed
        throw error;
    }
    const pending = ((await stack.exportStack()).deployment?.pending_operations ?? []) as Array<{
        type?: string;
        resource?: { urn?: string };
    }>;
    for (const op of pending.filter((p) => p.type === "creating")) {
        const name = op.resource?.urn?.slice(op.resource.urn.lastIndexOf("::") + 2) ?? "?";
        console.warn(
            `cognitoFixture: the dead run ${record.stackName} was creating user "${name}" (${record.usernames[name] ?? "?"}) in pool ${record.pool?.userPoolId} when it died; ` +
                "if that user exists it is not in the stack: delete it by hand",
        );
    }
    await stack.destroy({ color: "never" });
    await stack.workspace.removeStack(record.stackName);
    log(`destroyed the users of dead run ${record.stackName} in pool ${record.pool?.userPoolId}`);
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
