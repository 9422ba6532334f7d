/**
 * `cognitoFixture`: Cognito users declared next to the tests that need them, created by a Pulumi stack
 * (Automation API, inline program of `CognitoUser`s) before the suite and destroyed after it, with tokens
 * on request. Every run has its own folder (file backend, work folder, embedded Cognito data) under a
 * shared root, so suites in parallel never collide and a crashed run is cleaned up by the next one.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
    CognitoIdentityProviderClient,
    CreateGroupCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    GetGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as pulumi from "@pulumi/pulumi";
import { EngineEvent, LocalWorkspace, PulumiCommand, Stack, StackNotFoundError } from "@pulumi/pulumi/automation";
import { CognitoUser, CognitoUserArgs } from "../cognitoUser";
import { redact } from "../core/errors";
import { regionFromPoolId } from "../core/validate";
import { CognitoLocal, startCognitoLocal } from "../local/cognitoLocal";
import { AppClientAuth, describeAppClient, FixtureAuthFlow, FixtureTokens, signInWithPassword } from "./auth";
import { FixtureChallenge, FixtureSignInOptions, TokenCache } from "./signInFlow";
import {
    anyTotp,
    currentTotp,
    enableOptionalTotp,
    FixtureSignInPathSpec,
    FixtureSignInPathUser,
    FixtureSignInResult,
    signInPathProblems,
    signInUser,
    userResourceArgs,
} from "./signInPaths";
import { makesUsernamesUnique, runSuffix } from "./uniqueUsernames";
import { fixtureEnv, FixturePulumiOptions, prepareWorkDir, pulumiCommandFor, resolvePulumiExecutable } from "./pulumiRunner";
import {
    claimStaleRuns,
    commandLine,
    createRun,
    DEFAULT_STATE_ROOT,
    isAlive,
    processStart,
    RunPaths,
    RunRecord,
    StaleRun,
    writeRecord,
} from "./runState";

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
    /** Which Pulumi CLI to run, with which environment. Default: `pulumi` on PATH. */
    pulumi?: FixturePulumiOptions;
    /** Root of the per-run folders. Default `<os.tmpdir()>/pulumi-cognito-user-fixtures`; runs sharing a root clean up each other's crashes. */
    stateRoot?: string;
    /** A label for the stack name (letters, digits, `-`, `_`), e.g. the suite's name. Default `fixture`. */
    name?: string;
    /** Receives progress lines (never secrets). Default: none. Warnings (a stale run that could not be cleaned) also go to `console.warn`. */
    log?: (line: string) => void;
    /**
     * Make usernames unique per run and worker (`admin@example.com` becomes `admin+w1-3f2a9c@example.com`,
     * `admin` becomes `admin-w1-3f2a9c`), so suites running at once against one pool never collide; keys
     * stay the handles and `user(key).username` is the name created. Default: on in a `mocha --parallel`
     * worker, off otherwise.
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
     * Destroys the users, removes the stack and the run's folder, stops the embedded Cognito. Call it in
     * `after()`: it runs even when tests failed. Idempotent; a no-op when `up()` never succeeded.
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
    /** The current TOTP code of a user declared with `mfa: { totp: true }`, e.g. to type into a UI under test. */
    totp(key: K): string;
    /** Where the users are. @throws before `up()` succeeded. */
    readonly pool: FixturePoolInfo;
    /** The user keys, in declaration order. */
    readonly keys: readonly K[];
    /** This run's folder (backend, work folder, emulator data), for debugging; undefined when not up. */
    readonly runDir: string | undefined;
}

/** An error of the fixture, naming the step and, when one is to blame, the user. */
export class CognitoFixtureError extends Error {
    /** What the fixture was doing, e.g. `create users (pulumi up)`. */
    readonly step: string;
    /** The key of the user the step failed for, if any. */
    readonly userKey?: string;
    /** Every user the step failed for, with Cognito's or Pulumi's message. */
    readonly failures: ReadonlyArray<{ userKey: string; username: string; message: string }>;

    constructor(step: string, message: string, failures: Array<{ userKey: string; username: string; message: string }> = []) {
        super(`cognitoFixture: ${step} failed: ${message}`);
        this.name = "CognitoFixtureError";
        this.step = step;
        this.failures = failures;
        this.userKey = failures[0]?.userKey;
    }
}

/** Region the embedded Cognito's clients declare; cognito-local ignores it. */
const EMBEDDED_REGION = "us-east-1";
/** cognito-local accepts any credentials; these keep the SDK from looking for real ones. */
const EMBEDDED_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
/** The Pulumi project of every fixture stack. */
const PROJECT_NAME = "cognito-fixture";

