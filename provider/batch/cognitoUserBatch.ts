/**
 * `CognitoUserBatch`: many users of one pool as one Pulumi resource, for seeding hundreds or thousands
 * of users without paying the engine's per-resource cost (and a serialized provider) per user.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, withConnectionDefaults } from "../shared/program/connectionDefaults";
import { PackageDynamicResource } from "../shared/program/dynamicResource";
import { MfaClientArgs } from "../shared/program/mfaArgs";
import { markOutputsSecret, withSecretOutputs } from "../shared/program/secretOutputs";
import { UserFieldsArgs } from "../shared/program/userFieldsArgs";
import { applyDefaults, applyUserDefaults, BatchUserDefaults, loadUsersFile, ownsPasswordKind, splitPasswords } from "./load";
import { totpUrisOf } from "./mfa";
import { cognitoUserBatchProviderText } from "./provider";
import { QuotaRates } from "./quotas";
import { BatchUserRecord, BatchUserSpec, DeclaredPasswords } from "./types";
import { recordsOf, secretMapOf } from "./wire";
import { hasOwn } from "../shared/types";

/** One user of a batch: the same fields as a `CognitoUser`, without the pool and connection. Passwords are kept out of the user list, in a secret input. */
export interface BatchUserArgs extends UserFieldsArgs {
    /** The username; unique within the batch (compared without case). Changing it deletes the old user and creates a new one. */
    username: pulumi.Input<string>;
}

/** The inputs of a `CognitoUserBatch`. */
export interface CognitoUserBatchArgs extends ConnectionArgs, MfaClientArgs {
    /** The pool every user is in, e.g. `pool.id`. Changing it replaces the whole batch: the new users are created before the old are deleted. */
    userPoolId: pulumi.Input<string>;
    /** The users, inline. With `usersFile` too, the file's users come first; usernames must be unique across both. */
    users?: pulumi.Input<pulumi.Input<BatchUserArgs>[]>;
    /**
     * A `.csv` or `.json` file of users, relative to the project folder, read when the program runs: its
     * content becomes part of the inputs, so an edited file shows as a diff. CSV: a header row; columns
     * `username`, `password`, `temporaryPassword`, `generatePassword`, `enabled`, `groups` (separated by
     * `;`); every other column is an attribute; an empty cell leaves the field unset. JSON: an array of
     * users shaped like `users`.
     */
    usersFile?: string;
    /**
     * Fields applied to every user that does not set them. Attributes merge by name (the user's value
     * wins); a user declaring any password kind gets none of the defaults' password kinds.
     */
    defaults?: BatchUserDefaults;
    /** Cognito calls in flight at once. Default 10. */
    concurrency?: pulumi.Input<number>;
    /**
     * Requests per second per Cognito quota category, over AWS's default quotas (UserCreation 50,
     * UserAccountRecovery 30, UserRead 120, UserUpdate 25, UserResourceRead 50, UserResourceUpdate 25,
     * UserList 30, UserPoolRead 15). The quotas are per AWS account and Region, shared with everything
     * else calling Cognito there: lower them if other clients need room, raise them after a quota
     * increase. `0` turns pacing off for a category (emulators such as cognito-local have no quotas).
     */
    rates?: pulumi.Input<QuotaRates>;
    /**
     * Create: when a declared username already exists in the pool and this batch did not create it,
     * adopt that user (bring it to the declared state: attributes, groups, enabled, and the declared
     * password) instead of failing with USER_EXISTS. Default false, as for a `CognitoUser`; the stack's
     * `cognito-user:adoptExisting` sets the default. A user this batch created itself is always
     * recognised without it, even when Cognito's answer was lost or the run was interrupted.
     */
    adoptExisting?: pulumi.Input<boolean>;
}

/** What the batch reports per user. */
export type BatchUserSummary = BatchUserRecord;

/** Secret outputs: Pulumi stores them encrypted and masks them in every display. */
const SECRET_OUTPUTS = ["passwords", "temporaryPasswords", "totpSecrets"];

/** The outputs that cross Pulumi's RPCs as JSON strings (./wire.ts) and that the program decodes on first use. */
const ENCODED_OUTPUTS = ["users", "passwords", "temporaryPasswords", "totpSecrets"] as const;

/**
 * Many Amazon Cognito users of one pool as one Pulumi resource. `pulumi up` creates, updates and
 * deletes only the users that changed, paced to Cognito's request-rate quotas; a failure for some
 * users keeps every user already created in the state, and the next `pulumi up` retries the rest.
 */
