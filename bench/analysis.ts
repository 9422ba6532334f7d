/**
 * What the rows of a bench run say, in sentences: where the per-resource form's time goes, and the
 * scale run's headline against its targets. Pure: it reads rows, runs nothing.
 */
import { BenchRow } from "./harness";

/** A row's value by id at N. */
export function find(rows: BenchRow[], id: string, n: number): BenchRow | undefined {
    return rows.find((r) => r.id === id && r.n === n && r.wallSeconds !== undefined && !r.error);
}

/** Where the per-resource time goes, in sentences, from the largest N that has the rows. */
export function analyse(rows: BenchRow[], ns: number[], serializedCognitoUser: number | undefined): string[] {
    const lines: string[] = [];
    const ms = (seconds: number, n: number) => `${((seconds * 1000) / n).toFixed(0)} ms`;
    const n = [...ns].reverse().find((candidate) => find(rows, "per-resource-up", candidate));
    if (n === undefined) return lines;
    const up = find(rows, "per-resource-up", n)!;
    const floor = find(rows, "floor", n);
    const batch = find(rows, "batch-up", n);
    const again = find(rows, "per-resource-up-again", n);
    const destroy = find(rows, "per-resource-destroy", n);
    const noop = find(rows, "diag-noop-up", n);
    const noCheckpoints = find(rows, "diag-per-resource-nockpt-up", n);
    let text = `At N = ${n}, \`pulumi up\` of N CognitoUsers took ${up.wallSeconds!.toFixed(1)} s, ${ms(up.wallSeconds!, n)} per user`;
    if (floor)
        text += `; the floor took ${ms(floor.wallSeconds!, n)} per user, so the per-resource form costs ${ms(up.wallSeconds! - floor.wallSeconds!, n)} more per user (${up.vsFloor!.toFixed(1)}× the floor)`;
    if (batch) text += `; the batch took ${ms(batch.wallSeconds!, n)} per user (${batch.vsFloor?.toFixed(1) ?? "?"}× the floor)`;
    lines.push(text + ".");
    if (up.cpuSeconds) {
        const total = Object.values(up.cpuSeconds).reduce((a, b) => a + b, 0);
        const parts = Object.entries(up.cpuSeconds)
            .filter(([, s]) => s >= 0.1)
            .sort((a, b) => b[1] - a[1])
            .map(([component, s]) => `${component} ${s.toFixed(1)} s (${ms(s, n)}/user)`);
        lines.push(
            `CPU of the per-resource up's process tree: ${total.toFixed(1)} s in all: ${parts.join(", ")}` +
                (up.cognitoLocalCpuSeconds !== undefined ? `; cognito-local ${up.cognitoLocalCpuSeconds.toFixed(1)} s` : "") +
                (floor?.cognitoLocalCpuSeconds !== undefined
                    ? ` (${floor.cognitoLocalCpuSeconds.toFixed(1)} s for the floor's identical Cognito work)`
                    : "") +
                `. On 2 cores the wall time is bounded below by about total CPU / 2.`,
        );
    }
    if (again) {
        lines.push(
            `The second \`up\` (no change: only the engine's check and diff RPCs per resource, no Cognito call) took ${again.wallSeconds!.toFixed(1)} s, ${ms(again.wallSeconds!, n)} per resource: a floor for any per-resource operation.`,
        );
    }
    if (destroy) lines.push(`\`destroy\` took ${destroy.wallSeconds!.toFixed(1)} s, ${ms(destroy.wallSeconds!, n)} per user.`);
    if (noop) {
        lines.push(
            `N no-op dynamic resources (no Cognito call at all; program, engine and provider host only) took ${noop.wallSeconds!.toFixed(1)} s, ` +
                `${ms(noop.wallSeconds!, n)} per resource: ${((100 * noop.wallSeconds!) / up.wallSeconds!).toFixed(0)}% of the per-resource up's time, ` +
                `with ${noop.stateBytesPerUser?.toFixed(0) ?? "?"} state bytes per resource against ${up.stateBytesPerUser?.toFixed(0) ?? "?"}.`,
        );
    }
    if (noCheckpoints) {
        const saved = up.wallSeconds! - noCheckpoints.wallSeconds!;
        lines.push(
            `With PULUMI_SKIP_CHECKPOINTS=true (state written once, not after every step) the per-resource up took ${noCheckpoints.wallSeconds!.toFixed(1)} s: ` +
                `rewriting the state file after each step costs about ${saved.toFixed(1)} s (${((100 * saved) / up.wallSeconds!).toFixed(0)}%) at this N; it grows with N², as each write holds every resource so far.`,
        );
    }
    if (up.stateBytesPerUser !== undefined) {
        const batchState = batch?.stateBytesPerUser;
        let state = `State: ${up.stateBytesPerUser.toFixed(0)} bytes per user for CognitoUser`;
        if (serializedCognitoUser)
            state += `, of which the serialized provider (stored in each resource, inputs and outputs) is ${serializedCognitoUser} bytes`;
        if (batchState !== undefined) state += `; ${batchState.toFixed(0)} bytes per user for the batch`;
        lines.push(state + ".");
    }
    const small = ns.find((candidate) => candidate < n && find(rows, "per-resource-up", candidate));
    if (small !== undefined) {
        const a = find(rows, "per-resource-up", small)!;
        const perSmall = a.wallSeconds! / small;
        const perLarge = up.wallSeconds! / n;
        const floorSmall = find(rows, "floor", small);
        lines.push(
            `Scaling: per user, the per-resource up took ${(perSmall * 1000).toFixed(0)} ms at N = ${small} and ${(perLarge * 1000).toFixed(0)} ms at N = ${n}` +
                (floorSmall && floor
                    ? ` (the floor: ${((floorSmall.wallSeconds! / small) * 1000).toFixed(1)} ms and ${((floor.wallSeconds! / n) * 1000).toFixed(1)} ms; cognito-local slows as a pool grows)`
                    : "") +
                ".",
        );
    }
    return lines;
}
