/**
 * Killing a process together with everything it started, as a machine crash or `kill -9` of a CI job
 * would. The Pulumi CLI starts each plugin (language host, dynamic-provider host) in a process group of
 * its own, so killing the CLI's group alone would leave them running; this walks the process tree.
 * Linux only (/proc); elsewhere it kills the one process.
 */
import * as fs from "node:fs";

/** The parent pid of every live process, from /proc/<pid>/stat. */
function parentsByPid(): Map<number, number> {
    const parents = new Map<number, number>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // The command name (field 2) may contain spaces and parentheses: parse after its last ")".
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            parents.set(Number(entry), Number(fields[1]));
        } catch {
            // exited while we looked
        }
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
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
    } catch {
        return false;
    }
}

/** The live processes of process group `pgid` (zombies count as gone). */
export function groupMembers(pgid: number): number[] {
    const members: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // After the command name: state, ppid, pgrp.
            const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            if (Number(group) === pgid && state !== "Z") members.push(Number(entry));
        } catch {
            // exited while we looked
        }
    }
    return members;
}