/**
 * Declares Cognito users for a test suite. Nothing happens until `up()`.
 *
 * @example
 * const users = cognitoFixture({ users: { admin: { username: "admin@example.com", groups: ["admins"] } } });
 * before(() => users.up());
 * after(() => users.down());
 * it("...", async () => { const { idToken, claims } = await users.signIn("admin"); });
 *
 * @throws a CognitoFixtureError at once when the declaration is invalid (no users, a duplicate username, ...).
 */
export function cognitoFixture<U extends Record<string, FixtureUserSpec>>(
    options: CognitoFixtureOptions<U>,
): CognitoFixture<Extract<keyof U, string>, U> {
    return new Fixture<Extract<keyof U, string>>(
        options as CognitoFixtureOptions<Record<string, FixtureUserSpec>>,
    ) as unknown as CognitoFixture<Extract<keyof U, string>, U>;
}

/** Options of {@link cleanupStaleFixtureRuns}. */
export interface CleanupOptions {
    /** Root of the per-run folders; default `<os.tmpdir()>/pulumi-cognito-user-fixtures`. */
    stateRoot?: string;
    /** The CLI for destroying users left in your own pools. */
    pulumi?: FixturePulumiOptions;
    /** Progress lines. */
    log?: (line: string) => void;
}

/**
 * Cleans up runs whose process died (what every `up()` does first), e.g. from a CI job's teardown.
 * Returns how many runs were cleaned; runs it could not clean stay for a later attempt and are reported
 * with `console.warn`.
 */
export async function cleanupStaleFixtureRuns(options: CleanupOptions = {}): Promise<number> {
    return serialized(() =>
        cleanStaleRuns(options.stateRoot ?? DEFAULT_STATE_ROOT, options.pulumi ?? {}, options.log ?? (() => undefined)),
    );
}

/** Everything one successful `up()` made. */
interface LiveRun {
    paths: RunPaths;
    record: RunRecord;
    /** Set once the pool is known; always set on a run that is up. */
    client?: CognitoIdentityProviderClient;
    app?: AppClientAuth;
    pool?: FixturePoolInfo;
    cognitoLocal?: CognitoLocal;
    stack?: Stack;
    /** The stack has (or may have) resources to destroy. */
    deployed: boolean;
    users: Map<string, FixtureUser>;
    /** Users as the program saw them created. */
    captured: Map<string, CapturedUser>;
    /** The usernames' suffix when they are made unique. */
    suffix?: string;
    /** Tokens per user for this run. */
    tokens: TokenCache;
    /** The rest of `stack.up()` (reading outputs), still running after `up()` returned. */
    finishing?: Promise<void>;
    removeExitHook: () => void;
}

/** A user's outputs, as the program exports them. */
type CapturedUser = Pick<FixtureUser, "cognitoUsername" | "sub" | "groups" | "totpSecret"> & {
    username: string;
    password?: string;
    temporaryPassword?: string;
};

class Fixture<K extends string> implements CognitoFixture<K> {
    readonly keys: readonly K[];
    private readonly specs: Record<string, FixtureUserSpec>;
    private run?: LiveRun;
    private upping?: Promise<void>;
    private downing?: Promise<void>;

    constructor(private readonly options: CognitoFixtureOptions<Record<string, FixtureUserSpec>>) {
        this.specs = options.users ?? {};
        this.keys = Object.keys(this.specs) as K[];
        validateSpecs(this.specs, options);
    }

    get runDir(): string | undefined {
        return this.run?.paths.dir;
    }

    get pool(): FixturePoolInfo {
        return { ...this.live("pool").pool! };
    }

    up(): Promise<void> {
        if (this.upping) return this.upping;
        this.upping = serialized(() => this.start()).catch((error) => {
            this.upping = undefined; // a later up() may retry; down() has nothing to do
            throw error;
        });
        return this.upping;
    }

    down(): Promise<void> {
        if (this.downing) return this.downing;
        if (!this.upping) return Promise.resolve();
        const upping = this.upping;
        this.downing = (async () => {
            try {
                await upping.catch(() => undefined);
                const run = this.run;
                this.run = undefined;
                if (run) await serialized(() => teardown(run, this.log));
            } finally {
                this.upping = undefined;
                this.downing = undefined;
            }
        })();
        return this.downing;
    }

