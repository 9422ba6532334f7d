/**
 * Peak memory and CPU of a process tree, sampled from /proc. `/usr/bin/time -v` reports the largest
 * single process's peak, not the tree's: a `pulumi up` is the CLI (Go engine) plus a language host,
 * the program's Node process and the dynamic-provider host, so the bench sums the resident set size
 * of every descendant at each sample and keeps the highest sum. CPU is each process's utime + stime
 * as last seen, grouped by what the process is: that says where a slow run spends its time.
 * Linux only; elsewhere the sampler reports nothing and the bench says so.
 */
import * as fs from "fs";

/** Sampling period: short enough to catch short-lived provider processes, cheap enough on 2 cores. */
const DEFAULT_INTERVAL_MS = 100;
/** /proc/<pid>/stat counts CPU in clock ticks; USER_HZ is 100 on every Linux the bench targets. */
const CLOCK_TICKS_PER_SECOND = 100;
/** RSS in /proc/<pid>/stat is in pages. */
const PAGE_BYTES = 4096;

/** What a sampled run used. */
export interface TreeUsage {
    /** Highest sum of the tree's resident set sizes seen, in bytes; undefined where /proc is absent. */
    peakRssBytes?: number;
    /** CPU seconds (user + system) by component, e.g. `engine (pulumi CLI)`; sampled, so a slight undercount. */
    cpuSeconds: Record<string, number>;
    /** The tree's peak split by component (MB, the sample of the highest sum): which process to slim. */
    peakRssMBByComponent?: Record<string, number>;
    /** Distinct processes seen in the tree. */
    processes: number;
    /** Samples taken. */
    samples: number;
}

/** How the report names the method (printed next to the memory column). */
export const MEMORY_METHOD = `sum of VmRSS over the process tree, sampled from /proc every ${DEFAULT_INTERVAL_MS} ms (peak of the sums)`;

interface ProcStat {
    pid: number;
    ppid: number;
    /** utime + stime, in ticks. */
    cpuTicks: number;
    rssPages: number;
    /** Start time in ticks since boot: with the pid, identifies a process across pid reuse. */
    startTicks: number;
}

/** Whether this machine has a Linux /proc the sampler can read. */
export function procAvailable(): boolean {
    return fs.existsSync("/proc/self/stat");
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so fields are read after the last `)`. */
function readStat(pid: number): ProcStat | undefined {
    let text: string;
    try {
        text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined; // exited between listing and reading
    }
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state) of proc(5): ppid 4, utime 14, stime 15, starttime 22, rss 24.
    return {
        pid,
        ppid: Number(fields[1]),
        cpuTicks: Number(fields[11]) + Number(fields[12]),
        startTicks: Number(fields[19]),
        rssPages: Number(fields[21]),
    };
}

function allPids(): number[] {
    const pids: number[] = [];
    for (const name of fs.readdirSync("/proc")) {
        const pid = Number(name);
        if (Number.isInteger(pid) && pid > 0) pids.push(pid);
    }
    return pids;
}

/** Names a process by its command line: the parts of a Pulumi run, the AWS CLI, Node scripts. */
export function componentOf(cmdline: string): string {
    const args = cmdline.split("\0").filter(Boolean);
    const joined = args.join(" ");
    const exe = args[0]?.split("/").pop() ?? "";
    if (exe === "pulumi") return "engine (pulumi CLI)";
    if (/pulumi-language-nodejs/.test(joined)) return "language host";
    if (/@pulumi\/pulumi\/cmd\/run|pulumi-language-nodejs\/run|cmd\/run\/index/.test(joined)) return "program (node)";
    if (/dynamic-provider|pulumi-resource-pulumi-nodejs/.test(joined)) return "dynamic provider host (node)";
    if (/\baws\b/.test(exe) || /bin\/aws\b/.test(joined)) return "aws cli (python)";
    if (exe === "xargs" || exe === "sh" || exe === "bash") return "shell";
    if (/^node/.test(exe)) return "node";
    return exe || "other";
}

function readCmdline(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
        return "";
    }
}

/** Samples the tree under one root pid until stopped. */
export class ProcessTreeSampler {
    private timer: NodeJS.Timeout | undefined;
    private peakRssPages = 0;
    /** RSS pages by component in the sample of the highest sum. */
    private peakByComponent = new Map<string, number>();
    private samples = 0;
    /** Last CPU seen per process (keyed by pid and start time), with its component. */
    private readonly cpu = new Map<string, { component: string; ticks: number }>();
    private readonly enabled = procAvailable();

    constructor(
        private readonly rootPid: number,
        private readonly intervalMs = DEFAULT_INTERVAL_MS,
    ) {}

    /** Starts sampling (one sample at once). */
    start(): this {
        if (!this.enabled) return this;
        this.sample();
        this.timer = setInterval(() => this.sample(), this.intervalMs);
        this.timer.unref();
        return this;
    }

    /** Takes one sample: the root and all its descendants. Public so callers can sample right before the root exits. */
    sample(): void {
        if (!this.enabled) return;
        const stats = new Map<number, ProcStat>();
        const children = new Map<number, number[]>();
        for (const pid of allPids()) {
            const stat = readStat(pid);
            if (!stat) continue;
            stats.set(pid, stat);
            const siblings = children.get(stat.ppid);
            if (siblings) siblings.push(pid);
            else children.set(stat.ppid, [pid]);
        }
        if (!stats.has(this.rootPid)) return;
        let rssPages = 0;
        const byComponent = new Map<string, number>();
        const queue = [this.rootPid];
        while (queue.length > 0) {
            const pid = queue.pop()!;
            const stat = stats.get(pid)!;
            rssPages += stat.rssPages;
            const key = `${pid}@${stat.startTicks}`;
            let seen = this.cpu.get(key);
            if (seen) seen.ticks = stat.cpuTicks;
            else this.cpu.set(key, (seen = { component: componentOf(readCmdline(pid)), ticks: stat.cpuTicks }));
            byComponent.set(seen.component, (byComponent.get(seen.component) ?? 0) + stat.rssPages);
            queue.push(...(children.get(pid) ?? []));
        }
        this.samples++;
        if (rssPages > this.peakRssPages) {
            this.peakRssPages = rssPages;
            this.peakByComponent = byComponent;
        }
    }

    /** Stops sampling and returns what was seen. */
    stop(): TreeUsage {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        const cpuSeconds: Record<string, number> = {};
        for (const { component, ticks } of this.cpu.values()) {
            cpuSeconds[component] = (cpuSeconds[component] ?? 0) + ticks / CLOCK_TICKS_PER_SECOND;
        }
        return {
            peakRssBytes: this.enabled && this.samples > 0 ? this.peakRssPages * PAGE_BYTES : undefined,
            cpuSeconds,
            peakRssMBByComponent:
                this.peakByComponent.size > 0
                    ? Object.fromEntries(
                          [...this.peakByComponent].map(([component, pages]) => [
                              component,
                              Math.round((pages * PAGE_BYTES) / 1024 / 1024),
                          ]),
                      )
                    : undefined,
            processes: this.cpu.size,
            samples: this.samples,
        };
    }
}

/** CPU seconds one process (e.g. cognito-local) has used so far; undefined when unreadable. */
export function processCpuSeconds(pid: number): number | undefined {
    const stat = readStat(pid);
    return stat ? stat.cpuTicks / CLOCK_TICKS_PER_SECOND : undefined;
}
