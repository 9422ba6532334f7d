/**
 * Pure planning for the batch resource: `check` (every user validated before any Cognito call, with
 * property paths like `users[3].attributes.x`), the mapping between the batch's compact per-user state
 * and the single-user shapes the lifecycle works on, and `planBatch` (which users to create, update
 * and delete), reusing the single-user `validateUserInputs` and `diffUser`.
 */
import { diffUser } from "../core/diff";
import { InputFailure, UNKNOWN, UserInputs, UserOutputs } from "../core/types";
import { isUnknown, validateUserInputs } from "../core/validate";
import { dropUndefined } from "../lifecycle/outputs";
import { recordedMfaOf } from "./mfa";
import { QUOTA_CATEGORIES, QuotaRates } from "./quotas";
import { BATCH_USER_FIELDS, BatchInputs, BatchOutputs, BatchSettings, BatchUserRecord, DeclaredPasswords, DeclaredUser } from "./types";

/** Cognito calls in flight at once, by default. */
export const DEFAULT_CONCURRENCY = 10;
/** The most calls in flight the batch allows. */
export const MAX_CONCURRENCY = 100;

/** Settings that hold for the whole batch and cannot be set per user. */
const SETTINGS_FIELDS = [
    "userPoolId",
    "region",
    "endpoint",
    "profile",
    "maxAttempts",
    "adoptExisting",
    "concurrency",
    "rates",
    "batchName",
    "clientId",
];
/** Settings whose change moves the users to another pool: the batch is replaced. */
export const BATCH_REPLACE_PROPERTIES = ["userPoolId"] as const;

/**
 * Settings whose change is recorded by an update: where and how the users are reached (a new Region or
 * endpoint only once it is proven to hold the same users) and how fast; read and delete use them.
 */
export const BATCH_RECORDED_SETTINGS = ["region", "endpoint", "profile", "maxAttempts", "concurrency", "rates", "clientId"] as const;

