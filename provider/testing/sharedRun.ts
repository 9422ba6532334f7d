/**
 * One fixture per test run, shared by the runner's workers: the global set-up calls `up()` then
 * `share()`, which writes the users (with their passwords) to `shared.json` in the run's folder, mode
 * 0600 in a 0700 folder, and hands out a handle that holds only that folder's path. A worker calls
 * `attachCognitoFixture(handle)` and signs users in without creating anything; the global teardown's
 * `down()` removes the folder. A worker that crashed changes nothing; a killed runner leaves a run whose
 * owner is dead, which the next run's recovery cleans up.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { AppClientAuth } from "./auth";
import { CognitoFixture, CognitoFixtureError, FixturePoolInfo, FixtureUser, LiveRun, SharedFixtureHandle } from "./declaration";
import { FixtureView, SignInContext } from "./fixtureView";
import { EMBEDDED_CREDENTIALS } from "./pool";
import { TokenCache } from "./signInFlow";

/** The environment variable `share()` sets to the handle (JSON), which workers started afterwards inherit. */
export const SHARED_FIXTURE_ENV = "COGNITO_FIXTURE_SHARED";

/** What `shared.json` holds: everything a worker needs to sign the users in. Secret (passwords, TOTP secrets). */
interface SharedRunFile {
    /** The format. */
    version: 1;
    /** The user keys, in declaration order. */
    keys: string[];
    /** The users as created, passwords included. */
    users: Record<string, FixtureUser>;
    /** Where they are. */
    pool: FixturePoolInfo;
    /** The app client and its flow (and secret, if the pool's client has one). */
    app: AppClientAuth;
    /** The named AWS profile of the caller's pool, if one was given. */
    profile?: string;
}

/** The shared users' file in a run folder. */
function sharedFilePath(runDir: string): string {
    return path.join(runDir, "shared.json");
}

/** Writes the run's users for its workers (0600, atomically) and returns the handle; sets `COGNITO_FIXTURE_SHARED`. */
export function writeSharedRun(run: LiveRun, keys: readonly string[]): SharedFixtureHandle {
    const file: SharedRunFile = {
        version: 1,
        keys: [...keys],
        users: Object.fromEntries(run.users),
        pool: run.pool!,
        app: run.app!,
        profile: run.record.pool?.profile,
    };
    const target = sharedFilePath(run.paths.dir);
    const temp = `${target}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(file), { mode: 0o600 });
    fs.renameSync(temp, target);
    const handle: SharedFixtureHandle = { version: 1, runDir: run.paths.dir };
    process.env[SHARED_FIXTURE_ENV] = JSON.stringify(handle);
    return handle;
}

/**
 * A worker's view of a fixture another process shared (`share()` in the runner's global set-up): the same
 * `user`, `signIn`, `totp`, `pool` and `keys`; `up()` and `down()` create and delete nothing (`down()`
 * only closes this view's connections). A new password set by `signIn(key, { newPassword })` is known
 * to this worker only: give each worker its own user for that path.
 *
 * @param handle what `share()` returned (or its JSON); default: the `COGNITO_FIXTURE_SHARED` environment variable.
 * @throws a CognitoFixtureError saying what to do when there is no handle or the shared run is gone.
 */
export function attachCognitoFixture<K extends string = string>(handle?: SharedFixtureHandle | string): CognitoFixture<K> {
    return new AttachedFixture<K>(readHandle(handle)) as unknown as CognitoFixture<K>;
}

/** The handle as given, or from the environment. */
function readHandle(handle: SharedFixtureHandle | string | undefined): SharedFixtureHandle {
    const given = handle ?? process.env[SHARED_FIXTURE_ENV];
    if (given === undefined || given === "") {
        throw new CognitoFixtureError(
            "attach to the shared fixture",
            `no handle was given and ${SHARED_FIXTURE_ENV} is not set: call \`await users.up(); users.share()\` in the test runner's global set-up ` +
                "(before its workers start), or pass the handle share() returned",
        );
    }
    let parsed: SharedFixtureHandle | undefined;
    try {
        parsed = typeof given === "string" ? (JSON.parse(given) as SharedFixtureHandle) : given;
    } catch {
        parsed = undefined; // not JSON: reported below
    }
    if (parsed?.version !== 1 || typeof parsed.runDir !== "string") {
        const shown = typeof given === "string" ? given : JSON.stringify(given);
        throw new CognitoFixtureError("attach to the shared fixture", `${shown.slice(0, 200)} is not a handle from share()`);
    }
    return parsed;
}

class AttachedFixture<K extends string> extends FixtureView<K> {
    readonly keys: readonly K[];
    private readonly context: SignInContext;
    private readonly handle: SharedFixtureHandle;

    constructor(handle: SharedFixtureHandle) {
        super();
        this.handle = handle;
        let file: SharedRunFile;
        try {
            file = JSON.parse(fs.readFileSync(sharedFilePath(handle.runDir), "utf8")) as SharedRunFile;
        } catch (error) {
            throw new CognitoFixtureError(
                "attach to the shared fixture",
                `cannot read ${sharedFilePath(handle.runDir)} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}): ` +
                    "the fixture that shared it is down already (its global teardown ran), or it never called share()",
            );
        }
        this.keys = file.keys as K[];
        const embedded = file.pool.embedded;
        this.context = {
            users: new Map(Object.entries(file.users)),
            pool: file.pool,
            app: file.app,
            tokens: new TokenCache(300 * 1000),
            client: new CognitoIdentityProviderClient({
                region: file.pool.region,
                endpoint: file.pool.endpoint,
                profile: file.profile,
                // The embedded Cognito takes any credentials: the SDK must not go looking for real ones.
                credentials: embedded ? EMBEDDED_CREDENTIALS : undefined,
                maxAttempts: embedded ? 3 : undefined, // a reused idle connection cognito-local closed: try again
            }),
        };
    }

    get runDir(): string {
        return this.handle.runDir;
    }

    /** Nothing to create: the users are up while the run's owner is. */
    up(): Promise<void> {
        return Promise.resolve();
    }

    /** Closes this worker's connections; the users stay for the other workers (the owner deletes them). */
    down(): Promise<void> {
        this.context.client?.destroy();
        return Promise.resolve();
    }

    share(): SharedFixtureHandle {
        return { ...this.handle };
    }

    protected live(): SignInContext {
        return this.context;
    }
}
