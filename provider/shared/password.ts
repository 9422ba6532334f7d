/**
 * Passwords: Cognito's password policy, checking a password against it, and generating one that meets it.
 */
import { randomInt } from "crypto";

/** A user pool's password policy, as `DescribeUserPool` reports it (`Policies.PasswordPolicy`). */
export interface PasswordPolicy {
    /** At least this many characters (Cognito: 6 to 99; default 8). */
    minimumLength: number;
    /** Needs an upper-case letter. */
    requireUppercase: boolean;
    /** Needs a lower-case letter. */
    requireLowercase: boolean;
    /** Needs a digit. */
    requireNumbers: boolean;
    /** Needs one of Cognito's symbols. */
    requireSymbols: boolean;
}

/** Cognito's default policy, used when a pool reports none. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
    minimumLength: 8,
    requireUppercase: true,
    requireLowercase: true,
    requireNumbers: true,
    requireSymbols: true,
};

/** Every symbol Cognito counts as a special character (it also allows a non-leading, non-trailing space). */
export const COGNITO_SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

/** The classes a generated password draws from. Quotes, backslash and backtick are left out so the password pastes safely into a shell. */
const CLASSES = {
    upper: "ABCDEFGHJKLMNPQRSTUVWXYZ",
    lower: "abcdefghijkmnopqrstuvwxyz",
    digit: "23456789",
    symbol: "^$*.[]{}()?!@#%&/,><:;|_~=+-",
};

/** Length of a generated password when the policy asks for less. */
export const GENERATED_PASSWORD_LENGTH = 24;

/** The policy from Cognito's `PasswordPolicyType`, filling what it omits with Cognito's defaults. */
export function passwordPolicyFromCognito(policy?: {
    MinimumLength?: number;
    RequireUppercase?: boolean;
    RequireLowercase?: boolean;
    RequireNumbers?: boolean;
    RequireSymbols?: boolean;
}): PasswordPolicy {
    if (!policy) return { ...DEFAULT_PASSWORD_POLICY };
    return {
        minimumLength: policy.MinimumLength ?? DEFAULT_PASSWORD_POLICY.minimumLength,
        requireUppercase: policy.RequireUppercase ?? false,
        requireLowercase: policy.RequireLowercase ?? false,
        requireNumbers: policy.RequireNumbers ?? false,
        requireSymbols: policy.RequireSymbols ?? false,
    };
}

/** The ways `password` breaks `policy`; empty when it meets it. Never includes the password. */
export function passwordPolicyViolations(password: string, policy: PasswordPolicy): string[] {
    const problems: string[] = [];
    if ([...password].length < policy.minimumLength) problems.push(`shorter than ${policy.minimumLength} characters`);
    if (policy.requireUppercase && !/[A-Z]/.test(password)) problems.push("no upper-case letter");
    if (policy.requireLowercase && !/[a-z]/.test(password)) problems.push("no lower-case letter");
    if (policy.requireNumbers && !/[0-9]/.test(password)) problems.push("no digit");
    if (policy.requireSymbols && ![...password].some((c) => COGNITO_SYMBOLS.includes(c))) problems.push("no symbol");
    if (/^\s|\s$/.test(password)) problems.push("leading or trailing white space");
    return problems;
}

/** The policy in words, for error messages: `at least 12 characters with an upper-case letter, a digit and a symbol`. */
export function describePasswordPolicy(policy: PasswordPolicy): string {
    const needs = [
        policy.requireUppercase && "an upper-case letter",
        policy.requireLowercase && "a lower-case letter",
        policy.requireNumbers && "a digit",
        policy.requireSymbols && "a symbol",
    ].filter((n): n is string => !!n);
    const last = needs.pop();
    const list = needs.length > 0 ? `${needs.join(", ")} and ${last}` : last;
    return `at least ${policy.minimumLength} characters${list ? ` with ${list}` : ""}, no leading or trailing space`;
}

/**
 * Checks the passwords a user declares against the pool's policy, as Cognito would at the write, but
 * before any write. Returns one message per broken password, naming the rules broken and never the
 * password; `who` names the user and `path` prefixes the field (`users[3].` in a batch).
 */
export function declaredPasswordProblems(
    declared: { password?: string; temporaryPassword?: string },
    policy: PasswordPolicy,
    who: string,
): string[] {
    const problems: string[] = [];
    for (const field of ["password", "temporaryPassword"] as const) {
        const value = declared[field];
        if (value === undefined) continue;
        const broken = passwordPolicyViolations(value, policy);
        if (broken.length === 0) continue;
        problems.push(
            `${field} of ${who} does not meet the pool's password policy (${broken.join(", ")}): ` +
                `declare one of ${describePasswordPolicy(policy)}, or use generatePassword: true. Nothing was written.`,
        );
    }
    return problems;
}

/**
 * A cryptographically random password that meets `policy` (and, since it always holds every class,
 * any policy of the same length). `pick` is injectable so tests can drive it.
 */
export function generatePassword(policy: PasswordPolicy, pick: (max: number) => number = randomInt): string {
    const length = Math.min(99, Math.max(policy.minimumLength, GENERATED_PASSWORD_LENGTH));
    const all = CLASSES.upper + CLASSES.lower + CLASSES.digit + CLASSES.symbol;
    // One of each class first, so every requirement is met whatever the rest draws.
    const chars = [CLASSES.upper, CLASSES.lower, CLASSES.digit, CLASSES.symbol].map((set) => set[pick(set.length)]);
    while (chars.length < length) chars.push(all[pick(all.length)]);
    // Fisher-Yates, so the guaranteed characters are not always in front.
    for (let i = chars.length - 1; i > 0; i--) {
        const j = pick(i + 1);
        [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    return chars.join("");
}