const hasOwn = (record: object, key: string) => Object.prototype.hasOwnProperty.call(record, key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The result of `checkBatch`. */
export interface BatchCheckResult {
    /** The checked inputs (meaningful only when `failures` is empty); `declaredUsers` is UNKNOWN while preview does not know them. */
    inputs: BatchInputs;
    /** Every problem found, each naming its property. */
    failures: InputFailure[];
}

/**
 * Validates and normalizes a batch's raw inputs: the batch settings once, then every user as a
 * `CognitoUser` would be validated, its problems reported under `users[i].` (the program's name for
 * them). Duplicate usernames (compared without case) are an error. `declaredUsers` may be a list (from
 * the program) or keyed by username; passwords may come inline or in `userPasswords`.
 */
export function checkBatch(raw: Record<string, unknown>): BatchCheckResult {
    const failures: InputFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const known = (v: unknown) => v !== undefined && v !== null && !isUnknown(v);

    // Adoption only when asked, as for a single CognitoUser: a user the batch did not create is never taken over by default.
    const adoptExisting = raw.adoptExisting === undefined || raw.adoptExisting === null ? false : raw.adoptExisting;
    const connection: Record<string, unknown> = {
        userPoolId: raw.userPoolId,
        region: raw.region,
        endpoint: raw.endpoint,
        profile: raw.profile,
        maxAttempts: raw.maxAttempts,
        adoptExisting,
        clientId: raw.clientId,
    };
    // The connection is validated once, as any user's would be; per-user validation then skips it.
    const base = validateUserInputs({ ...connection, username: "batch" });
    for (const failure of base.failures) if (SETTINGS_FIELDS.includes(failure.property)) failures.push(failure);

    const concurrency = raw.concurrency;
    if (
        known(concurrency) &&
        (typeof concurrency !== "number" || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    ) {
        fail("concurrency", `concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (calls in flight at once).`);
    }
    const rates = raw.rates;
    if (known(rates)) {
        if (!isPlainObject(rates)) {
            fail("rates", "rates must map quota categories to requests per second, e.g. `{ userCreation: 50 }`.");
        } else {
            for (const [category, value] of Object.entries(rates)) {
                if (!(QUOTA_CATEGORIES as string[]).includes(category)) {
                    fail(`rates.${category}`, `"${category}" is not a quota category; expected one of ${QUOTA_CATEGORIES.join(", ")}.`);
                } else if (!isUnknown(value) && (typeof value !== "number" || !Number.isFinite(value) || value < 0)) {
                    fail(`rates.${category}`, "a rate is a number of requests per second, 0 or more (0: not paced).");
                }
            }
        }
    }
    if (known(raw.batchName) && typeof raw.batchName !== "string") fail("batchName", "batchName must be a string.");

    const settings: BatchSettings = dropUndefined({
        userPoolId: base.inputs.userPoolId,
        region: base.inputs.region,
        endpoint: base.inputs.endpoint,
        profile: base.inputs.profile,
        maxAttempts: base.inputs.maxAttempts,
        concurrency: known(concurrency) ? (concurrency as number) : DEFAULT_CONCURRENCY,
        rates: known(rates) ? (rates as QuotaRates) : undefined,
        adoptExisting: adoptExisting as boolean,
        batchName: known(raw.batchName) ? (raw.batchName as string) : undefined,
        clientId: base.inputs.clientId,
    });

    const rawPasswords = raw.userPasswords;
    if (known(rawPasswords) && !isPlainObject(rawPasswords))
        fail("userPasswords", "userPasswords must map usernames to { password?, temporaryPassword? }.");
    const passwordsOf = (username: string): DeclaredPasswords | undefined => {
        if (!isPlainObject(rawPasswords) || !hasOwn(rawPasswords, username)) return undefined;
        const entry = rawPasswords[username];
        return isPlainObject(entry) ? (entry as DeclaredPasswords) : undefined;
    };

    const rawUsers = raw.declaredUsers;
    let entries: Array<[string, unknown]> = [];
    let usersUnknown = isUnknown(rawUsers);
    if (rawUsers === undefined || rawUsers === null) {
        fail("users", 'declare the users: `users: [{ username: ... }]` or `usersFile: "seed/users.csv"`.');
    } else if (Array.isArray(rawUsers)) {
        entries = rawUsers.map((spec, i) => [`users[${i}]`, spec]);
    } else if (isPlainObject(rawUsers)) {
        entries = Object.entries(rawUsers).map(([username, spec]) => [
            `users[${JSON.stringify(username)}]`,
            isPlainObject(spec) ? { username, ...spec } : spec,
        ]);
    } else if (!usersUnknown) {
        fail("users", "users must be a list of users, each with a username.");
    }

    const declared = new Map<string, DeclaredUser>();
    const passwords = new Map<string, DeclaredPasswords>();
    const seen = new Map<string, string>();
    for (const [path, spec] of entries) {
        if (isUnknown(spec) || (isPlainObject(spec) && isUnknown(spec.username))) {
            usersUnknown = true; // a user whose name preview does not know yet: the whole list is not known
            continue;
        }
        if (!isPlainObject(spec)) {
            fail(path, 'each user must be an object with at least a username, e.g. `{ username: "alice" }`.');
            continue;
        }
        for (const key of Object.keys(spec)) {
            if ((BATCH_USER_FIELDS as readonly string[]).includes(key)) continue;
            if (SETTINGS_FIELDS.includes(key)) fail(`${path}.${key}`, `${key} is set for the whole batch, not per user.`);
            else fail(`${path}.${key}`, `"${key}" is not a user field; expected one of ${BATCH_USER_FIELDS.join(", ")}.`);
        }
        const fields: Record<string, unknown> = {};
        for (const key of BATCH_USER_FIELDS) if (spec[key] !== undefined && spec[key] !== null) fields[key] = spec[key];
        const username = fields.username;
        const declaredPasswords = typeof username === "string" ? passwordsOf(username) : undefined;
        const { inputs, failures: userFailures } = validateUserInputs(
            { ...connection, ...fields, ...(declaredPasswords ?? {}) },
            `${path}.`,
        );
        for (const failure of userFailures) {
            const property = failure.property.slice(path.length + 1);
            if (!SETTINGS_FIELDS.includes(property)) failures.push(failure);
        }
        if (typeof username !== "string" || username === "") continue;
        const lower = username.toLowerCase();
        const first = seen.get(lower);
        if (first !== undefined) {
            fail(
                `${path}.username`,
                `username "${username}" is declared twice (first at ${first}): usernames must be unique in a batch, compared without case as Cognito pools usually compare them.`,
            );
            continue;
        }
        seen.set(lower, path);
        declared.set(username, declaredUserOf(inputs));
        const userPasswords = dropUndefined({ password: inputs.password, temporaryPassword: inputs.temporaryPassword });
        if (Object.keys(userPasswords).length > 0) passwords.set(username, userPasswords);
    }

    const inputs: BatchInputs = {
        ...settings,
        declaredUsers: usersUnknown ? (UNKNOWN as unknown as Record<string, DeclaredUser>) : Object.fromEntries(declared),
        userPasswords: isUnknown(rawPasswords) ? (UNKNOWN as unknown as Record<string, DeclaredPasswords>) : Object.fromEntries(passwords),
    };
    return { inputs, failures };
}

/** Only the batch settings of inputs or outputs (no users, passwords or provider). */
export function settingsOf(source: BatchSettings): BatchSettings {
    return dropUndefined({
        userPoolId: source.userPoolId,
        region: source.region,
        endpoint: source.endpoint,
        profile: source.profile,
        maxAttempts: source.maxAttempts,
        concurrency: source.concurrency,
        rates: source.rates,
        adoptExisting: source.adoptExisting,
        batchName: source.batchName,
        clientId: source.clientId,
    });
}

/** A user's checked inputs in the batch's compact form: defaults left out. */
export function declaredUserOf(inputs: UserInputs): DeclaredUser {
    const user: DeclaredUser = { attributes: inputs.attributes ?? {} };
    if (Array.isArray(inputs.groups) && inputs.groups.length > 0) user.groups = inputs.groups;
    if (inputs.enabled === false) user.enabled = false;
    if (inputs.generatePassword === true) user.generatePassword = true;
    if (inputs.clientMetadata !== undefined) user.clientMetadata = inputs.clientMetadata;
    if (inputs.validationData !== undefined) user.validationData = inputs.validationData;
    if (inputs.forceAliasCreation === true) user.forceAliasCreation = true;
    if (inputs.mfa !== undefined) user.mfa = inputs.mfa;
    return user;
}

/** The single-user inputs of one batch user, as `createUser` and `updateUser` take them. */
export function userInputsOf(settings: BatchSettings, username: string, user: DeclaredUser, passwords?: DeclaredPasswords): UserInputs {
    return dropUndefined({
        userPoolId: settings.userPoolId,
        username,
        attributes: user.attributes ?? {},
        password: passwords?.password,
        temporaryPassword: passwords?.temporaryPassword,
        generatePassword: user.generatePassword === true,
        enabled: user.enabled !== false,
        groups: user.groups ?? [],
        clientMetadata: user.clientMetadata,
        validationData: user.validationData,
        forceAliasCreation: user.forceAliasCreation === true,
        adoptExisting: settings.adoptExisting,
        region: settings.region,
        endpoint: settings.endpoint,
        profile: settings.profile,
        maxAttempts: settings.maxAttempts,
        mfa: user.mfa,
        clientId: settings.clientId,
    });
}

/** The single-user outputs of one recorded batch user, as `diffUser`, `updateUser` and `readUser` take them. */
export function userOutputsOf(
    settings: BatchSettings,
    username: string,
    record: BatchUserRecord,
    recorded: Pick<BatchOutputs, "passwords" | "temporaryPasswords" | "totpSecrets">,
): UserOutputs {
    const passwords = recorded.passwords ?? {};
    const temporaryPasswords = recorded.temporaryPasswords ?? {};
    return dropUndefined({
        ...userInputsOf(settings, username, {
            attributes: record.attributes ?? {},
            groups: record.groups,
            enabled: record.enabled === false ? false : undefined,
            generatePassword: record.generatePassword,
            mfa: record.mfa,
        }),
        ...recordedMfaOf(username, record, recorded),
        adoptExisting: false,
        password: hasOwn(passwords, username) ? passwords[username] : undefined,
        temporaryPassword: hasOwn(temporaryPasswords, username) ? temporaryPasswords[username] : undefined,
        enabled: record.enabled !== false,
        groups: record.groups ?? [],
        cognitoUsername: record.cognitoUsername,
        sub: record.sub,
        status: record.status,
        createdAt: "",
        lastModifiedAt: "",
        passwordManaged: record.passwordManaged !== false,
    });
}

/** What the batch records for a user, from the lifecycle's outputs: only what the next diff and the program need. */
export function recordOf(outputs: UserOutputs): BatchUserRecord {
    const record: BatchUserRecord = {
        cognitoUsername: outputs.cognitoUsername,
        sub: outputs.sub,
        status: outputs.status,
        enabled: outputs.enabled,
        groups: outputs.groups,
        attributes: outputs.attributes,
    };
    if (outputs.generatePassword) record.generatePassword = true;
    if (outputs.passwordManaged === false) record.passwordManaged = false;
    if (outputs.mfa !== undefined) record.mfa = outputs.mfa;
    return record;
}

/** An update of one user: its recorded outputs, its new inputs, and what changed. */
export interface PlannedUpdate {
    olds: UserOutputs;
    news: UserInputs;
    changed: string[];
}

/** What an update of the batch does, user by user. */
export interface BatchPlan {
    /** Declared users the state does not have. */
    create: UserInputs[];
    /** Recorded users whose declaration changed. */
    update: PlannedUpdate[];
    /** Recorded users no longer declared: the declared username and its record. */
    delete: Array<{ username: string; record: BatchUserRecord }>;
    /** Declared usernames with nothing to do. */
    unchanged: string[];
}

/** Settings whose change replaces the whole batch (it would move every user), unknown ones included. */
export function batchReplaces(olds: Partial<BatchSettings>, news: BatchSettings): string[] {
    return BATCH_REPLACE_PROPERTIES.filter((key) => isUnknown(news[key]) || (olds[key] ?? undefined) !== (news[key] ?? undefined));
}

/** Recorded settings the new inputs change (an update records them), unknown ones included. */
export function batchSettingsChanges(olds: Partial<BatchSettings>, news: BatchSettings): string[] {
    const canonical = (v: unknown) =>
        JSON.stringify(isPlainObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : (v ?? null));
    const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
    return BATCH_RECORDED_SETTINGS.filter((key) => isUnknown(news[key]) || !same(olds[key], news[key]));
}

/**
 * Plans an in-place update of the batch: create the declared users the state lacks, update the ones
 * whose declaration differs from the record (per `diffUser`), delete the ones no longer declared.
 */
export function planBatch(olds: Partial<BatchOutputs>, news: BatchInputs): BatchPlan {
    const recorded = olds.users ?? {};
    const recordedPasswords = {
        passwords: olds.passwords ?? {},
        temporaryPasswords: olds.temporaryPasswords ?? {},
        totpSecrets: olds.totpSecrets,
    };
    const plan: BatchPlan = { create: [], update: [], delete: [], unchanged: [] };
    const declaredPasswords = isPlainObject(news.userPasswords) ? news.userPasswords : {};
    for (const [username, user] of Object.entries(news.declaredUsers)) {
        const passwords = hasOwn(declaredPasswords, username) ? declaredPasswords[username] : undefined;
        const inputs = userInputsOf(news, username, user, passwords);
        if (!hasOwn(recorded, username)) {
            plan.create.push(inputs);
            continue;
        }
        const outputs = userOutputsOf(news, username, recorded[username], recordedPasswords);
        const { changed } = diffUser(outputs, inputs);
        if (changed.length > 0) plan.update.push({ olds: outputs, news: inputs, changed });
        else plan.unchanged.push(username);
    }
    for (const [username, record] of Object.entries(recorded)) {
        if (!hasOwn(news.declaredUsers, username)) plan.delete.push({ username, record });
    }
    return plan;
}

/** Whether the plan makes any Cognito call. */
export function planHasChanges(plan: BatchPlan): boolean {
    return plan.create.length + plan.update.length + plan.delete.length > 0;
}
