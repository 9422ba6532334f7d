/**
 * `cognitoFixture`: Cognito users declared next to the tests that need them, created by a Pulumi stack
 * (Automation API, inline program of `CognitoUser`s) before the suite and destroyed after it, with tokens
 * on request. Every run has its own folder (file backend, work folder, embedded Cognito data) under a
 * shared root, so suites in parallel never collide and a crashed run is cleaned up by the next one.
 *
 * This file is the fixture's life (`up`, `down`); its parts: ./declaration.ts (what a suite declares and
 * gets), ./pool.ts (the embedded or the caller's pool), ./stack.ts (the Pulumi run), ./recovery.ts
 * (runs of dead processes), ./auth.ts (sign-in), ./browserState.ts (a browser that starts signed in).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import { Stack } from "@pulumi/pulumi/automation";
import { redact } from "../shared/errors";
import { FixtureTokens } from "./auth";
import { FixtureBrowserState, FixtureBrowserStateOptions, fixtureBrowserState } from "./browserState";
import {
    CognitoFixture,
    CognitoFixtureError,
    CognitoFixtureOptions,
    Declaration,
    declare,
    errorText,
    FixturePoolInfo,
    FixtureUser,
    FixtureUserSpec,
    LiveRun,
    tail,
} from "./declaration";
import { startEmbedded, takeIssuerFromTokens, usePool } from "./pool";
import { cleanStaleRuns } from "./recovery";
import { createRun, DEFAULT_STATE_ROOT, writeRecord } from "./runState";
import { FixtureChallenge, FixtureSignInOptions, TokenCache } from "./signInFlow";
import { currentTotp, signInUser, userResourceArgs } from "./signInPaths";
import { createStack, deploy, EventLog, PROJECT_NAME, serialized } from "./stack";
import { makesUsernamesUnique, runSuffix } from "./uniqueUsernames";

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

class Fixture<K extends string> implements CognitoFixture<K> {
    readonly keys: readonly K[];
    private readonly declared: Declaration;
    private run?: LiveRun;
    private upping?: Promise<void>;
    private downing?: Promise<void>;

    constructor(options: CognitoFixtureOptions<Record<string, FixtureUserSpec>>) {
        this.declared = declare(options);
        this.keys = this.declared.keys as K[];
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
                if (run) await serialized(() => teardown(run, this.declared.log));
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
            return (await signInUser(run.client!, run.pool!, run.app!, run.tokens, user, options, setPassword)) as FixtureTokens &
                FixtureChallenge;
        } catch (error) {
            const message = redact(errorText(error), [user.password, options.newPassword, user.totpSecret]);
            throw new CognitoFixtureError(`sign in (${run.app!.flow})`, `user "${key}" (${user.username}): ${message}`, [
                { userKey: key, username: user.username, message },
            ]);
        }
    }

    async browserState(key: K, options: FixtureBrowserStateOptions): Promise<FixtureBrowserState> {
        return fixtureBrowserState(this.live(`browserState("${key}")`), key, options);
    }

    totp(key: K): string {
        const user = this.user(key);
        try {
            return currentTotp(key, user.totpSecret);
        } catch (error) {
            throw new CognitoFixtureError(`totp("${key}")`, errorText(error));
        }
    }

    private live(what: string): LiveRun {
        if (!this.run) throw new CognitoFixtureError(what, "the fixture is not up: call `await users.up()` first (e.g. in before())");
        return this.run;
    }

    /** The body of `up()`; runs with no other fixture operation of this process in flight. */
    private async start(): Promise<void> {
        const options = this.declared.options;
        const root = options.stateRoot ?? DEFAULT_STATE_ROOT;
        const log = this.declared.log;
        // Runs of dead processes are cleaned while this one starts: they share nothing but the root folder.
        const cleaning = cleanStaleRuns(root, options.pulumi ?? {}, log).catch((error) => {
            console.warn(`cognitoFixture: cleaning up runs of dead processes in ${root} failed: ${errorText(error)}`);
        });
        const mode = options.pool ? "pool" : "embedded";
        const runId = crypto.randomBytes(4).toString("hex");
        const stackName = `${sanitizeName(options.name ?? "fixture")}-${process.pid}-${runId}`;
        const suffix = makesUsernamesUnique(options.uniqueUsernames) ? runSuffix(runId.slice(0, 6)) : undefined;
        const usernames = Object.fromEntries(
            this.keys.map((key) => [key, userResourceArgs(this.declared.specs[key], "", suffix).username as string]),
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
            stackPromise = createStack(this.declared, run);
            stackPromise.catch(() => undefined); // awaited below; must not count as unhandled meanwhile
            await (options.pool ? usePool(this.declared, run, options.pool) : startEmbedded(this.declared, run));
            writeRecord(paths, record);
            run.stack = await stackPromise;

            log(`pulumi up: ${this.keys.length} user(s)`);
            run.deployed = true;
            await deploy(this.declared, run);
            await takeIssuerFromTokens(this.declared, run);
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

/** Letters, digits, `-` and `_` only, as stack names need. */
function sanitizeName(name: string): string {
    return name.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 40) || "fixture";
}
