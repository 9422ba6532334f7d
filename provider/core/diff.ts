/**
 * `diff` and `update` planning: pure functions from a user's recorded outputs and new inputs to what
 * changes and which Cognito calls that takes.
 */
import { AttributeChanges, attributeChangesEmpty, planAttributeChanges } from "./attributes";
import { mfaChanges } from "./mfa";
import { UNKNOWN, UserInputs, UserOutputs } from "./types";

/** What `diff` reports for one user. */
export interface UserDiff {
    /** Inputs whose change Cognito must see (or the state must record). */
    changed: string[];
    /** Inputs whose change needs a new user. */
    replaces: string[];
    /** Always false: a replacement creates the new user first, so a failed create never loses the old one. */
    deleteBeforeReplace: boolean;
}

/** Inputs whose change needs a new user: another pool, or another user (see `keepsUser`). */
export const REPLACE_PROPERTIES = ["userPoolId", "username"] as const;

/**
 * Inputs that say where and how the user is reached. A change makes an update that calls Cognito only
 * to prove, by canonical Username and sub, that the new Region or endpoint holds the same user; read
 * and delete keep using the recorded ones until then.
 */
export const CONNECTION_PROPERTIES = ["region", "endpoint", "profile", "maxAttempts"] as const;

const hasUnknown = (value: unknown): boolean =>
    value === UNKNOWN || (typeof value === "object" && value !== null && Object.values(value).some(hasUnknown));

/**
 * Whether `username` still names the user recorded in `olds`: the username it was created with, its
 * canonical Username, its sub, or the email / phone / preferred_username it has now. Only for checking
 * that an import id names the declared user; a rename in a diff follows `keepsUser`.
 */
export function namesSameUser(olds: Partial<UserOutputs>, username: string): boolean {
    if (olds.username === username) return true;
    const lower = username.toLowerCase();
    const attrs = olds.attributes ?? {};
    const identities = [olds.username, olds.cognitoUsername, olds.sub, attrs.email, attrs.phone_number, attrs.preferred_username];
    return identities.some((id) => typeof id === "string" && id.toLowerCase() === lower);
}

/**
 * Whether the pool signs users in by email or phone (`UsernameAttributes`): Cognito then assigned a
 * Username of its own (a UUID) instead of the one declared, and the declared username is only the
 * email or phone the user was created with.
 */
export function signsInWithAttribute(olds: Partial<UserOutputs>): boolean {
    return olds.cognitoUsername !== undefined && olds.username !== undefined && olds.cognitoUsername !== olds.username;
}

/**
 * Whether a declared username still means the recorded user. In a pool that signs in by email or phone,
 * a new username equal to the newly declared email / phone is the same user whose address changes (an
 * update keeps its sub). In a plain-username pool any other username is another user.
 */