    user(key: K): FixtureUser<K> {
        const user = this.live(`user("${key}")`).users.get(key);
        if (!user) throw new CognitoFixtureError(`user("${key}")`, `no user "${key}" is declared (declared: ${this.keys.join(", ")})`);
        return { ...user, groups: [...user.groups] } as FixtureUser<K>;
    }

    async signIn(key: K, options: FixtureSignInOptions = {}): Promise<FixtureTokens & FixtureChallenge> {
        const run = this.live(`signIn("${key}")`);
        const user = this.user(key);
        const setPassword = (password: string) => Object.assign(run.users.get(key)!, { password, passwordIsTemporary: false });
        try {
            // Typed by the overloads: tokens, or a challenge for a user with a temporary password.
            return (await signInUser(
                run.client!,
                run.pool!.userPoolId,
                run.app!,
                run.tokens,
                user,
                options,
                setPassword,
            )) as FixtureTokens & FixtureChallenge;
        } catch (error) {
            const message = redact(errorText(error), [user.password, options.newPassword, user.totpSecret]);
            throw new CognitoFixtureError(`sign in (${run.app!.flow})`, `user "${key}" (${user.username}): ${message}`, [
                { userKey: key, username: user.username, message },
            ]);
        }
    }

    totp(key: K): string {
        const user = this.user(key);
        try {
            return currentTotp(key, user.totpSecret);
        } catch (error) {
            throw new CognitoFixtureError(`totp("${key}")`, errorText(error));
        }
    }

    private get log(): (line: string) => void {
        return this.options.log ?? (() => undefined);
    }

    private live(what: string): LiveRun {
        if (!this.run) throw new CognitoFixtureError(what, "the fixture is not up: call `await users.up()` first (e.g. in before())");
        return this.run;
    }

    /** The body of `up()`; runs with no other fixture operation of this process in flight. */
    private async start(): Promise<void> {
        const options = this.options;
        const root = options.stateRoot ?? DEFAULT_STATE_ROOT;
        const log = this.log;
        // Runs of dead processes are cleaned while this one starts: they share nothing but the root folder.
        const cleaning = cleanStaleRuns(root, options.pulumi ?? {}, log).catch((error) => {
            console.warn(`cognitoFixture: cleaning up runs of dead processes in ${root} failed: ${errorText(error)}`);
        });
        const mode = options.pool ? "pool" : "embedded";
        const runId = crypto.randomBytes(4).toString("hex");
        const stackName = `${sanitizeName(options.name ?? "fixture")}-${process.pid}-${runId}`;
        const suffix = makesUsernamesUnique(options.uniqueUsernames) ? runSuffix(runId.slice(0, 6)) : undefined;
        const usernames = Object.fromEntries(
            this.keys.map((key) => [key, userResourceArgs(this.specs[key], "", suffix).username as string]),
        );
        const { paths, record } = createRun(root, {
            projectName: PROJECT_NAME,
            stackName,
            passphrase: crypto.randomBytes(24).toString("base64"),
            mode,
            usernames,
        });
        log(`run ${paths.dir}: stack ${stackName}`);

        // Embedded: everything lives in the run folder and the emulator, so an exiting process can drop it at once.
        const onExit = () => {
            if (mode === "embedded") fs.rmSync(paths.dir, { recursive: true, force: true });
        };
        process.once("exit", onExit);
        const run: LiveRun = {
            paths,
            record,
            deployed: false,
            users: new Map(),
            captured: new Map(),
            suffix,
            tokens: new TokenCache((options.refreshBeforeExpirySeconds ?? 300) * 1000, log),
            removeExitHook: () => process.removeListener("exit", onExit),
        };
        // The stack is made while the pool is prepared: they do not depend on each other, and both take seconds.
        let stackPromise: Promise<Stack> | undefined;
        try {
            stackPromise = this.createStack(run);
            stackPromise.catch(() => undefined); // awaited below; must not count as unhandled meanwhile
            await (options.pool ? this.usePool(run, options.pool) : this.startEmbedded(run));
            writeRecord(paths, record);
            run.stack = await stackPromise;

            log(`pulumi up: ${this.keys.length} user(s)`);
            run.deployed = true;
            await this.deploy(run);
            await this.takeIssuerFromTokens(run);
            await cleaning;
            this.run = run;
            log(`up: ${this.keys.length} user(s) in ${run.pool!.userPoolId}`);
        } catch (error) {
            // Leave nothing behind: let the CLI calls finish, destroy what was made, stop the emulator, drop the folder.
            await Promise.all([stackPromise?.catch(() => undefined), run.finishing, cleaning]);
            try {
                await teardown(run, log);
            } catch (cleanupError) {
                if (error instanceof Error) error.message += `\n(cleaning up after it also failed: ${errorText(cleanupError)})`;
            }
            throw error;
        }
    }

