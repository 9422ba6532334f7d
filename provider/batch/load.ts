/**
 * Program-side preparation of a batch's user list: reading a CSV or JSON file, applying batch-wide
 * defaults, and splitting the passwords out so the list itself stays readable in diffs.
 */
import * as fs from "fs";
import * as path from "path";
import { RunError } from "@pulumi/pulumi";
import { parse } from "csv-parse/sync";
import { BatchUserSpec, DeclaredPasswords } from "./types";

/** CSV columns with a meaning of their own; every other column is an attribute. */
const CSV_FIELD_COLUMNS = new Set(["username", "password", "temporaryPassword", "generatePassword", "enabled", "groups", "mfa"]);

/** A header to show in errors. */
const CSV_EXAMPLE_HEADER = "username,email,given_name,groups";

/**
 * A problem in a users file, naming the file and the row. A `RunError`: Pulumi prints its message alone,
 * without a stack trace, since the fix is in the file, not in the program.
 */
export class UsersFileError extends RunError {
    constructor(message: string) {
        super(message);
        this.name = "UsersFileError";
    }
}

function csvBoolean(value: string, column: string, where: string): boolean | undefined {
    if (value === "") return undefined;
    if (/^(true|yes|1)$/i.test(value)) return true;
    if (/^(false|no|0)$/i.test(value)) return false;
    throw new UsersFileError(`${where}: column ${column} must be true or false, not ${JSON.stringify(value)}.`);
}

/**
 * Parses a CSV users file: a header row, then one user per row. Columns `username`, `password`,
 * `temporaryPassword`, `generatePassword`, `enabled` and `groups` (names separated by `;`) are user
 * fields; every other column is an attribute. An empty cell leaves the field (or attribute) unset.
 */
export function parseUsersCsv(text: string, source = "users.csv"): BatchUserSpec[] {
    let rows: Record<string, string>[];
    let header: string[] | undefined;
    try {
        rows = parse(text, {
            columns: (names: string[]) => (header = names),
            bom: true,
            skip_empty_lines: true,
            trim: true,
        }) as Record<string, string>[];
    } catch (error) {
        throw new UsersFileError(`${source}: not valid CSV: ${(error as Error).message}`);
    }
    if (header === undefined || header.every((name) => name === "")) {
        throw new UsersFileError(
            `${source}: the file is empty; a CSV users file starts with a header row naming its columns, e.g. ${CSV_EXAMPLE_HEADER}.`,
        );
    }
    if (!header.includes("username")) {
        const near = header.find((name) => name.toLowerCase().replace(/[^a-z]/g, "") === "username");
        throw new UsersFileError(
            `${source}: the header row (${header.join(",")}) has no "username" column` +
                (near !== undefined ? ` (column names are case-sensitive: "${near}" is not "username")` : "") +
                ". The first line names the columns, " +
                `e.g. ${CSV_EXAMPLE_HEADER}: "username" and the other user fields (${[...CSV_FIELD_COLUMNS].slice(1).join(", ")}) ` +
                "by those names, every other column an attribute.",
        );
    }
    return rows.map((row, i) => {
        const where = `${source} row ${i + 2}`; // the header is row 1
        const user: BatchUserSpec = { username: row.username ?? "" };
        if (!user.username) throw new UsersFileError(`${where}: the username is empty; every user needs one.`);
        if (row.password) user.password = row.password;
        if (row.temporaryPassword) user.temporaryPassword = row.temporaryPassword;
        const generate = csvBoolean(row.generatePassword ?? "", "generatePassword", where);
        if (generate !== undefined) user.generatePassword = generate;
        const enabled = csvBoolean(row.enabled ?? "", "enabled", where);
        if (enabled !== undefined) user.enabled = enabled;
        if (row.groups) {
            user.groups = row.groups
                .split(";")
                .map((g) => g.trim())
                .filter((g) => g !== "");
        }
        if (row.mfa) user.mfa = mfaFromCell(row.mfa, where);
        const attributes: Record<string, string> = {};
        for (const [column, value] of Object.entries(row)) {
            if (CSV_FIELD_COLUMNS.has(column) || value === "") continue;
            attributes[column] = value;
        }
        if (Object.keys(attributes).length > 0) user.attributes = attributes;
        return user;
    });
}

/** An `mfa` cell: `totp`, `sms`, or both separated by `;` (the first preferred); `none` turns MFA off. */
function mfaFromCell(value: string, where: string): NonNullable<BatchUserSpec["mfa"]> {
    const methods = value
        .toLowerCase()
        .split(";")
        .map((m) => m.trim())
        .filter((m) => m !== "");
    if (methods.length === 1 && methods[0] === "none") return { totp: false, sms: false };
    const unknown = methods.filter((m) => m !== "totp" && m !== "sms");
    if (unknown.length > 0 || methods.length === 0)
        throw new UsersFileError(`${where}: column mfa must be totp, sms, "totp;sms" or none, not ${JSON.stringify(value)}.`);
    return {
        totp: methods.includes("totp"),
        sms: methods.includes("sms"),
        ...(methods.length > 1 ? { preferred: methods[0] as "totp" | "sms" } : {}),
    };
}

