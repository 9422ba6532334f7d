/**
 * User attribute names and values: Cognito's standard attributes are written as they are, every other
 * name is a custom attribute and must reach Cognito as `custom:<name>`.
 */

/** Cognito's standard (OpenID Connect) user attributes that an administrator may write. */
export const STANDARD_ATTRIBUTES: ReadonlySet<string> = new Set([
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
]);

/** Attributes Cognito sets by itself: never written, never diffed. */
export const COGNITO_OWNED_ATTRIBUTES: ReadonlySet<string> = new Set(["sub", "identities", "cognito:user_status", "cognito:mfa_enabled"]);

/** Cognito's limit for a custom attribute's name (without `custom:`). */
export const MAX_CUSTOM_ATTRIBUTE_NAME = 20;
/** Cognito's limit for an attribute value. */
export const MAX_ATTRIBUTE_VALUE = 2048;

// Cognito's pattern for names: letters, marks, symbols, numbers and punctuation; no white space.
const attributeNamePattern = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;

/** The name Cognito expects: standard names unchanged, any other name prefixed with `custom:` once. */
export function normalizeAttributeName(name: string): string {
    if (STANDARD_ATTRIBUTES.has(name) || COGNITO_OWNED_ATTRIBUTES.has(name)) return name;
    if (name.startsWith("custom:") || name.startsWith("dev:")) return name;
    return `custom:${name}`;
}

/** Why Cognito would reject this attribute name, or undefined when it is acceptable. */
export function attributeNameProblem(name: string): string | undefined {
    if (name.length === 0) return "an attribute name is empty";
    if (COGNITO_OWNED_ATTRIBUTES.has(name)) return `"${name}" is set by Cognito itself and cannot be written: remove it`;
    if (name.startsWith("dev:")) return `"${name}" is a developer-only attribute that admin APIs cannot write: remove it`;
    const normalized = normalizeAttributeName(name);
    if (normalized.startsWith("custom:")) {
        const bare = normalized.slice("custom:".length);
        if (bare.length === 0) return `"${name}" has no name after "custom:"`;
        if (bare.length > MAX_CUSTOM_ATTRIBUTE_NAME)
            return `custom attribute "${bare}" is ${bare.length} characters long; Cognito allows at most ${MAX_CUSTOM_ATTRIBUTE_NAME}`;
        if (!attributeNamePattern.test(bare))
            return `"${name}" contains white space or characters Cognito does not allow in attribute names`;
    }
    return undefined;
}

/** The attributes with every name normalized; later spellings of the same name win. */
export function normalizeAttributes(attributes: Record<string, string> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(attributes ?? {})) out[normalizeAttributeName(name)] = value;
    return sortKeys(out);
}

/** The calls an attribute change needs: values to write (added or changed) and names to delete (removed). */
export interface AttributeChanges {
    /** Added or changed attributes, for `AdminUpdateUserAttributes`. */
    toWrite: Record<string, string>;
    /** Removed attribute names, for `AdminDeleteUserAttributes`. */
    toDelete: string[];
}

/**
 * Plans how to move a user's attributes from `current` to `desired` (both with normalized names).
 * Attributes Cognito owns (`sub`, ...) are never deleted: Cognito would refuse.
 */
export function planAttributeChanges(current: Record<string, string>, desired: Record<string, string>): AttributeChanges {
    const toWrite: Record<string, string> = {};
    for (const [name, value] of Object.entries(desired)) {
        if (current[name] !== value) toWrite[name] = value;
    }
    const toDelete = Object.keys(current)
        .filter((name) => !(name in desired) && !COGNITO_OWNED_ATTRIBUTES.has(name))
        .sort();
    return { toWrite, toDelete };
}

/** True when the attribute change needs no call. */
export function attributeChangesEmpty(changes: AttributeChanges): boolean {
    return Object.keys(changes.toWrite).length === 0 && changes.toDelete.length === 0;
}

/** A copy with keys in sorted order, so stored state is stable and diffs stay readable. */
export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
    const out: Record<string, T> = {};
    for (const key of Object.keys(record).sort()) out[key] = record[key];
    return out;
}