    /**
     * `pulumi up`, returning as soon as the engine reports the update done with every user created. The
     * Automation API then still reads the outputs and the history with three more CLI runs (over a second);
     * the program already captured the users in this process, so the tests need not wait for those:
     * `run.finishing` tracks them and `down()` waits for it.
     */
    private async deploy(run: LiveRun): Promise<void> {
        const stack = run.stack!;
        const events = new EventLog();
        let engineDone!: () => void;
        const summary = new Promise<"summary">((resolve) => (engineDone = () => resolve("summary")));
        const update = stack.up({
            color: "never",
            onEvent: (event) => {
                events.record(event);
                if (event.summaryEvent) engineDone();
            },
        });
        run.finishing = update.then(
            () => undefined,
            () => undefined,
        );
        const first = await Promise.race([
            summary,
            update.then(
                () => "finished" as const,
                () => "failed" as const,
            ),
        ]);
        const complete = events.failures().length === 0 && !events.general() && this.keys.every((key) => run.captured.has(key));
        if (first === "summary" && complete) return this.collectUsers(run, run.captured);
        let outputs: Record<string, { value: unknown }>;
        try {
            ({ outputs } = await update);
        } catch (error) {
            throw this.upError("create users (pulumi up)", error, events);
        }
        const fromOutputs = new Map(Object.entries((outputs.users?.value ?? {}) as Record<string, CapturedUser>));
        this.collectUsers(run, fromOutputs);
    }

    /**
     * Sets `pool.issuer` to the `iss` the pool's tokens carry, read from one sign-in: emulators issue
     * tokens under URLs of their own (cognito-local its endpoint, moto AWS's URL whatever its endpoint),
     * so no URL scheme fits every endpoint. It signs in the first user that needs nothing but its
     * password (enabled, no MFA, not a temporary password), so no TOTP code is spent. Without one, or if
     * the sign-in fails, the issuer stays AWS's `https://cognito-idp.<region>.amazonaws.com/<pool>` (or
     * `<endpoint>/<pool>`), and the reason is logged.
     */
    private async takeIssuerFromTokens(run: LiveRun): Promise<void> {
        const key = this.keys.find((k) => {
            const spec = this.specs[k];
            return spec.enabled !== false && !spec.mfa?.totp && !run.users.get(k)!.passwordIsTemporary;
        });
        if (key === undefined) {
            this.log(`pool.issuer: no user signs in with a password alone; using ${run.pool!.issuer}`);
            return;
        }
        const user = run.users.get(key)!;
        try {
            const { claims } = await signInWithPassword(run.client!, run.pool!.userPoolId, run.app!, user.username, user.password);
            if (typeof claims.iss === "string" && claims.iss !== "") run.pool = { ...run.pool!, issuer: claims.iss };
        } catch (error) {
            this.log(
                `pool.issuer: could not sign ${user.username} in to read it (${redact(errorText(error), [user.password])}); using ${run.pool!.issuer}`,
            );
        }
    }

    /** Fills `run.users` from what the stack created. */
    private collectUsers(run: LiveRun, created: Map<string, CapturedUser>): void {
        for (const key of this.keys) {
            const out = created.get(key);
            const password = out?.password ?? out?.temporaryPassword;
            if (!out?.sub || !password) {
                throw new CognitoFixtureError(
                    "read the created users",
                    `user "${key}" (${this.specs[key].username}): the stack did not report its sub and password`,
                );
            }
            run.users.set(key, {
                key,
                username: out.username ?? this.specs[key].username,
                declaredUsername: this.specs[key].username,
                cognitoUsername: out.cognitoUsername,
                sub: out.sub,
                password,
                passwordIsTemporary: out.password === undefined,
                groups: out.groups ?? [],
                ...(out.totpSecret ? { totpSecret: out.totpSecret } : {}),
            });
        }
    }

