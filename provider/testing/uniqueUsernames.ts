/**
 * Usernames made unique per fixture run and test worker, so suites running at once against one pool
 * (workers of mocha `--parallel`, Jest, Vitest or Playwright; several CI jobs) never collide; the declared
 * key stays the test's handle. An email keeps its domain (`admin+w1-3f2a9c@example.com`, plus
 * addressing), a plain name gets a suffix (`admin-w1-3f2a9c`); a phone number cannot be changed and stays
 * as declared.
 */

/** The variables by which each runner tells its worker processes apart. */
const WORKER_VARIABLES = ["MOCHA_WORKER_ID", "JEST_WORKER_ID", "VITEST_POOL_ID", "TEST_WORKER_INDEX"] as const;

/** The test worker this process is (mocha `--parallel`, Jest, Vitest, Playwright); undefined outside one. */
export function testWorkerId(): string | undefined {
    for (const name of WORKER_VARIABLES) {
        const id = process.env[name];
        if (id !== undefined && id !== "") return id;
    }
    return undefined;
}

/**
 * Whether a fixture makes its usernames unique: as told, else when running in a test runner's worker
 * (where suites share the machine and, with `pool`, the pool). A runner's global set-up runs outside
 * its workers: a shared run keeps the usernames as declared.
 */
export function makesUsernamesUnique(option: boolean | undefined): boolean {
    return option ?? testWorkerId() !== undefined;
}

/** The suffix of one run: the worker (`w1`) and the run's random part. */
export function runSuffix(runId: string): string {
    const worker = testWorkerId();
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
