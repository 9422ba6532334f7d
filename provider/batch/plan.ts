/**
 * Pure planning for the batch resource: the mapping between the batch's compact per-user state and the
 * single-user shapes the lifecycle works on, and `planBatch` (which users to create, update and
 * delete), reusing the single-user `diffUser`.
 */
import { diffUser } from "../shared/diff";
import { dropUndefined, hasOwn, isPlainObject, UserInputs, UserOutputs } from "../shared/types";
import { hasUnknown, isUnknown } from "../shared/unknown";
import { recordedMfaOf } from "./mfa";
import { BatchInputs, BatchOutputs, BatchSettings, BatchUserRecord, DeclaredPasswords, DeclaredUser } from "./types";

/** Settings whose change moves the users to another pool: the batch is replaced. */
export const BATCH_REPLACE_PROPERTIES = ["userPoolId"] as const;

/**
 * Settings whose change is recorded by an update: where and how the users are reached (a new Region or
 * endpoint only once it is proven to hold the same users) and how fast; read and delete use them.
 */
export const BATCH_RECORDED_SETTINGS = ["region", "endpoint", "profile", "maxAttempts", "concurrency", "rates", "clientId"] as const;

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
        resourceUrn: source.resourceUrn,
    });
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

/** Whether two string maps hold the same names with the same values. */
function sameStrings(a: Record<string, string>, b: Record<string, string>): boolean {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) if (!hasOwn(b, key) || a[key] !== b[key]) return false;
    return true;
}

/** Whether two lists hold the same items in the same order. */
function sameItems(a: readonly string[], b: readonly string[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
}

/**
 * The common case of a no-change `up`, decided from the compact record and declaration alone, without
 * building a user's single-user inputs and outputs: true only when `diffUser` would find no change (the
 * same attributes, groups, `enabled`, password settings, and no MFA on either side). False means "ask
 * `diffUser`", never "changed": anything less plain (MFA, a value unknown in preview, groups in another
 * order) takes the full diff.
 */
export function recordStillDeclared(
    record: BatchUserRecord,
    user: DeclaredUser,
    declared: DeclaredPasswords | undefined,
    recorded: { password?: string; temporaryPassword?: string },
): boolean {
    if (user.mfa !== undefined || record.mfa !== undefined) return false;
    if ((record.enabled !== false) !== (user.enabled !== false)) return false;
    const generate = user.generatePassword === true;
    if ((record.generatePassword === true) !== generate) return false;
    const password = declared?.password;
    if (password !== recorded.password && !(password === undefined && generate)) return false;
    if (declared?.temporaryPassword !== recorded.temporaryPassword) return false;
    if (!sameItems(record.groups ?? [], user.groups ?? [])) return false;
    if (!sameStrings(record.attributes ?? {}, user.attributes ?? {})) return false;
    return !hasUnknown(user) && !hasUnknown(declared);
}

/**
 * Plans an in-place update of the batch: create the declared users the state lacks, update the ones
 * whose declaration differs from the record (per `diffUser`), delete the ones no longer declared.
 * A user whose record plainly matches its declaration (`recordStillDeclared`) is unchanged without
 * the full diff, so a no-change `up` of many users costs little.
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
        if (!hasOwn(recorded, username)) {
            plan.create.push(userInputsOf(news, username, user, passwords));
            continue;
        }
        const record = recorded[username];
        const recordedPassword = {
            password: hasOwn(recordedPasswords.passwords, username) ? recordedPasswords.passwords[username] : undefined,
            temporaryPassword: hasOwn(recordedPasswords.temporaryPasswords, username)
                ? recordedPasswords.temporaryPasswords[username]
                : undefined,
        };
        if (recordStillDeclared(record, user, passwords, recordedPassword)) {
            plan.unchanged.push(username);
            continue;
        }
        const inputs = userInputsOf(news, username, user, passwords);
        const outputs = userOutputsOf(news, username, record, recordedPasswords);
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