    /** Creates the run's stack (a new one: the name is unique) with the inline program, in a prepared work folder. */
    private async createStack(run: LiveRun): Promise<Stack> {
        const pulumiOptions = this.options.pulumi ?? {};
        const executable = await step("find the Pulumi CLI", async () => resolvePulumiExecutable(pulumiOptions));
        const pulumiCommand = await step("run the Pulumi CLI (pulumi version)", () =>
            pulumiCommandFor(executable, path.join(run.paths.dir, "cli")),
        );
        // The embedded Cognito accepts any credentials; the dynamic provider must not go looking for real ones.
        const extraEnv: Record<string, string> =
            run.record.mode === "embedded"
                ? {
                      AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
                      AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
                      AWS_SESSION_TOKEN: "",
                  }
                : {};
        return step("create the Pulumi stack", async () => {
            prepareWorkDir(run.paths.workDir);
            const stack = await LocalWorkspace.createStack(
                { projectName: PROJECT_NAME, stackName: run.record.stackName, program: this.program(run) },
                {
                    workDir: run.paths.workDir,
                    pulumiCommand,
                    envVars: fixtureEnv(pulumiOptions, run.paths, run.record.passphrase, pulumiCommand.command, extraEnv),
                },
            );
            this.log("stack ready");
            return stack;
        });
    }

    /** Connects to the caller's pool: its Region, app client and groups. */
    private async usePool(run: LiveRun, given: FixturePool): Promise<void> {
        const region = given.region ?? regionFromPoolId(given.userPoolId) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
        if (!region)
            throw new CognitoFixtureError(
                "find the pool's Region",
                `pass pool.region: ${given.userPoolId} names none and AWS_REGION is not set`,
            );
        const client = new CognitoIdentityProviderClient({
            region,
            endpoint: given.endpoint,
            profile: given.profile,
            retryMode: "adaptive",
        });
        run.client = client;
        run.pool = poolInfo(given.userPoolId, given.clientId, region, given.endpoint, false);
        run.record.pool = { userPoolId: given.userPoolId, region, endpoint: given.endpoint, profile: given.profile };
        // The client first: it also proves the pool exists, so a missing pool is not reported as missing groups.
        run.app = await step("describe the app client", async () => {
            try {
                return await describeAppClient(client, given.userPoolId, given.clientId, given);
            } catch (error) {
                throw new Error(`pool ${given.userPoolId}, app client ${given.clientId}: ${errorText(error)} (${(error as Error).name})`);
            }
        });
        await this.checkGroupsExist(client, given.userPoolId);
    }

    /** Starts cognito-local in the run's folder and makes the pool, its app client and the groups. */
    private async startEmbedded(run: LiveRun): Promise<void> {
        const emulator = await step("start the embedded Cognito (cognito-local)", () => startEmbeddedCognito(run.paths));
        run.cognitoLocal = emulator;
        run.record.cognitoLocal = { pid: emulator.pid, start: processStart(emulator.pid), endpoint: emulator.endpoint };
        writeRecord(run.paths, run.record); // before anything else can fail: a crash from here on leaves an emulator to stop
        const client = new CognitoIdentityProviderClient({
            region: EMBEDDED_REGION,
            endpoint: emulator.endpoint,
            credentials: EMBEDDED_CREDENTIALS,
            maxAttempts: 1,
        });
        run.client = client;
        const made = await this.createEmbeddedPool(client);
        run.pool = poolInfo(made.userPoolId, made.clientId, EMBEDDED_REGION, emulator.endpoint, true);
        run.record.pool = { userPoolId: made.userPoolId, region: EMBEDDED_REGION, endpoint: emulator.endpoint };
        run.app = { clientId: made.clientId, flow: "USER_PASSWORD_AUTH" };
        this.log("pool ready");
    }

    /** The inline Pulumi program: one CognitoUser per declared user, exported by key. */
    private program(run: LiveRun): () => Promise<Record<string, unknown>> {
        const specs = this.specs;
        const keys = [...this.keys];
        const profile = this.options.pool?.profile;
        return async () => {
            // Read when the program runs (pulumi up), by which time the pool is ready.
            const pool = run.pool!;
            const users: Record<string, unknown> = {};
            for (const key of keys) {
                const spec = specs[key];
                const user = new CognitoUser(key, {
                    userPoolId: pool.userPoolId,
                    // username, attributes, the password kind, enabled, mfa and its client
                    ...(userResourceArgs(spec, pool.clientId, run.suffix) as Pick<CognitoUserArgs, "username">),
                    groups: spec.groups,
                    region: pool.region,
                    endpoint: pool.endpoint,
                    profile,
                    // Never take over (and later delete) a user that was there before the suite.
                    adoptExisting: false,
                });
                const outputs = {
                    username: user.username,
                    cognitoUsername: user.cognitoUsername,
                    sub: user.sub,
                    password: user.password,
                    temporaryPassword: user.temporaryPassword,
                    totpSecret: user.totpSecret,
                    groups: user.groups,
                };
                users[key] = outputs;
                // Resolved in this process when the create finishes; see deploy().
                pulumi.output(outputs).apply((created) => {
                    if (created.sub && (created.password || created.temporaryPassword))
                        run.captured.set(key, created as unknown as CapturedUser);
                });
            }
            return { users };
        };
    }