export function keepsUser(olds: Partial<UserOutputs>, news: UserInputs): boolean {
    if (olds.username === news.username) return true;
    if (!signsInWithAttribute(olds)) return false;
    const email = news.attributes?.email;
    const phone = news.attributes?.phone_number;
    return (
        (typeof email === "string" && email.toLowerCase() === news.username.toLowerCase()) ||
        (typeof phone === "string" && phone === news.username)
    );
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
    const x = [...(a ?? [])].sort();
    const y = [...(b ?? [])].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Whether the declared password settings differ from what is recorded. */
function passwordChanged(olds: Partial<UserOutputs>, news: UserInputs): string[] {
    const changed: string[] = [];
    for (const key of ["password", "temporaryPassword"] as const) {
        if (olds[key] === news[key]) continue;
        // A generated password is recorded as `password` but never declared: while generation stays on, it stands.
        if (key === "password" && news.password === undefined && news.generatePassword && olds.generatePassword) continue;
        // An imported user whose password the provider never set: nothing declared, nothing to change.
        if (olds[key] === undefined && news[key] === undefined) continue;
        changed.push(key);
    }
    if ((olds.generatePassword ?? false) !== news.generatePassword) changed.push("generatePassword");
    return changed;
}

/**
 * Compares recorded outputs with new inputs. Attributes Cognito sets by itself are never compared;
 * create-only inputs (`clientMetadata`, `validationData`, `forceAliasCreation`, `adoptExisting`) never
 * cause a change. A change of Region, endpoint, profile or attempts is an update (recorded so that read
 * and delete use it), never a replacement: nothing in the environment can delete a user.
 */
export function diffUser(olds: Partial<UserOutputs>, news: UserInputs): UserDiff {
    const replaces: string[] = [];
    if (hasUnknown(news.userPoolId) || olds.userPoolId !== news.userPoolId) replaces.push("userPoolId");
    if (hasUnknown(news.username) || hasUnknown(news.attributes) || !keepsUser(olds, news)) {
        if (olds.username !== news.username) replaces.push("username");
    }

    const changed: string[] = [...replaces];
    if (!replaces.includes("username") && olds.username !== news.username) changed.push("username");
    for (const key of CONNECTION_PROPERTIES) {
        if (hasUnknown(news[key]) || (olds[key] ?? undefined) !== (news[key] ?? undefined)) changed.push(key);
    }
    if (hasUnknown(news.attributes) || !attributeChangesEmpty(planAttributeChanges(olds.attributes ?? {}, news.attributes)))
        changed.push("attributes");
    changed.push(...passwordChanged(olds, news));
    if (hasUnknown(news.enabled) || (olds.enabled ?? true) !== news.enabled) changed.push("enabled");
    if (hasUnknown(news.groups) || !sameList(olds.groups, news.groups)) changed.push("groups");
    changed.push(...(hasUnknown(news.mfa) || hasUnknown(news.clientId) ? ["mfa"] : mfaChanges(olds, news)));

    // A replacement never has to delete first: the new user is in another pool or has another name.
    return { changed, replaces, deleteBeforeReplace: false };
}

/** How the update sets a password, if it does. */
export type PasswordAction =
    { kind: "permanent"; source: "declared" } | { kind: "permanent"; source: "generated" } | { kind: "temporary" } | { kind: "keep" };

/** The Cognito calls an in-place update needs, in the order it makes them. */
export interface UserUpdatePlan {
    /** `AdminUpdateUserAttributes` / `AdminDeleteUserAttributes`. */
    attributes: AttributeChanges;
    /** `AdminSetUserPassword`, or nothing. */
    password: PasswordAction;
    /** `AdminAddUserToGroup` for each. */
    groupsToAdd: string[];
    /** `AdminRemoveUserFromGroup` for each. */
    groupsToRemove: string[];
    /** `AdminEnableUser` (true), `AdminDisableUser` (false), or nothing. */
    enable?: boolean;
}

/** Plans an in-place update from the recorded outputs to the new inputs: only the calls the change needs. */
export function planUserUpdate(olds: Partial<UserOutputs>, news: UserInputs): UserUpdatePlan {
    const changedPassword = passwordChanged(olds, news);
    let password: PasswordAction = { kind: "keep" };
    if (changedPassword.includes("password") && news.password !== undefined) password = { kind: "permanent", source: "declared" };
    else if (changedPassword.includes("temporaryPassword") && news.temporaryPassword !== undefined) password = { kind: "temporary" };
    else if (changedPassword.includes("generatePassword") && news.generatePassword) password = { kind: "permanent", source: "generated" };

    const oldGroups = new Set(olds.groups ?? []);
    const newGroups = new Set(news.groups);
    return {
        attributes: planAttributeChanges(olds.attributes ?? {}, news.attributes),
        password,
        groupsToAdd: news.groups.filter((g) => !oldGroups.has(g)),
        groupsToRemove: [...oldGroups].filter((g) => !newGroups.has(g)).sort(),
        enable: (olds.enabled ?? true) !== news.enabled ? news.enabled : undefined,
    };
}
