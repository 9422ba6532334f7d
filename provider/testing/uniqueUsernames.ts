/**
 * Usernames made unique per fixture run and mocha worker, so suites running at once against one pool
 * (`mocha --parallel`, several CI jobs) never collide; the declared key stays the test's handle.
 * An email keeps its domain (`admin+w1-3f2a9c@example.com`, plus addressing), a plain name gets a
 * suffix (`admin-w1-3f2a9c`); a phone number cannot be changed and stays as declared.
 */

/** The mocha worker this process is, under `mocha --parallel` (undefined otherwise). */
export function mochaWorkerId(): string | undefined {
    const id = process.env.MOCHA_WORKER_ID;
    return id === undefined || id === "" ? undefined : id;
}

/**
 * Whether a fixture makes its usernames unique: as told, else when running in a mocha parallel worker
 * (where suites share the machine and, with `pool`, the pool).
 */
export function makesUsernamesUnique(option: boolean | undefined): boolean {
    return option ?? mochaWorkerId() !== undefined;
}

/** The suffix of one run: the worker (`w1`) and the run's random part. */
export function runSuffix(runId: string): string {
    const worker = mochaWorkerId();
    return `${worker !== undefined ? `w${worker}-` : ""}${runId}`;
}

/** `username` made unique with `suffix` (at most 128 characters, as Cognito allows). */
export function uniqueUsername(username: string, suffix: string): string {
    if (username.startsWith("+")) return username; // a phone number
    const at = username.lastIndexOf("@");
    if (at > 0) {
        const local = username.slice(0, at);
        return `${local.slice(0, Math.max(1, 64 - suffix.length - 1))}+${suffix}${username.slice(at)}`.slice(0, 128);
    }
    return `${username.slice(0, 128 - suffix.length - 1)}-${suffix}`;
}

/**
 * The attributes of a user whose username was made unique: an `email` equal to the declared username
 * (as email-as-username pools need) follows it.
 */
export function withUniqueEmail(
    attributes: Record<string, string> | undefined,
    declared: string,
    unique: string,
): Record<string, string> | undefined {
    if (!attributes || declared === unique || attributes.email?.toLowerCase() !== declared.toLowerCase()) return attributes;
    return { ...attributes, email: unique };
}