    /** Creates the embedded pool, its app client and every group the users name. */
    private async createEmbeddedPool(client: CognitoIdentityProviderClient): Promise<{ userPoolId: string; clientId: string }> {
        const emailAsUsername = this.options.embedded?.emailAsUsername ?? false;
        const created = await step("create the embedded pool", () =>
            client.send(
                new CreateUserPoolCommand({
                    PoolName: `fixture-${process.pid}`,
                    // Explicit: cognito-local's own default may be email sign-in.
                    UsernameAttributes: emailAsUsername ? ["email"] : [],
                    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
                }),
            ),
        );
        const userPoolId = created.UserPool!.Id!;
        if (anyTotp(this.specs)) await step("turn on optional TOTP MFA in the embedded pool", () => enableOptionalTotp(client, userPoolId));
        const groups = this.groupNames();
        const [app] = await Promise.all([
            step("create the embedded pool's app client", () =>
                client.send(
                    new CreateUserPoolClientCommand({
                        UserPoolId: userPoolId,
                        ClientName: "fixture",
                        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                    }),
                ),
            ),
            ...groups.map((group) =>
                step(`create group "${group}"`, () => client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }))),
            ),
        ]);
        return { userPoolId, clientId: app.UserPoolClient!.ClientId! };
    }

    /**
     * Checks that every group the users name exists in the caller's pool. The fixture does not create
     * groups there: a pool's groups are its owner's infrastructure (and carry IAM roles and precedence).
     * Without permission to read groups, the check is skipped and a missing group fails the user's create.
     */
    private async checkGroupsExist(client: CognitoIdentityProviderClient, userPoolId: string): Promise<void> {
        const missing: string[] = [];
        await Promise.all(
            this.groupNames(false).map(async (group) => {
                try {
                    await client.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
                } catch (error) {
                    const name = (error as Error).name;
                    // The same exception says the pool is missing; only a group's absence is a missing group.
                    if (name === "ResourceNotFoundException" && !/pool/i.test((error as Error).message)) missing.push(group);
                    else if (name !== "AccessDeniedException") throw new CognitoFixtureError(`check group "${group}"`, errorText(error));
                }
            }),
        );
        if (missing.length === 0) return;
        const failures = this.keys
            .filter((key) => (this.specs[key].groups ?? []).some((g) => missing.includes(g)))
            .map((key) => ({
                userKey: key,
                username: this.specs[key].username,
                message: `group(s) ${(this.specs[key].groups ?? []).filter((g) => missing.includes(g)).join(", ")} do not exist`,
            }));
        const text = failures.map((f) => `user "${f.userKey}" (${f.username}): ${f.message}`).join("; ");
        throw new CognitoFixtureError(
            "check groups",
            `${text} in pool ${userPoolId}. Create them with the pool (the fixture creates groups only in its embedded Cognito).`,
            failures,
        );
    }

    /** Every group the users name (plus, for the embedded pool, the extra ones), once each. */
    private groupNames(withExtra = true): string[] {
        const extra = withExtra ? (this.options.embedded?.groups ?? []) : [];
        return [...new Set([...extra, ...this.keys.flatMap((key) => this.specs[key].groups ?? [])])];
    }

    /** Turns a failed `pulumi up` into an error naming each user whose create failed. */
    private upError(stepName: string, error: unknown, events: EventLog): CognitoFixtureError {
        const secrets = this.keys.map((key) => this.specs[key].password);
        const failures = events.failures().map(({ name, message }) => ({
            userKey: name,
            username: this.specs[name]?.username ?? name,
            message: redact(message, secrets),
        }));
        if (failures.length === 0) return new CognitoFixtureError(stepName, redact(events.general() || tail(errorText(error)), secrets));
        return new CognitoFixtureError(
            stepName,
            failures.map((f) => `user "${f.userKey}" (${f.username}): ${f.message}`).join("; "),
            failures,
        );
    }
}

/** Collects the engine's error diagnostics by resource name. */
class EventLog {
    private readonly byName = new Map<string, string[]>();
    private readonly other: string[] = [];

