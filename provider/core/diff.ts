/**
 * `diff` and `update` planning: pure functions from a user's recorded outputs and new inputs to what
 * changes and which Cognito calls that takes.
 */
import { AttributeChanges, attributeChangesEmpty, planAttributeChanges } from "./attributes";
import { UNKNOWN, UserInputs, UserOutputs } from "./types";

/** What `diff` reports for one user. */
export interface UserDiff {
    /** Inputs whose change Cognito must see (or the state must record). */
    changed: string[];
    /** Inputs whose change needs a new user. */
    replaces: string[];
    /** Delete the old user before creating the new one, because both would have the same pool and username. */
    deleteBeforeReplace: boolean;
}

/** Inputs whose change needs a new user. */
export const REPLACE_PROPERTIES = ["userPoolId", "username", "region", "endpoint"] as const;

const hasUnknown = (value: unknown): boolean =>
    value === UNKNOWN || (typeof value === "object" && value !== null && Object.values(value).some(hasUnknown));

/**
 * Whether `username` still names the user recorded in `olds`: the username it was created with, its
 * canonical Username, its sub, or the email / phone / preferred_username it has now. Lets a program
 * that follows an email change (in an email-as-username pool) keep the same user.
 */
export function namesSameUser(olds: Partial<UserOutputs>, username: string): boolean {
    if (olds.username === username) return true;
    const lower = username.toLowerCase();
    const attrs = olds.attributes ?? {};
    const identities = [olds.username, olds.cognitoUsername, olds.sub, attrs.email, attrs.phone_number, attrs.preferred_username];
    return identities.some((id) => typeof id === "string" && id.toLowerCase() === lower);
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
    const x = [...(a ?? [])].sort();
    const y = [...(b ?? [])].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Whether the declared password settings differ from what is recorded, respecting adopted users. */
function passwordChanged(olds: Partial<UserOutputs>, news: UserInputs): string[] {
    const changed: string[] = [];
    const adopted = olds.passwordManaged === false;
    for (const key of ["password", "temporaryPassword"] as const) {
        if (olds[key] === news[key]) continue;
        // An adopted user's password cannot be read back: only a change after adoption counts.
        if (adopted && olds[key] === undefined) continue;
        // A generated password is recorded as `password` but never declared: while generation stays on, it stands.
        if (key === "password" && news.password === undefined && news.generatePassword && olds.generatePassword) continue;
        changed.push(key);
    }
    if ((olds.generatePassword ?? false) !== news.generatePassword && !(adopted && !olds.generatePassword))
        changed.push("generatePassword");
    return changed;
}

/**
 * Compares recorded outputs with new inputs. Attributes Cognito sets by itself are never compared;
 * create-only inputs (`clientMetadata`, `validationData`, `forceAliasCreation`, `adoptExisting`) and connection details
 * that do not move the user (`profile`, `maxAttempts`) never cause a change.
 */
export function diffUser(olds: Partial<UserOutputs>, news: UserInputs): UserDiff {
    const replaces: string[] = [];
    if (hasUnknown(news.userPoolId) || olds.userPoolId !== news.userPoolId) replaces.push("userPoolId");
    if (hasUnknown(news.username) || !namesSameUser(olds, news.username)) replaces.push("username");
    if (hasUnknown(news.region) || (olds.region ?? undefined) !== news.region) replaces.push("region");
    if (hasUnknown(news.endpoint) || (olds.endpoint ?? undefined) !== (news.endpoint ?? undefined)) replaces.push("endpoint");

    const changed: string[] = [...replaces];
    if (!replaces.includes("username") && olds.username !== news.username) changed.push("username");
    if (hasUnknown(news.attributes) || !attributeChangesEmpty(planAttributeChanges(olds.attributes ?? {}, news.attributes)))
        changed.push("attributes");
    changed.push(...passwordChanged(olds, news));
    if (hasUnknown(news.enabled) || (olds.enabled ?? true) !== news.enabled) changed.push("enabled");
    if (hasUnknown(news.groups) || !sameList(olds.groups, news.groups)) changed.push("groups");

    const collides =
        replaces.length > 0 &&
        !hasUnknown(news.userPoolId) &&
        olds.userPoolId === news.userPoolId &&
        !hasUnknown(news.username) &&
        namesSameUser(olds, news.username);
    return { changed, replaces, deleteBeforeReplace: collides };
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
