/**
 * The batch's recorded users while an operation runs: starts from the previous outputs, takes each
 * user's result as it completes, and turns into the outputs to record. A user is added only once
 * Cognito has it and removed only once Cognito deleted it, so the outputs never lose track of a user.
 */
import { UserOutputs } from "../core/types";
import { recordOf, settingsOf } from "./plan";
import { BatchOutputs, BatchSettings, BatchUserRecord } from "./types";

/** Recorded users keyed by declared username, with their passwords. */
export class BatchState {
    private readonly users = new Map<string, BatchUserRecord>();
    private readonly passwords = new Map<string, string>();
    private readonly temporaryPasswords = new Map<string, string>();
    private readonly totpSecrets = new Map<string, string>();

    /** Starts from recorded outputs (empty for a create). */
    constructor(olds?: Partial<BatchOutputs>) {
        for (const [username, record] of Object.entries(olds?.users ?? {})) this.users.set(username, record);
        for (const [username, value] of Object.entries(olds?.passwords ?? {})) this.passwords.set(username, value);
        for (const [username, value] of Object.entries(olds?.temporaryPasswords ?? {})) this.temporaryPasswords.set(username, value);
        for (const [username, value] of Object.entries(olds?.totpSecrets ?? {})) this.totpSecrets.set(username, value);
    }

    /** Records a user as the lifecycle reports it after a create, update or read. */
    set(username: string, outputs: UserOutputs): void {
        this.users.set(username, recordOf(outputs));
        setOrDelete(this.passwords, username, outputs.password);
        setOrDelete(this.temporaryPasswords, username, outputs.temporaryPassword);
        setOrDelete(this.totpSecrets, username, outputs.totpSecret);
    }

    /** Forgets a user that Cognito no longer has. */
    remove(username: string): void {
        this.users.delete(username);
        this.passwords.delete(username);
        this.temporaryPasswords.delete(username);
        this.totpSecrets.delete(username);
    }

    /** How many users are recorded. */
    get size(): number {
        return this.users.size;
    }

    /** The outputs to record: the settings of the operation and every recorded user. */
    toOutputs(settings: BatchSettings): BatchOutputs {
        return {
            ...settingsOf(settings),
            users: Object.fromEntries(this.users),
            passwords: Object.fromEntries(this.passwords),
            temporaryPasswords: Object.fromEntries(this.temporaryPasswords),
            // Only when some user has one: state written before MFA existed stays as it was.
            ...(this.totpSecrets.size > 0 ? { totpSecrets: Object.fromEntries(this.totpSecrets) } : {}),
            count: this.users.size,
        };
    }
}

function setOrDelete(map: Map<string, string>, key: string, value: string | undefined): void {
    if (value === undefined) map.delete(key);
    else map.set(key, value);
}
