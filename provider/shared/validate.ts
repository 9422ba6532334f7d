/**
 * `check`: every input validated and normalized before any Cognito call, each failure naming the
 * property and the fix.
 */
import { attributeNameProblem, MAX_ATTRIBUTE_VALUE, normalizeAttributes } from "./attributes";
import { validateMfa } from "./mfa";
import { DEFAULT_MAX_ATTEMPTS, InputFailure, isPlainObject, RawInputs, UserInputs } from "./types";
import { isKnown, isUnknown, UNKNOWN } from "./unknown";

/** Cognito's user pool id: `<region>_<id>` (real: `eu-west-1_AbCdEf123`; cognito-local: `local_AbCd1234`). */
const poolIdPattern = /^[\w-]+_[0-9a-zA-Z]+$/;
/** Cognito's pattern for usernames and group names: no white space or control characters. */
const namePattern = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
/** A real pool id starts with its Region. */
const regionPrefix = /^([a-z]{2}(?:-[a-z]+)+-\d)_/;

/** The Region a real pool id names (`eu-west-1_AbCdEf123` → `eu-west-1`), if it names one. */
export function regionFromPoolId(userPoolId: string): string | undefined {
    return regionPrefix.exec(userPoolId)?.[1];
}

function isStringRecord(value: unknown): value is Record<string, string> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    for (const key of Object.keys(value)) if (typeof (value as Record<string, unknown>)[key] !== "string") return false;
    return true;
}

/** The failure of a non-string attribute value, naming the attribute (Cognito's values are strings). */
function nonStringAttribute(name: string, value: unknown): string {
    const kind =
        value === null || value === undefined
            ? String(value)
            : Array.isArray(value)
              ? "a list"
              : typeof value === "object"
                ? "an object"
                : `a ${typeof value}`;
    const example = typeof value === "number" || typeof value === "boolean" ? `, e.g. \`${JSON.stringify(name)}: "${String(value)}"\`` : "";
    return `attribute ${name} is ${kind}; Cognito attribute values are strings: write it as a string${example}.`;
}

/**
 * Check failures as the engine may print them. The engine prints a failure as `property <name> value
 * <value> has a problem`, the value in clear unless it came from stack config; so a failure about a
 * secret input (or one whose value holds a declared password) names it in its reason, on no property.
 */
