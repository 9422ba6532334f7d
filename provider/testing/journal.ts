/**
 * The fixture's journal: one JSON line per step of a user's life, appended to `journal.jsonl` in the
 * run's folder before and after each write, so a run killed at any moment leaves behind what the next
 * run needs to find and remove its users (./journalRecovery.ts). It holds names, ids and where the pool
 * is; never a password (generated passwords live only in the process that made them).
 */
import * as fs from "fs";
import * as path from "path";

/** Where the user's pool is reached, as the provider's `Connection` records it (never credentials). */
export interface JournalConnection {
    /** AWS Region of the pool. */
    region: string;
    /** Endpoint override (cognito-local, LocalStack, moto); AWS's when absent. */
    endpoint?: string;
    /** Named AWS profile; the default credential chain when absent. */
    profile?: string;
}

/** Appended just before `AdminCreateUser`: the user may exist from here on. */
export interface CreatingEntry {
    /** The step. */
    kind: "creating";
    /** The user's key in the declaration. */
    key: string;
    /** The username sent to `AdminCreateUser`. */
    username: string;
    /** The pool. */
    userPoolId: string;
    /** Where the pool is reached. */
    connection: JournalConnection;
    /** The attributes sent: with the time, how a user whose answer was never read is recognised as this create's. */
    attributes: Record<string, string>;
    /** Local time (ms) before the create's first try: a user created earlier is never ours. */
    startedAt: number;
}

/** Appended once the create answered: the identity a later delete proves (canonical Username and sub). */
export interface CreatedEntry {
    /** The step. */
    kind: "created";
    /** The user's key in the declaration. */
    key: string;
    /** The Username Cognito assigned. */
    cognitoUsername: string;
    /** The user's immutable id. */
    sub: string;
}

/** Appended once the user is deleted (or proven gone): nothing is left to recover. */
export interface DeletedEntry {
    /** The step. */
    kind: "deleted";
    /** The user's key in the declaration. */
    key: string;
}

/** One line of the journal. */
export type JournalEntry = CreatingEntry | CreatedEntry | DeletedEntry;

/** What the journal says about one user. */
export interface JournaledUser {
    /** Its `creating` entry. */
    creating: CreatingEntry;
    /** Its `created` entry, when the create answered before the run ended. */
    created?: CreatedEntry;
    /** Whether it was deleted already. */
    deleted: boolean;
}

/** The journal file of the run folder `runDir`. */
export function journalPath(runDir: string): string {
    return path.join(runDir, "journal.jsonl");
}

/** Appends one entry; a line reaches the file whole before the call returns (one `write` with O_APPEND). */
export function appendJournal(runDir: string, entry: JournalEntry): void {
    fs.appendFileSync(journalPath(runDir), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
}

/** Every entry of the run's journal, in order; a line cut short by a kill (the last one) is skipped. Empty when there is none. */
export function readJournal(runDir: string): JournalEntry[] {
    let text: string;
    try {
        text = fs.readFileSync(journalPath(runDir), "utf8");
    } catch {
        return [];
    }
    const entries: JournalEntry[] = [];
    for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        try {
            entries.push(JSON.parse(line) as JournalEntry);
        } catch {
            // Torn by the kill: that step never completed its write.
        }
    }
    return entries;
}

/** The journal's users by key: the latest `creating` of each key with what followed it. */
export function journaledUsers(entries: JournalEntry[]): Map<string, JournaledUser> {
    const users = new Map<string, JournaledUser>();
    for (const entry of entries) {
        if (entry.kind === "creating") users.set(entry.key, { creating: entry, deleted: false });
        const user = users.get(entry.key);
        if (!user) continue;
        if (entry.kind === "created") user.created = entry;
        if (entry.kind === "deleted") user.deleted = true;
    }
    return users;
}
