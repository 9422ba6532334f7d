/**
 * The declaration of a fixture and its typing: what a suite declares (users, pool, options), what tests
 * get back (users, pool, tokens), the errors, and the run the other parts share while the fixture is up.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoLocal } from "../local/cognitoLocal";
import type { AppClientAuth, FixtureAuthFlow, FixtureTokens } from "./auth";
import type { FixtureBrowserState, FixtureBrowserStateOptions } from "./browserStateShape";
import type { FixturePulumiOptions } from "./pulumiRunner";
import type { RunPaths, RunRecord } from "./runState";
import type { FixtureSignInOptions, TokenCache } from "./signInFlow";
import { FixtureSignInPathSpec, FixtureSignInPathUser, FixtureSignInResult, signInPathProblems } from "./signInPaths";

/** A user the fixture creates. */
export interface FixtureUserSpec extends FixtureSignInPathSpec {
    /** The username. In a pool that signs in by email (`embedded.emailAsUsername`), the email. */
    username: string;
    /** A permanent password (the user is CONFIRMED). When absent, one meeting the pool's policy is generated. Never printed. */
    password?: string;
    /** Groups the user is in. The embedded Cognito creates them; in your own pool they must exist (checked by `up()`). */
    groups?: string[];
    /** Attributes, name to value: standard names as they are (`email`), custom ones as `custom:<name>`. */
    attributes?: Record<string, string>;
}

/** An existing pool to create the users in: real AWS, LocalStack or a cognito-local of your own. */
export interface FixturePool {
    /** The pool id, e.g. `eu-west-1_AbCdEf123`. */
    userPoolId: string;
    /** The app client users sign in through. */
    clientId: string;
    /** The client's secret, if it has one and the fixture may not read it (DescribeUserPoolClient). */
    clientSecret?: string;
    /** Force a sign-in flow; by default it follows the client's ExplicitAuthFlows (see `signIn`). */
    authFlow?: FixtureAuthFlow;
    /** AWS Region. Default: the Region in the pool id, then `AWS_REGION` / `AWS_DEFAULT_REGION`. */
    region?: string;
    /** Endpoint override (LocalStack, cognito-local). Default: AWS. */
    endpoint?: string;
    /** Named AWS profile for credentials; the SDK's default chain when absent. */
    profile?: string;
}

/** How to set up the embedded Cognito (used when no `pool` is given). */
export interface EmbeddedCognitoOptions {
    /** Make the pool sign in by email (`UsernameAttributes: ["email"]`): usernames must then be emails. Default false. */
    emailAsUsername?: boolean;
    /** Groups to create besides those the users name. */
    groups?: string[];
}

/** Options of {@link cognitoFixture}. */
export interface CognitoFixtureOptions<U extends Record<string, FixtureUserSpec>> {
    /** The users, by the key tests use to refer to them (`user("admin")`). Keys and usernames must be unique. */
    users: U;
    /** Create the users in this pool. When absent, the fixture starts cognito-local (an optional peer dependency) with a new pool. */
    pool?: FixturePool;
    /** Settings of the embedded Cognito; ignored when `pool` is given. */
    embedded?: EmbeddedCognitoOptions;
    /**
     * @deprecated Fixtures no longer run Pulumi: users are created in process by the provider's own code.
     * Accepted and used only to clean up a run that a fixture of an earlier version (0.1.0) left behind
     * with a Pulumi stack (which CLI, with which environment; default `pulumi` on PATH).
     */
    pulumi?: FixturePulumiOptions;
    /** Root of the per-run folders. Default `<os.tmpdir()>/pulumi-cognito-user-fixtures`; runs sharing a root clean up each other's crashes. */
    stateRoot?: string;
    /** A label for the run's name (letters, digits, `-`, `_`), e.g. the suite's name, seen in logs and `run.json`. Default `fixture`. */
    name?: string;
    /** Receives progress lines (never secrets). Default: none. Warnings (a stale run that could not be cleaned) also go to `console.warn`. */
    log?: (line: string) => void;
    /**
     * Make usernames unique per run and worker (`admin@example.com` becomes `admin+w1-3f2a9c@example.com`,
     * `admin` becomes `admin-w1-3f2a9c`), so suites running at once against one pool never collide; keys
     * stay the handles and `user(key).username` is the name created. Default: on in a test runner's
     * worker (mocha `--parallel`, Jest, Vitest, Playwright), off otherwise (a runner's global set-up included).
     */
    uniqueUsernames?: boolean;
    /** Token cache: `signIn` refreshes cached tokens (REFRESH_TOKEN_AUTH) once they have less than this left. Default 300 s. */
    refreshBeforeExpirySeconds?: number;
}