export function withoutSecretValues(failures: InputFailure[], raw: object, secrets: string[]): InputFailure[] {
    const secretKeys = new Set(["password", "temporaryPassword", "userPasswords"]);
    const holdsSecret = (value: unknown) => {
        const text = JSON.stringify(value ?? null);
        return secrets.some((secret) => secret.length > 0 && text.includes(JSON.stringify(secret).slice(1, -1)));
    };
    return failures.map((failure) => {
        const top = failure.property.split(/[.[]/)[0];
        if (!secretKeys.has(top) && !holdsSecret(Reflect.get(raw, top))) return failure;
        return { property: "", reason: `${failure.property}: ${failure.reason}` };
    });
}

/** Result of validating a user's raw inputs. */
export interface ValidationResult {
    /** The normalized inputs (meaningful only when `failures` is empty). */
    inputs: UserInputs;
    /** Every problem found; empty when the inputs are valid. */
    failures: InputFailure[];
}

/**
 * Validates and normalizes one user's raw inputs. `path` prefixes property names (the batch resource
 * passes `users[3].`). Unknown values (preview) are accepted as they are.
 */
export function validateUserInputs(raw: RawInputs<UserInputs>, path = ""): ValidationResult {
    const failures: InputFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property: path + property, reason });

    const userPoolId = raw.userPoolId;
    if (userPoolId === undefined || userPoolId === null || userPoolId === "") {
        fail("userPoolId", "userPoolId is required: pass the pool's id, e.g. `userPoolId: pool.id`.");
    } else if (isKnown(userPoolId) && (typeof userPoolId !== "string" || !poolIdPattern.test(userPoolId) || userPoolId.length > 55)) {
        fail(
            "userPoolId",
            `userPoolId ${JSON.stringify(userPoolId)} is not a Cognito pool id: expected "<region>_<id>", e.g. "eu-west-1_AbCdEf123".`,
        );
    }

    const username = raw.username;
    if (username === undefined || username === null || username === "") {
        fail("username", 'username is required: 1 to 128 characters, e.g. `username: "admin@example.com"`.');
    } else if (isKnown(username)) {
        if (typeof username !== "string") fail("username", "username must be a string.");
        else if ([...username].length > 128)
            fail("username", `username is ${[...username].length} characters long; Cognito allows 1 to 128.`);
        else if (!namePattern.test(username))
            fail("username", "username contains white space or control characters, which Cognito does not allow.");
    }

    const attributes = raw.attributes;
    if (isKnown(attributes)) {
        if (!isPlainObject(attributes)) {
            fail(
                "attributes",
                'attributes must map names to string values, e.g. `{ email: "a@example.com", email_verified: "true" }` (write booleans and numbers as strings).',
            );
        } else {
            for (const [name, value] of Object.entries(attributes)) {
                const problem = attributeNameProblem(name);
                if (problem) fail(`attributes.${name}`, problem + ".");
                if (typeof value !== "string") fail(`attributes.${name}`, nonStringAttribute(name, value));
                else if (!isUnknown(value) && value.length > MAX_ATTRIBUTE_VALUE)
                    fail(
                        `attributes.${name}`,
                        `the value is ${value.length} characters long; Cognito allows at most ${MAX_ATTRIBUTE_VALUE}.`,
                    );
            }
        }
    }

    for (const key of ["password", "temporaryPassword"] as const) {
        const value = raw[key];
        if (isKnown(value) && (typeof value !== "string" || value.length === 0 || value.length > 256))
            fail(key, `${key} must be a non-empty string of at most 256 characters.`);
    }
    const passwordKinds = (["password", "temporaryPassword", "generatePassword"] as const).filter(
        (k) => isKnown(raw[k]) && raw[k] !== false,
    );
    if (passwordKinds.length > 1) {
        fail(
            passwordKinds[1],
            `${passwordKinds.join(" and ")} exclude each other: declare a permanent password, a temporary password, or generatePassword: true, not several.`,
        );
    }

    for (const key of ["generatePassword", "enabled", "forceAliasCreation", "adoptExisting"] as const) {
        const value = raw[key];
        if (isKnown(value) && typeof value !== "boolean") fail(key, `${key} must be true or false, not ${JSON.stringify(value)}.`);
    }

    let groups: string[] = [];
    if (isKnown(raw.groups)) {
        if (!Array.isArray(raw.groups)) {
            fail("groups", 'groups must be a list of group names, e.g. `["admins"]`.');
        } else {
            raw.groups.forEach((group, i) => {
                if (isUnknown(group)) return;
                if (typeof group !== "string" || group.length === 0 || [...group].length > 128 || !namePattern.test(group))
                    fail(
                        `groups[${i}]`,
                        `group ${JSON.stringify(group)} is not a Cognito group name (1 to 128 characters, no white space).`,
                    );
            });
            groups = [...new Set(raw.groups as string[])].sort();
        }
    }

    const importId = raw.importId;
    if (isKnown(importId)) {
        const slash = typeof importId === "string" ? importId.indexOf("/") : -1;
        if (typeof importId !== "string" || slash <= 0 || slash === importId.length - 1) {
            fail(
                "importId",
                `the import id ${JSON.stringify(importId)} is not "<userPoolId>/<username>", e.g. "eu-west-1_AbCdEf123/admin@example.com".`,
            );
        } else if (isKnown(userPoolId) && importId.slice(0, slash) !== userPoolId) {
            fail(
                "importId",
                `the import id names pool ${importId.slice(0, slash)} but userPoolId is ${JSON.stringify(userPoolId)}: name the declared pool in the id, or remove the \`import\` option once the user is adopted.`,
            );
        }
    }

    for (const key of ["clientMetadata", "validationData"] as const) {
        if (isKnown(raw[key]) && !isStringRecord(raw[key])) fail(key, `${key} must map names to string values.`);
    }

    // A real pool id names its Region: that is the Region, and a declared one that says otherwise is a
    // mistake. Fill only a Region that is absent: one unknown during preview must stay unknown.
    const absent = (v: unknown) => v === undefined || v === null || v === "";
    let region = raw.region;
    const poolRegion = typeof userPoolId === "string" && !isUnknown(userPoolId) ? regionFromPoolId(userPoolId) : undefined;
    if (poolRegion !== undefined && typeof region === "string" && region !== "" && !isUnknown(region) && region !== poolRegion) {
        fail(
            "region",
            `region ${JSON.stringify(region)} contradicts the pool id ${userPoolId}, which lives in ${poolRegion}: ` +
                "remove the region input (the pool id's Region is used) or correct it.",
        );
    }
    if (poolRegion !== undefined && (absent(region) || typeof region === "string") && !isUnknown(region)) region = poolRegion;
    if (absent(region) && isKnown(raw.endpoint)) region = "us-east-1"; // emulators ignore the Region, the SDK still needs one
    // While the pool id or endpoint that would give the Region is unknown (preview), so is the Region.
    if (absent(region) && (isUnknown(userPoolId) || isUnknown(raw.endpoint))) region = UNKNOWN;
    if (region === undefined || region === null || region === "") {
        fail(
            "region",
            "no AWS Region: set `pulumi config set aws:region <region>`, the AWS_REGION environment variable, or the region input.",
        );
    } else if (isKnown(region) && typeof region !== "string") {
        fail("region", 'region must be a string, e.g. "eu-west-1".');
    }

    const endpoint = raw.endpoint;
    if (isKnown(endpoint)) {
        if (typeof endpoint !== "string" || !/^https?:\/\/[^\s]+$/.test(endpoint))
            fail("endpoint", `endpoint ${JSON.stringify(endpoint)} is not a URL: expected e.g. "http://127.0.0.1:9229".`);
    }
    if (isKnown(raw.profile) && typeof raw.profile !== "string") fail("profile", "profile must be the name of an AWS profile.");
    const maxAttempts = raw.maxAttempts;
    if (isKnown(maxAttempts) && (typeof maxAttempts !== "number" || !Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 50))
        fail("maxAttempts", "maxAttempts must be a whole number from 1 to 50.");

    const mfa = validateMfa(raw, path);
    failures.push(...mfa.failures);

    const inputs: UserInputs = {
        userPoolId: userPoolId as string,
        username: username as string,
        attributes: isStringRecord(attributes) ? normalizeAttributes(attributes) : ((attributes as Record<string, string>) ?? {}),
        generatePassword: raw.generatePassword === true,
        enabled: raw.enabled === undefined || raw.enabled === null ? true : (raw.enabled as boolean),
        groups: isKnown(raw.groups) ? groups : ((raw.groups as string[]) ?? []),
        forceAliasCreation: raw.forceAliasCreation === true,
        adoptExisting: raw.adoptExisting === true,
        region: region as string,
        maxAttempts: isKnown(maxAttempts) ? (maxAttempts as number) : DEFAULT_MAX_ATTEMPTS,
    };
    for (const key of [
        "password",
        "temporaryPassword",
        "clientMetadata",
        "validationData",
        "importId",
        "endpoint",
        "profile",
        "resourceUrn",
    ] as const) {
        if (raw[key] !== undefined && raw[key] !== null) (inputs as unknown as Record<string, unknown>)[key] = raw[key];
    }
    if (mfa.mfa !== undefined) inputs.mfa = mfa.mfa;
    if (mfa.clientId !== undefined && mfa.clientId !== null) inputs.clientId = mfa.clientId;
    return { inputs, failures };
}