    /** The `onEvent` callback. */
    readonly record = (event: EngineEvent): void => {
        const diagnostic = event.diagnosticEvent;
        if (!diagnostic || diagnostic.severity !== "error") return;
        const message = cleanDiagnostic(diagnostic.message);
        const name = diagnostic.urn ? diagnostic.urn.slice(diagnostic.urn.lastIndexOf("::") + 2) : undefined;
        // The stack resource itself only summarizes ("update failed").
        if (name && !diagnostic.urn!.includes("pulumi:pulumi:Stack")) {
            const list = this.byName.get(name) ?? [];
            list.push(message);
            this.byName.set(name, list);
        } else if (message) {
            this.other.push(message);
        }
    };

    /** Errors by resource name. */
    failures(): Array<{ name: string; message: string }> {
        return [...this.byName].map(([name, messages]) => ({ name, message: messages.join(" ") }));
    }

    /** Errors not tied to a resource (e.g. the program threw). */
    general(): string {
        return this.other.join(" ");
    }
}

/** Removes the noise the dynamic-provider host adds around a provider's message. */
function cleanDiagnostic(message: string): string {
    let text = message.trim().replace(/^error: /, "");
    // The host prints `${error}: ${error.stack}`; the provider's stack is its message, so it appears twice.
    const half = text.indexOf(": CognitoUserError: ");
    if (half >= 0) text = text.slice(0, half);
    return text
        .replace(/^CognitoUserError: /, "")
        .replace(/\s+/g, " ")
        .trim();
}

/**
 * Ends a run: destroys the users when they live outside the run (an embedded pool dies with its emulator
 * and folder, so destroying user by user first would only cost time), removes the stack, stops the
 * emulator, removes the folder. When a destroy fails the folder stays, so the next run retries it.
 */
async function teardown(run: LiveRun, log: (line: string) => void): Promise<void> {
    const problems: string[] = [];
    await run.finishing;
    if (run.record.mode === "pool" && run.stack && run.deployed) {
        const events = new EventLog();
        try {
            log(`pulumi destroy: ${run.record.stackName}`);
            await run.stack.destroy({ onEvent: events.record, color: "never" });
            run.deployed = false;
            await run.stack.workspace.removeStack(run.stack.name);
        } catch (error) {
            const failures = events.failures();
            const detail =
                failures.length > 0
                    ? failures.map((f) => `user "${f.name}" (${run.record.usernames[f.name] ?? f.name}): ${f.message}`).join("; ")
                    : tail(errorText(error));
            problems.push(`destroy users (pulumi destroy): ${detail}`);
        }
    }
    try {
        await run.cognitoLocal?.stop();
    } catch (error) {
        problems.push(`stop the embedded Cognito: ${errorText(error)}`);
    }
    run.client?.destroy();
    run.removeExitHook();
    if (problems.length === 0 || run.record.mode === "embedded") {
        fs.rmSync(run.paths.dir, { recursive: true, force: true });
    }
    if (problems.length > 0) {
        const kept =
            run.record.mode === "pool" ? ` The run's state stays in ${run.paths.dir}; the next fixture run retries the cleanup.` : "";
        throw new CognitoFixtureError("down", problems.join("; ") + kept);
    }
}

/** Cleans up every run under `root` whose process died. */
async function cleanStaleRuns(root: string, pulumiOptions: FixturePulumiOptions, log: (line: string) => void): Promise<number> {
    let cleaned = 0;
    for (const stale of claimStaleRuns(root)) {
        try {
            await cleanStaleRun(stale, pulumiOptions, log);
            fs.rmSync(stale.paths.dir, { recursive: true, force: true });
            cleaned++;
            log(`cleaned up the run of dead process ${stale.record?.owner.pid ?? "?"} (${stale.record?.stackName ?? stale.paths.dir})`);
        } catch (error) {
            console.warn(
                `cognitoFixture: could not clean up the run left in ${stale.paths.dir} by a dead process; a later run retries: ${errorText(error)}`,
            );
        }
    }
    return cleaned;
}