/** A created user, as tests see it. */
export interface FixtureUser<K extends string = string> extends FixtureSignInPathUser {
    /** The key it was declared under. */
    key: K;
    /** The username as created: as declared, or made unique per run and worker (see `uniqueUsernames`). */
    username: string;
    /** The Username Cognito assigned: a UUID equal to `sub` in email sign-in pools, else the username. */
    cognitoUsername: string;
    /** The user's immutable id. */
    sub: string;
    /** Its password: declared, generated, temporary, or the new one a sign-in set. Do not print it. */
    password: string;
    /** Its groups, as Cognito reports them. */
    groups: string[];
}

/** Where the fixture's users are. */
export interface FixturePoolInfo {
    /** The pool id. */
    userPoolId: string;
    /** The app client id (the `aud` of ID tokens). */
    clientId: string;
    /** AWS Region of the pool. */
    region: string;
    /** Endpoint override; undefined for AWS. */
    endpoint?: string;
    /** The `iss` of its tokens, as a token of the pool carries it (read at `up()`). */
    issuer: string;
    /** URL of the pool's signing keys, for code that verifies tokens. */
    jwksUrl: string;
    /** Whether the pool lives in a cognito-local the fixture started. */
    embedded: boolean;
}

/**
 * A Cognito test fixture. `K` is the union of the user keys: the only keys `user()` and `signIn()` accept;
 * `U` the declarations (a user with a temporary password may get a challenge back from `signIn`).
 */
export interface CognitoFixture<K extends string, U extends Record<string, FixtureUserSpec> = Record<K, FixtureUserSpec>> {
    /**
     * Creates the users (and, without a pool, the embedded Cognito with its pool, app client and groups).
     * First cleans up runs left by dead processes. On failure nothing stays behind and the error says which
     * user and which step. Calling it again while up returns the same promise.
     */
    up(): Promise<void>;
    /**
     * Deletes the users (in your own pool; the embedded pool goes with its emulator), stops the embedded
     * Cognito and removes the run's folder. Call it in `after()` (or the runner's global teardown): it runs
     * even when tests failed. Idempotent; a no-op when `up()` never succeeded. On a fixture from
     * `attachCognitoFixture` (a worker's view of a shared run) it does nothing: the run's owner tears down.
     */
    down(): Promise<void>;
    /** A created user. @throws before `up()` succeeded. */
    user(key: K): FixtureUser<K>;
    /**
     * Signs the user in and returns its tokens: InitiateAuth USER_PASSWORD_AUTH, or AdminInitiateAuth
     * ADMIN_USER_PASSWORD_AUTH when the app client has a secret or does not allow the former. A user with
     * `mfa: { totp: true }` is asked for a code: the fixture answers with the one computed from its secret.
     * Tokens are cached per user for the run and refreshed (REFRESH_TOKEN_AUTH) before they expire;
     * `{ fresh: true }` signs in anew. A user with a temporary password gets the NEW_PASSWORD_REQUIRED
     * challenge back, or with `{ newPassword }` the challenge is completed (later sign-ins use it).
     */
    signIn<T extends K>(key: T, options: FixtureSignInOptions & { newPassword: string }): Promise<FixtureTokens>;
    signIn<T extends K>(key: T, options?: FixtureSignInOptions): Promise<FixtureSignInResult<U[T]>>;
    /**
     * A Playwright `storageState` in which the user is signed in, for `browser.newContext({ storageState })`
     * or an async `storageState` fixture of `@playwright/test`: a page of `options.origin` that uses
     * amazon-cognito-identity-js or Amplify JS v6 starts signed in, with no sign-in through the UI. The
     * tokens are `signIn(key)`'s (through `options.clientId` when given), in localStorage under the keys
     * those libraries read. It holds the user's tokens: written to disk, the file is a secret.
     * @throws before `up()` succeeded, or for a user with a temporary password not yet given a new one.
     */
    browserState(key: K, options: FixtureBrowserStateOptions): Promise<FixtureBrowserState>;
    /** The current TOTP code of a user declared with `mfa: { totp: true }`, e.g. to type into a UI under test. */
    totp(key: K): string;
    /** Where the users are. @throws before `up()` succeeded. */
    readonly pool: FixturePoolInfo;
    /** The user keys, in declaration order. */
    readonly keys: readonly K[];
    /** This run's folder (record, journal, emulator data), for debugging; undefined when not up. */
    readonly runDir: string | undefined;
    /**
     * Shares the run with the test runner's workers (one fixture per test run): writes the users, with
     * their passwords, to a file only this OS user can read in the run's folder, sets the environment
     * variable `COGNITO_FIXTURE_SHARED` (inherited by workers started afterwards) and returns the same
     * handle, to pass through the runner's own channel (Vitest's `provide`). Workers call
     * `attachCognitoFixture()`. The handle holds no secret: printing it is safe.
     *
     * @throws before `up()` succeeded.
     */
    share(): SharedFixtureHandle;
}