/** Parses a JSON users file: an array of users, each with the fields of an inline user. */
export function parseUsersJson(text: string, source = "users.json"): BatchUserSpec[] {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new UsersFileError(`${source}: not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(value)) {
        throw new UsersFileError(
            `${source}: expected an array of users, e.g. [{ "username": "alice", "attributes": { "email": "alice@example.com" } }].`,
        );
    }
    value.forEach((user, i) => {
        if (typeof user !== "object" || user === null || Array.isArray(user)) {
            throw new UsersFileError(`${source}[${i}]: each user must be an object with at least a "username".`);
        }
    });
    return value as BatchUserSpec[];
}

/**
 * Reads a users file (`.csv` or `.json`, relative to the working directory, which Pulumi sets to the
 * project's folder) at program time: its parsed content becomes part of the inputs, so an edited
 * file shows as a diff.
 */
export function loadUsersFile(file: string, cwd = process.cwd()): BatchUserSpec[] {
    const full = path.resolve(cwd, file);
    let text: string;
    try {
        text = fs.readFileSync(full, "utf8");
    } catch (error) {
        throw new UsersFileError(`cannot read the users file ${file}: ${(error as Error).message}`);
    }
    const ext = path.extname(file).toLowerCase();
    if (ext === ".csv") return parseUsersCsv(text, file);
    if (ext === ".json") return parseUsersJson(text, file);
    throw new UsersFileError(`users file ${file}: expected a .csv or .json file.`);
}

/** Batch-wide user defaults: every user field but the username. */
export type BatchUserDefaults = Omit<BatchUserSpec, "username">;

const PASSWORD_KINDS = ["password", "temporaryPassword", "generatePassword"] as const;

/** Whether the user declares a password kind of its own (which excludes the defaults' password kinds). */
export function ownsPasswordKind(user: Partial<Record<(typeof PASSWORD_KINDS)[number], unknown>>): boolean {
    return PASSWORD_KINDS.some((k) => user[k] !== undefined && user[k] !== null);
}

/**
 * Applies `defaults` to one user for every field it does not set. Attributes merge by name (the user's
 * value wins); the three password kinds count as one field: `ownsPassword` (the user declares one of
 * them, see `ownsPasswordKind`) keeps the defaults' out. Passed separately because the list may already
 * be without its passwords.
 */
export function applyUserDefaults<T extends Partial<BatchUserSpec>>(
    user: T,
    ownsPassword: boolean,
    defaults: BatchUserDefaults | undefined,
): T {
    if (!defaults || Object.keys(defaults).length === 0) return user;
    const merged: Record<string, unknown> = { ...user };
    for (const [key, value] of Object.entries(defaults)) {
        if (value === undefined) continue;
        if ((PASSWORD_KINDS as readonly string[]).includes(key)) {
            if (!ownsPassword) merged[key] = value;
        } else if (key === "attributes") {
            merged.attributes = { ...(value as Record<string, string>), ...(user.attributes ?? {}) };
        } else if (merged[key] === undefined || merged[key] === null) {
            merged[key] = value;
        }
    }
    return merged as T;
}

/** `applyUserDefaults` over a list of users that still hold their passwords. */
export function applyDefaults(users: BatchUserSpec[], defaults: BatchUserDefaults | undefined): BatchUserSpec[] {
    return users.map((user) => applyUserDefaults(user, ownsPasswordKind(user), defaults));
}

/**
 * Splits the declared passwords out of the user list: the list without them (readable in diffs) and
 * a map username → passwords (made secret by the caller).
 */
export function splitPasswords(users: BatchUserSpec[]): {
    users: Array<Omit<BatchUserSpec, "password" | "temporaryPassword">>;
    passwords: Record<string, DeclaredPasswords>;
} {
    // A Map, then Object.fromEntries: a username such as "__proto__" or "constructor" stays a plain key.
    const passwords = new Map<string, DeclaredPasswords>();
    const list = users.map((user) => {
        const { password, temporaryPassword, ...rest } = user;
        if (password !== undefined || temporaryPassword !== undefined) {
            const entry: DeclaredPasswords = {};
            if (password !== undefined && password !== null) entry.password = password;
            if (temporaryPassword !== undefined && temporaryPassword !== null) entry.temporaryPassword = temporaryPassword;
            // The first of duplicate usernames keeps its passwords; check reports the duplicate.
            if (typeof user.username === "string" && !passwords.has(user.username)) passwords.set(user.username, entry);
        }
        return rest;
    });
    return { users: list, passwords: Object.fromEntries(passwords) };
}