export class CognitoUserBatch extends PackageDynamicResource {
    /** The pool's id. */
    declare readonly userPoolId: pulumi.Output<string>;
    /**
     * Every managed user, keyed by declared username: `{ cognitoUsername, sub, status, enabled, groups,
     * attributes }`. Decoded in the program on first use (the users travel as one JSON string); for one
     * user, `user(username)` reads the same decoded value.
     */
    declare readonly users: pulumi.Output<Record<string, BatchUserSummary>>;
    /** Permanent passwords, generated or declared, keyed by username. Secret. */
    declare readonly passwords: pulumi.Output<Record<string, string>>;
    /** Temporary passwords, keyed by username. Secret. */
    declare readonly temporaryPasswords: pulumi.Output<Record<string, string>>;
    /** Enrolled TOTP secrets (base32) of the users with `mfa.totp`, keyed by username. Secret. */
    declare readonly totpSecrets: pulumi.Output<Record<string, string> | undefined>;
    /** The `otpauth://` URIs of those secrets, keyed by username, for authenticator apps. Secret. */
    readonly totpUris: pulumi.Output<Record<string, string>>;
    /** How many users the batch manages. */
    declare readonly count: pulumi.Output<number>;
    /** AWS Region of the pool. */
    declare readonly region: pulumi.Output<string>;
    /** Cognito endpoint override, if any. */
    declare readonly endpoint: pulumi.Output<string | undefined>;

    /** Declares the users. `pulumi up` creates them with `AdminCreateUser` and `MessageAction=SUPPRESS`: no email, no SMS. */
    constructor(name: string, args: CognitoUserBatchArgs, opts?: pulumi.CustomResourceOptions) {
        // Read now, not in an apply: a missing or malformed file fails the program at once, naming the row.
        const fromFile = args?.usersFile !== undefined ? loadUsersFile(args.usersFile) : [];
        const declared =
            args?.users === undefined && args?.usersFile === undefined ? undefined : declareUsersJson(fromFile, args.users, args.defaults);
        const configuredAdopt = new pulumi.Config("cognito-user").getBoolean("adoptExisting");
        const props: Record<string, unknown> = {
            userPoolId: args?.userPoolId,
            ...withConnectionDefaults(args ?? {}, args?.userPoolId),
            concurrency: args?.concurrency,
            rates: args?.rates,
            adoptExisting: args?.adoptExisting ?? configuredAdopt ?? false,
            batchName: name,
            clientId: args?.clientId,
            // The list without passwords stays readable in diffs; the passwords go in one secret value.
            // One JSON string each, not a list of maps: Pulumi encodes a string in one step, a list field by
            // field in every process it crosses (./wire.ts). The CLI still previews the users' changes per user.
            declaredUsers: declared?.users,
            userPasswords: declared?.passwords,
            // Outputs only: declared so Pulumi exposes them on the object.
            users: undefined,
            passwords: undefined,
            temporaryPasswords: undefined,
            totpSecrets: undefined,
            count: undefined,
        };
        super(cognitoUserBatchProviderText, "CognitoUserBatch", name, props, withSecretOutputs(opts, SECRET_OUTPUTS));
        markOutputsSecret(this, SECRET_OUTPUTS);
        decodeOutputsOnFirstUse(this);
        // Made here from the secrets, so the state holds each secret once.
        this.totpUris = pulumi.secret(
            pulumi.all([this.userPoolId, this.totpSecrets]).apply(([pool, secrets]) => totpUrisOf(pool, secrets)),
        );
    }

    /**
     * One user's outputs, by declared username: `batch.user("alice").sub`. Undefined when the batch does not
     * manage that username (not declared, or not created yet because its create failed).
     */
    user(username: string): pulumi.Output<BatchUserSummary | undefined> {
        return this.users.apply((users) => (hasOwn(users, username) ? users[username] : undefined));
    }

    /** One user's permanent password (declared or generated), by declared username. Secret. */
    password(username: string): pulumi.Output<string | undefined> {
        return pulumi.secret(this.passwords.apply((all) => (hasOwn(all, username) ? all[username] : undefined)));
    }
}

/**
 * Replaces the encoded outputs the base class set (JSON strings, or maps in state written before they
 * were strings) with their decoded values, each decoded once, when first read: a program that never
 * reads a batch's users never holds them decoded.
 */
function decodeOutputsOnFirstUse(batch: CognitoUserBatch): void {
    const decoders: Record<(typeof ENCODED_OUTPUTS)[number], (value: unknown) => unknown> = {
        users: (value) => recordsOf(value) ?? {},
        passwords: (value) => secretMapOf(value, "passwords"),
        temporaryPasswords: (value) => secretMapOf(value, "temporaryPasswords"),
        totpSecrets: (value) => (value === undefined || value === null ? undefined : secretMapOf(value, "totpSecrets")),
    };
    for (const name of ENCODED_OUTPUTS) {
        const encoded = (batch as unknown as Record<string, pulumi.Output<unknown>>)[name];
        let decoded: pulumi.Output<unknown> | undefined;
        Object.defineProperty(batch, name, {
            configurable: true,
            enumerable: true,
            get: () => (decoded ??= encoded.apply(decoders[name])),
        });
    }
}