/** Stops a dead run's emulator and, for the caller's own pool, destroys its users. */
async function cleanStaleRun(stale: StaleRun, pulumiOptions: FixturePulumiOptions, log: (line: string) => void): Promise<void> {
    const record = stale.record;
    if (!record) return;
    const emulator = record.cognitoLocal;
    // Its parent died without stopping it. Check the command line too: the pid may belong to someone else now.
    if (emulator && isAlive(emulator) && commandLine(emulator.pid).includes("cognito-local")) {
        try {
            process.kill(emulator.pid, "SIGKILL");
            log(`stopped the orphaned cognito-local ${emulator.pid} (${emulator.endpoint})`);
        } catch {
            // Gone meanwhile.
        }
    }
    // The embedded pool's users died with its emulator; only users in the caller's pool need a destroy.
    if (record.mode !== "pool" || !fs.existsSync(stale.paths.backend)) return;
    const executable = resolvePulumiExecutable(pulumiOptions);
    const pulumiCommand: PulumiCommand = await pulumiCommandFor(executable, path.join(stale.paths.dir, "cli"));
    if (!fs.existsSync(path.join(stale.paths.workDir, "node_modules"))) prepareWorkDir(stale.paths.workDir);
    let stack: Stack;
    try {
        stack = await LocalWorkspace.selectStack(
            { projectName: record.projectName, stackName: record.stackName, program: async () => ({}) },
            {
                workDir: stale.paths.workDir,
                pulumiCommand,
                envVars: fixtureEnv(pulumiOptions, stale.paths, record.passphrase, pulumiCommand.command),
            },
        );
    } catch (error) {
        if (error instanceof StackNotFoundError) return; // died before its stack existed
        throw error;
    }
    const pending = ((await stack.exportStack()).deployment?.pending_operations ?? []) as Array<{
        type?: string;
        resource?: { urn?: string };
    }>;
    for (const op of pending.filter((p) => p.type === "creating")) {
        const name = op.resource?.urn?.slice(op.resource.urn.lastIndexOf("::") + 2) ?? "?";
        console.warn(
            `cognitoFixture: the dead run ${record.stackName} was creating user "${name}" (${record.usernames[name] ?? "?"}) in pool ${record.pool?.userPoolId} when it died; ` +
                "if that user exists it is not in the stack: delete it by hand",
        );
    }
    await stack.destroy({ color: "never" });
    await stack.workspace.removeStack(record.stackName);
    log(`destroyed the users of dead run ${record.stackName} in pool ${record.pool?.userPoolId}`);
}

/** Starts cognito-local in the run's folder, with a clear message when the optional peer dependency is missing. */
async function startEmbeddedCognito(paths: RunPaths): Promise<CognitoLocal> {
    try {
        require.resolve("cognito-local/lib/bin/start.js");
    } catch {
        throw new Error(
            "cognito-local is not installed: `npm install --save-dev cognito-local`, or pass the `pool` option to use a pool of your own",
        );
    }
    fs.mkdirSync(paths.cognitoLocalData, { recursive: true });
    return startCognitoLocal({ dataDir: paths.cognitoLocalData });
}

/** Runs one step, wrapping any error that is not already a CognitoFixtureError with the step's name. */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
        return await run();
    } catch (error) {
        if (error instanceof CognitoFixtureError) throw error;
        throw new CognitoFixtureError(name, errorText(error));
    }
}

/**
 * Runs fixture operations of this process one at a time. The Automation API runs inline programs in
 * this process with global runtime state, so two stacks must not deploy at once. Kept on globalThis so
 * two copies of this module (e.g. the compiled and the TypeScript one) share it.
 */
function serialized<T>(run: () => Promise<T>): Promise<T> {
    const holder = globalThis as unknown as Record<symbol, Promise<unknown> | undefined>;
    const key = Symbol.for("pulumi-cognito-user/testing/queue");
    const previous = holder[key] ?? Promise.resolve();
    const next = previous.then(run, run);
    holder[key] = next.catch(() => undefined);
    return next;
}

/** Rejects declarations that cannot work, before anything is started. */
function validateSpecs(specs: Record<string, FixtureUserSpec>, options: CognitoFixtureOptions<Record<string, FixtureUserSpec>>): void {
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
}

/** The pool's public description; issuer and keys at AWS's URLs, or the same paths on an endpoint override (as cognito-local serves them). */
function poolInfo(userPoolId: string, clientId: string, region: string, endpoint: string | undefined, embedded: boolean): FixturePoolInfo {
    const issuer = `${endpoint ? endpoint.replace(/\/+$/, "") : `https://cognito-idp.${region}.amazonaws.com`}/${userPoolId}`;
    return { userPoolId, clientId, region, endpoint, issuer, jwksUrl: `${issuer}/.well-known/jwks.json`, embedded };
}

/** Letters, digits, `-` and `_` only, as stack names need. */
function sanitizeName(name: string): string {
    return name.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 40) || "fixture";
}

/** An error's message. */
function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** The last lines of a long CLI message: the error is at the end. */
function tail(text: string, lines = 15): string {
    return text.trim().split("\n").slice(-lines).join("\n");
}
