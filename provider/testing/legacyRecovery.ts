/**
 * Recovery of runs left by fixtures of earlier versions (0.1.0), which created their users with a Pulumi stack in the run's
 * folder: the stack is destroyed through the Automation API. Loaded only when such a run is found, so
 * a fixture never pays for loading Pulumi otherwise.
 */
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { repairInterruptedCheckpoint } from "./checkpointRepair";
import { fixtureEnv, FixturePulumiOptions, prepareWorkDir, pulumiCommandFor, resolvePulumiExecutable } from "./pulumiRunner";
import { RunRecord, StaleRun } from "./runState";

/** Whether the dead run kept its users in a Pulumi stack (a run of an earlier version's fixture). */
export function hasPulumiStack(stale: StaleRun): boolean {
    return fs.existsSync(stale.paths.backend) && stale.record?.passphrase !== undefined;
}

/** Destroys the users of a dead run of an earlier version's stack and removes the stack. */
export async function destroyLegacyStack(stale: StaleRun, pulumiOptions: FixturePulumiOptions, log: (line: string) => void): Promise<void> {
    const record = stale.record as RunRecord & { passphrase: string };
    // Lazy: @pulumi/pulumi/automation takes a while to load, and only these old runs need it.
    const automation = (await import("@pulumi/pulumi/automation")) as typeof import("@pulumi/pulumi/automation");
    const executable = resolvePulumiExecutable(pulumiOptions);
    const pulumiCommand = await pulumiCommandFor(executable, path.join(stale.paths.dir, "cli"));
    if (!fs.existsSync(path.join(stale.paths.workDir, "node_modules"))) prepareWorkDir(stale.paths.workDir);
    // A test process killed while the CLI wrote the checkpoint can leave it unreadable; repair it first.
    for (const file of repairInterruptedCheckpoint(stale.paths.backend, record.stackName)) log(`repaired ${file}, cut short by the kill`);
    let stack: Stack;
    try {
        stack = await automation.LocalWorkspace.selectStack(
            { projectName: record.projectName ?? "cognito-fixture", stackName: record.stackName, program: async () => ({}) },
            {
                workDir: stale.paths.workDir,
                pulumiCommand,
                envVars: fixtureEnv(pulumiOptions, stale.paths, record.passphrase, pulumiCommand.command),
            },
        );
    } catch (error) {
        if (error instanceof automation.StackNotFoundError) return; // died before its stack existed
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
