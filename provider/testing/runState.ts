/**
 * Per-run state of test fixtures on disk: one folder per fixture run under a well-known root, holding
 * `run.json` naming the process that owns the run, the journal of its users (./journal.ts), the embedded
 * Cognito's data and, for a shared run, its users for the workers (./sharedRun.ts). A run whose owner died (a killed test process) is found by the next
 * fixture that starts, which claims it and cleans it up: that is how a crash leaves nothing behind.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Default root of the per-run folders: shared by every fixture on the machine, so any run can clean up after a crashed one. */
export const DEFAULT_STATE_ROOT: string = path.join(os.tmpdir(), "pulumi-cognito-user-fixtures");

/** Prefix of a run folder whose owner is (or was) running a fixture. */
const RUN_PREFIX = "run-";
/** Prefix of a run folder that a cleaner renamed to claim it. */
const CLAIMED_PREFIX = "claimed-";
/** A folder without its record is either being created right now or a leftover of a crash during creation. */
const UNRECORDED_GRACE_MS = 10 * 60 * 1000;

/** A process, identified so that a recycled pid is not mistaken for the original. */
export interface ProcessIdentity {
    /** The process id. */
    pid: number;
    /** When the process started, as the OS reports it; absent where it cannot be read. */
    start?: string;
}

/** What `run.json` records about a run: everything a later process needs to clean it up. */
export interface RunRecord {
    /** Format version of this record. */
    version: 1;
    /** The process that owns the run. */
    owner: ProcessIdentity;
    /** Host of the owner: a pid means nothing on another machine sharing the folder. */
    hostname: string;
    /** When the run started (ISO 8601). */
    createdAt: string;
    /** Pulumi project name: runs of earlier versions (0.1.0), which kept their users in a Pulumi stack, only. */
    projectName?: string;
    /** The run's name, unique per run, for messages (`<name>-<pid>-<id>`); earlier versions' stack name. */
    stackName: string;
    /** Passphrase of the stack's secrets: runs of earlier versions only (mode 0600). */
    passphrase?: string;
    /** `embedded`: users live in a cognito-local this run started; `pool`: in a pool the caller gave. */
    mode: "embedded" | "pool";
    /** The embedded Cognito's process, once started. */
    cognitoLocal?: ProcessIdentity & { endpoint: string };
    /** Where the users are, once known. */
    pool?: { userPoolId: string; region: string; endpoint?: string; profile?: string };
    /** Usernames by user key, for messages about leftovers. */
    usernames: Record<string, string>;
}

/** One run's folders. */
export interface RunPaths {
    /** The run folder. */
    dir: string;
    /** `run.json`. */
    record: string;
    /** The Pulumi file backend of a run of an earlier version (0.1.0). */
    backend: string;
    /** The Automation API work folder of a run of an earlier version (0.1.0). */
    workDir: string;
    /** The embedded Cognito's data folder. */
    cognitoLocalData: string;
}

/** The folders of the run at `dir`. */
export function runPaths(dir: string): RunPaths {
    return {
        dir,
        record: path.join(dir, "run.json"),
        backend: path.join(dir, "backend"),
        workDir: path.join(dir, "work"),
        cognitoLocalData: path.join(dir, "cognito-local"),
    };
}

/** When the process started, from /proc on Linux or `ps` elsewhere; undefined when unknown (or no such process). */
export function processStart(pid: number): string | undefined {
    try {
        // Field 22 of /proc/<pid>/stat; the command name (field 2) may contain spaces, so count from the last ")".
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch {
        // No /proc (macOS) or no such process.
    }
    if (process.platform === "win32" || fs.existsSync("/proc/self/stat")) return undefined;
    try {
        return (
            execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() ||
            undefined
        );
    } catch {
        return undefined;
    }
}

/** Whether the process has exited and only waits to be reaped (Linux; false where unknown). */
function isZombie(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
    } catch {
        return false;
    }
}

/** This process's identity. */
export function currentProcess(): ProcessIdentity {
    return { pid: process.pid, start: processStart(process.pid) };
}

/** Whether the process still runs (and is the same process, where its start time is known). */
export function isAlive(identity: ProcessIdentity): boolean {
    try {
        process.kill(identity.pid, 0);
    } catch (error) {
        // EPERM: it exists but belongs to someone else.
        if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
    }
    if (isZombie(identity.pid)) return false;
    if (identity.start === undefined) return true;
    const start = processStart(identity.pid);
    return start === undefined || start === identity.start;
}

/** A Pulumi process, by its command line: the CLI, the language host, the program it runs, or the dynamic-provider host. */
const PULUMI_PROCESS =
    /(^|[\\/ ])(pulumi|pulumi-language-nodejs(\.js)?|pulumi-resource-pulumi-nodejs)( |$)|[\\/]cmd[\\/](dynamic-provider|run)( |$|[\\/])/;

/**
 * The Pulumi processes (CLI, language host and its program, dynamic-provider host) working in `dir` or below: the engine
 * starts every plugin with the project's folder as its working folder, so these are a run's, whoever
 * their parent is now. Linux only (/proc); elsewhere none.
 */
