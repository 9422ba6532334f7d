/**
 * Killing a process together with everything it started, as a machine crash or `kill -9` of a CI job
 * would. The Pulumi CLI starts each plugin (language host, dynamic-provider host) in a process group of
 * its own, so killing the CLI's group alone would leave them running; this walks the process tree.
 * Linux only (/proc); elsewhere it kills the one process.
 */
import * as fs from "node:fs";

/**
 * The fields of /proc/<pid>/stat after the command name (field 2, which may contain spaces and
 * parentheses): [0] state, [1] ppid, [2] pgrp, ...; undefined once the process is gone.
 */
function statFields(pid: number): string[] | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    } catch {
        return undefined; // exited while we looked
    }
}

/** The pids of every process, from /proc. */
function allPids(): number[] {
    return fs
        .readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .map(Number);
}

/** The parent pid of every live process. */
function parentsByPid(): Map<number, number> {
    const parents = new Map<number, number>();
    for (const pid of allPids()) {
        const fields = statFields(pid);
        if (fields) parents.set(pid, Number(fields[1]));
    }
    return parents;
}

/** `pid` and all its descendants, parents before children. */
export function processTree(pid: number): number[] {
    const parents = parentsByPid();
    const tree = [pid];
    for (let i = 0; i < tree.length; i++) {
        for (const [child, parent] of parents) if (parent === tree[i] && !tree.includes(child)) tree.push(child);
    }
    return tree;
}

function signal(pid: number, sig: NodeJS.Signals): void {
    try {
        process.kill(pid, sig);
    } catch {
        // already gone
    }
}

/**
 * SIGKILLs `pid` and every process it started. Stops them first (SIGSTOP) and rescans until the tree no
 * longer grows, so a process started mid-way cannot escape; returns the pids killed.
 */
export function killProcessTree(pid: number): number[] {
    if (!fs.existsSync("/proc/self/stat")) {
        signal(pid, "SIGKILL");
        return [pid];
    }
    const stopped = new Set<number>();
    for (;;) {
        const tree = processTree(pid).filter((p) => !stopped.has(p));
        if (tree.length === 0) break;
        for (const p of tree) {
            signal(p, "SIGSTOP");
            stopped.add(p);
        }
    }
    for (const p of stopped) signal(p, "SIGKILL");
    return [...stopped];
}

/** Whether a process with this pid still runs (a zombie awaiting its parent counts as gone). */
export function isRunning(pid: number): boolean {
    const state = statFields(pid)?.[0];
    return state !== undefined && state !== "Z";
}

/** The live processes of process group `pgid` (zombies count as gone). */
export function groupMembers(pgid: number): number[] {
    return allPids().filter((pid) => {
        const fields = statFields(pid);
        return fields !== undefined && Number(fields[2]) === pgid && fields[0] !== "Z";
    });
}