/** What a worker needs to find a shared fixture run (see `share()`): a path, no secret. JSON-serializable. */
export interface SharedFixtureHandle {
    /** The handle's format. */
    version: 1;
    /** The shared run's folder; its `shared.json` (mode 0600) holds the pool and the users. */
    runDir: string;
}

/** An error of the fixture, naming the step and, when one is to blame, the user. */
export class CognitoFixtureError extends Error {
    /** What the fixture was doing, e.g. `create users`. */
    readonly step: string;
    /** The key of the user the step failed for, if any. */
    readonly userKey?: string;
    /** Every user the step failed for, with Cognito's (or the provider's) message. */
    readonly failures: ReadonlyArray<{ userKey: string; username: string; message: string }>;

    constructor(step: string, message: string, failures: Array<{ userKey: string; username: string; message: string }> = []) {
        super(`cognitoFixture: ${step} failed: ${message}`);
        this.name = "CognitoFixtureError";
        this.step = step;
        this.failures = failures;
        this.userKey = failures[0]?.userKey;
    }
}

/** A checked declaration, as the parts of the fixture read it. */
export interface Declaration {
    /** The users by key. */
    readonly specs: Record<string, FixtureUserSpec>;
    /** The user keys, in declaration order. */
    readonly keys: readonly string[];
    readonly options: CognitoFixtureOptions<Record<string, FixtureUserSpec>>;
    /** Progress lines (the option `log`, or nowhere). */
    readonly log: (line: string) => void;
}

/**
 * Checks a declaration before anything is started.
 *
 * @throws a CognitoFixtureError naming every problem (no users, a duplicate username, ...).
 */
export function declare(options: CognitoFixtureOptions<Record<string, FixtureUserSpec>>): Declaration {
    const specs = options.users ?? {};
    const keys = Object.keys(specs);
    const problems: string[] = [];
    if (keys.length === 0) problems.push("declare at least one user");
    const seen = new Map<string, string>();
    for (const key of keys) {
        const spec = specs[key];
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key)) problems.push(`user key "${key}" must be letters, digits, ".", "_" or "-"`);
        if (!spec || typeof spec.username !== "string" || spec.username === "") {
            problems.push(`user "${key}" needs a username`);
            continue;
        }
        const other = seen.get(spec.username.toLowerCase());
        if (other) problems.push(`users "${other}" and "${key}" have the same username ${spec.username}`);
        seen.set(spec.username.toLowerCase(), key);
        if (spec.password !== undefined && typeof spec.password !== "string") problems.push(`user "${key}": password must be a string`);
        problems.push(...signInPathProblems(key, spec));
    }
    if (options.pool && (!options.pool.userPoolId || !options.pool.clientId)) problems.push("pool needs userPoolId and clientId");
    if (problems.length > 0) throw new CognitoFixtureError("check the declaration", problems.join("; "));
    return { specs, keys, options, log: options.log ?? (() => undefined) };
}

/** Every group the users name (plus, for the embedded pool, the extra ones), once each. */
export function groupNames(declared: Declaration, withExtra = true): string[] {
    const extra = withExtra ? (declared.options.embedded?.groups ?? []) : [];
    return [...new Set([...extra, ...declared.keys.flatMap((key) => declared.specs[key].groups ?? [])])];
}

/** Everything one `up()` made, as far as it got. */
export interface LiveRun {
    paths: RunPaths;
    record: RunRecord;
    /** Set once the pool is known; always set on a run that is up. */
    client?: CognitoIdentityProviderClient;
    app?: AppClientAuth;
    pool?: FixturePoolInfo;
    cognitoLocal?: CognitoLocal;
    /** The users created so far, by key (a failed `up()` deletes these). */
    users: Map<string, FixtureUser>;
    /** The usernames' suffix when they are made unique. */
    suffix?: string;
    /** Tokens per user for this run. */
    tokens: TokenCache;
    removeExitHook: () => void;
}

/** Runs one step, wrapping any error that is not already a CognitoFixtureError with the step's name. */
export async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } catch (error) {
        if (error instanceof CognitoFixtureError) throw error;
        throw new CognitoFixtureError(name, errorText(error));
    }
}

/** An error's message. */
export function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** The last lines of a long CLI message: the error is at the end. */
export function tail(text: string, lines = 15): string {
    return text.trim().split("\n").slice(-lines).join("\n");
}