export function pulumiProcessesIn(dir: string): number[] {
    if (!fs.existsSync("/proc/self/cwd")) return [];
    let root: string;
    try {
        root = fs.realpathSync(dir);
    } catch {
        return [];
    }
    const found: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        const pid = Number(entry);
        if (!Number.isInteger(pid) || pid === process.pid) continue;
        let cwd: string;
        try {
            cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
        } catch {
            continue;
        }
        if (cwd !== root && !cwd.startsWith(`${root}${path.sep}`)) continue;
        if (!isZombie(pid) && PULUMI_PROCESS.test(commandLine(pid))) found.push(pid);
    }
    return found;
}

/** The process's command line, or "" when unknown. */
export function commandLine(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    } catch {
        // Fall through to ps.
    }
    try {
        return execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "";
    }
}

/** Creates a new run folder owned by this process and writes its record before anything else happens in it. */
export function createRun(
    root: string,
    record: Omit<RunRecord, "version" | "owner" | "hostname" | "createdAt">,
): { paths: RunPaths; record: RunRecord } {
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
    const dir = fs.mkdtempSync(path.join(root, `${RUN_PREFIX}${process.pid}-`));
    const paths = runPaths(dir);
    const full: RunRecord = {
        version: 1,
        owner: currentProcess(),
        hostname: os.hostname(),
        createdAt: new Date().toISOString(),
        ...record,
    };
    writeRecord(paths, full);
    return { paths, record: full };
}

/** (Re)writes `run.json` atomically, readable by this user only (earlier versions kept a passphrase in it). */
export function writeRecord(paths: RunPaths, record: RunRecord): void {
    const temp = `${paths.record}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(record, null, 2), { mode: 0o600 });
    fs.renameSync(temp, paths.record);
}

/** Reads `run.json`; undefined when it is missing or unreadable. */
export function readRecord(paths: RunPaths): RunRecord | undefined {
    try {
        const record = JSON.parse(fs.readFileSync(paths.record, "utf8")) as RunRecord;
        return record.version === 1 ? record : undefined;
    } catch {
        return undefined;
    }
}

/** A run left behind by a dead process, claimed by this one for cleanup. */
export interface StaleRun {
    /** Its folders, after the claim renamed it. */
    paths: RunPaths;
    /** Its record; undefined for a folder that died before its record was written. */
    record?: RunRecord;
}

/** Whether the folder at `dir` belongs to a dead process (or to no one for too long). */
function isStale(dir: string, name: string): boolean {
    const paths = runPaths(dir);
    if (name.startsWith(CLAIMED_PREFIX)) {
        // A claimed folder records its cleaner: stale again only when that cleaner died too.
        const cleaner = readJson<ProcessIdentity & { hostname?: string }>(path.join(dir, "cleaner.json"));
        if (cleaner) return cleaner.hostname === os.hostname() && !isAlive(cleaner);
        return olderThan(dir, UNRECORDED_GRACE_MS);
    }
    const record = readRecord(paths);
    if (!record) return olderThan(dir, UNRECORDED_GRACE_MS);
    return record.hostname === os.hostname() && !isAlive(record.owner);
}

/**
 * Finds runs under `root` whose owner died and claims each by renaming it (atomic: of two processes
 * cleaning at once, exactly one wins a folder) and recording this process as its cleaner. The caller
 * cleans them up and removes them; a folder it fails to clean stays claimed by a process that will die,
 * so a later run retries it.
 */
export function claimStaleRuns(root: string): StaleRun[] {
    let names: string[];
    try {
        names = fs.readdirSync(root);
    } catch {
        return [];
    }
    const claimed: StaleRun[] = [];
    for (const name of names) {
        if (!name.startsWith(RUN_PREFIX) && !name.startsWith(CLAIMED_PREFIX)) continue;
        const dir = path.join(root, name);
        if (!isStale(dir, name)) continue;
        const target = path.join(root, `${CLAIMED_PREFIX}${process.pid}-${crypto.randomBytes(6).toString("hex")}`);
        try {
            fs.renameSync(dir, target);
        } catch {
            continue; // Another process claimed it first.
        }
        fs.writeFileSync(path.join(target, "cleaner.json"), JSON.stringify({ ...currentProcess(), hostname: os.hostname() }));
        const paths = runPaths(target);
        claimed.push({ paths, record: readRecord(paths) });
    }
    return claimed;
}

/** Every run folder under `root` (live, stale or claimed): for tests and diagnostics. */
export function listRunDirs(root: string): string[] {
    try {
        return fs
            .readdirSync(root)
            .filter((name) => name.startsWith(RUN_PREFIX) || name.startsWith(CLAIMED_PREFIX))
            .map((name) => path.join(root, name));
    } catch {
        return [];
    }
}

/** Whether `dir` was last modified more than `ms` ago (a vanished folder counts as old). */
function olderThan(dir: string, ms: number): boolean {
    try {
        return Date.now() - fs.statSync(dir).mtimeMs > ms;
    } catch {
        return true;
    }
}

/** Parses a JSON file; undefined when missing or malformed. */
function readJson<T>(file: string): T | undefined {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as T;
    } catch {
        return undefined;
    }
}
