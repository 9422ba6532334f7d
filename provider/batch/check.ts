/**
 * The batch's `check`: every user validated before any Cognito call, as a `CognitoUser` would be (the
 * single-user `validateUserInputs`), with property paths like `users[3].attributes.x`, duplicates found
 * without case, and the users recorded in the batch's compact form.
 */
import { dropUndefined, hasOwn, InputFailure, isPlainObject, UserInputs } from "../shared/types";
import { RawInputs } from "../shared/handlers";
import { isKnown, isUnknown, UNKNOWN } from "../shared/unknown";
import { validateUserInputs } from "../shared/validate";
import { QUOTA_CATEGORIES, QuotaRates } from "./quotas";
import { BATCH_USER_FIELDS, BatchInputs, BatchSettings, DeclaredPasswords, DeclaredUser } from "./types";

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
export function checkBatch(raw: RawInputs<BatchInputs>): BatchCheckResult {
    const failures: InputFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });

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
        resourceUrn: raw.resourceUrn,
    };
    // The connection is validated once, as any user's would be; per-user validation then skips it.
    const base = validateUserInputs({ ...connection, username: "batch" });
    for (const failure of base.failures) if (SETTINGS_FIELDS.includes(failure.property)) failures.push(failure);

    const concurrency = raw.concurrency;
    if (
        isKnown(concurrency) &&
        (typeof concurrency !== "number" || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    ) {
        fail("concurrency", `concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (calls in flight at once).`);
    }
    const rates = raw.rates;
    if (isKnown(rates)) {
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
    if (isKnown(raw.batchName) && typeof raw.batchName !== "string") fail("batchName", "batchName must be a string.");

    const settings: BatchSettings = dropUndefined({
        userPoolId: base.inputs.userPoolId,
        region: base.inputs.region,
        endpoint: base.inputs.endpoint,
        profile: base.inputs.profile,
        maxAttempts: base.inputs.maxAttempts,
        concurrency: isKnown(concurrency) ? (concurrency as number) : DEFAULT_CONCURRENCY,
        rates: isKnown(rates) ? (rates as QuotaRates) : undefined,
        adoptExisting: adoptExisting as boolean,
        batchName: isKnown(raw.batchName) ? (raw.batchName as string) : undefined,
        clientId: base.inputs.clientId,
        resourceUrn: base.inputs.resourceUrn,
    });

    // The program sends the users and their passwords as JSON strings (./wire.ts); tests may pass them decoded.
    const rawPasswords = parsedOrFailure(raw.userPasswords, "userPasswords", fail);
    if (isKnown(rawPasswords) && rawPasswords !== UNPARSEABLE && !isPlainObject(rawPasswords))
        fail("userPasswords", "userPasswords must map usernames to { password?, temporaryPassword? }.");
    const passwordsOf = (username: string): DeclaredPasswords | undefined => {
        if (!isPlainObject(rawPasswords) || !hasOwn(rawPasswords, username)) return undefined;
        const entry = rawPasswords[username];
        return isPlainObject(entry) ? (entry as DeclaredPasswords) : undefined;
    };

    const rawUsers = parsedOrFailure(raw.declaredUsers, "users", fail);
    let entries: Array<[string, unknown]> = [];
    let usersUnknown = isUnknown(rawUsers);
    if (rawUsers === UNPARSEABLE) {
        // Already reported by parsedOrFailure.
    } else if (rawUsers === undefined || rawUsers === null) {
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

/** What `parsedOrFailure` answers for a string that is not JSON, once it reported it. */
const UNPARSEABLE = Symbol("unparseable");

/** A JSON string's value (anything else as it is); a failure on `property`, and UNPARSEABLE, when it does not parse. */
function parsedOrFailure(value: unknown, property: string, fail: (property: string, reason: string) => void): unknown {
    if (typeof value !== "string" || isUnknown(value)) return value;
    try {
        return JSON.parse(value);
    } catch {
        // Never the value: it may hold passwords.
        fail(property, `${property} must be the JSON the CognitoUserBatch class sends; it does not parse.`);
        return UNPARSEABLE;
    }
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