/** Whether a value holds an Output or a promise anywhere: a plain one is known now, whole. */
function holdsOutputs(value: unknown): boolean {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
    if (Array.isArray(value)) return value.some(holdsOutputs);
    if (typeof value === "object" && value !== null) return Object.values(value).some(holdsOutputs);
    return false;
}

/**
 * The users (without passwords) and their passwords as the JSON strings the batch sends (./wire.ts), the
 * passwords' secret. A declaration of plain values (a file, a generated list) is turned into the strings at
 * once: lifting 100,000 users into Outputs would cost the program hundreds of megabytes. Anything holding
 * an Output goes through `declareUsers`.
 */
export function declareUsersJson(
    fromFile: BatchUserSpec[],
    inline: pulumi.Input<pulumi.Input<BatchUserArgs>[]> | undefined,
    defaults: BatchUserDefaults | undefined,
): { users: pulumi.Output<string>; passwords: pulumi.Output<string> } {
    if (!holdsOutputs(inline) && !holdsOutputs(defaults)) {
        const split = splitPasswords(applyDefaults([...fromFile, ...((inline as BatchUserSpec[] | undefined) ?? [])], defaults));
        return { users: pulumi.output(JSON.stringify(split.users)), passwords: pulumi.secret(JSON.stringify(split.passwords)) };
    }
    const declared = declareUsers(fromFile, inline, defaults);
    return {
        users: declared.users.apply((users) => JSON.stringify(users)),
        passwords: pulumi.secret(declared.passwords.apply((passwords) => JSON.stringify(passwords))),
    };
}

/** A user entry whose fields can be read now (not an Output of a whole user). */
function isPlainUser(entry: unknown): entry is BatchUserArgs {
    return (
        typeof entry === "object" &&
        entry !== null &&
        !Array.isArray(entry) &&
        !pulumi.Output.isInstance(entry) &&
        !(entry instanceof Promise)
    );
}

/**
 * The user list (without passwords) and the secret password map, with the defaults applied. The
 * passwords are split off each user before anything is resolved, so a password from a secret (e.g.
 * `config.requireSecret`) makes only the password map secret, not the whole list; a user given as one
 * Output is split after it resolves (its secrecy then covers the list).
 */
export function declareUsers(
    fromFile: BatchUserSpec[],
    inline: pulumi.Input<pulumi.Input<BatchUserArgs>[]> | undefined,
    defaults: BatchUserDefaults | undefined,
): { users: pulumi.Output<unknown[]>; passwords: pulumi.Output<Record<string, DeclaredPasswords>> } {
    const { password: defaultPassword, temporaryPassword: defaultTemporaryPassword, ...plainDefaults } = defaults ?? {};
    const defaultPasswords = { password: defaultPassword, temporaryPassword: defaultTemporaryPassword };
    if (inline !== undefined && !Array.isArray(inline)) {
        // The whole list is an Output: split it once it resolves.
        const resolved = pulumi
            .all([pulumi.output(inline), pulumi.output(defaults ?? {})])
            .apply(([users, d]) =>
                splitPasswords(applyDefaults([...fromFile, ...(users as unknown as BatchUserSpec[])], d as BatchUserDefaults)),
            );
        return { users: resolved.users, passwords: pulumi.secret(resolved.passwords) };
    }
    const entries: Array<pulumi.Input<BatchUserArgs>> = [...fromFile, ...((inline as Array<pulumi.Input<BatchUserArgs>>) ?? [])];
    const split = entries.map((entry) => {
        if (isPlainUser(entry)) {
            const { password, temporaryPassword, ...rest } = entry;
            return { spec: rest, owns: ownsPasswordKind(entry), passwords: { username: entry.username, password, temporaryPassword } };
        }
        const user = pulumi.output(entry) as pulumi.Output<BatchUserSpec>;
        return {
            spec: user.apply(({ password: _p, temporaryPassword: _t, ...rest }) => rest),
            owns: user.apply(ownsPasswordKind),
            passwords: user.apply(({ username, password, temporaryPassword }) => ({ username, password, temporaryPassword })),
        };
    });
    const owns = pulumi.all(split.map((s) => s.owns));
    const users = pulumi
        .all([pulumi.all(split.map((s) => s.spec)), owns, pulumi.output(plainDefaults)])
        .apply(([specs, own, d]) =>
            specs.map((spec, i) => applyUserDefaults(spec as Partial<BatchUserSpec>, own[i], d as BatchUserDefaults)),
        );
    const passwords = pulumi
        .all([pulumi.all(split.map((s) => s.passwords)), owns, pulumi.output(defaultPasswords)])
        .apply(([declared, own, d]) => {
            const withDefaults = declared.map((p, i) => ({ ...p, ...(own[i] ? {} : d) }) as BatchUserSpec);
            return splitPasswords(withDefaults).passwords;
        });
    return { users, passwords: pulumi.secret(passwords) };
}
