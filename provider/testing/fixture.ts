/**
 * `cognitoFixture`: Cognito users declared next to the tests that need them, created before the suite
 * (or once per test run, shared by the runner's workers) and deleted after it, with tokens on request.
 * The users are created in this process by the provider's own create and delete code (./fixtureUsers.ts:
 * the same calls and identity checks as a `CognitoUser`, no Pulumi engine), each step journaled in the
 * run's folder. Every run has its own folder under a shared root, so suites in parallel never collide
 * and a crashed run is cleaned up by the next one (./recovery.ts).
 *
 * This file is the fixture's life (`up`, `down`, `share`); its parts: ./declaration.ts (what a suite
 * declares and gets), ./pool.ts (the embedded or the caller's pool), ./fixtureUsers.ts (the users),
 * ./journal.ts, ./recovery.ts (runs of dead processes), ./fixtureView.ts (sign-in), ./sharedRun.ts.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import {
    CognitoFixture,
    CognitoFixtureError,
    CognitoFixtureOptions,
    Declaration,
    declare,
    errorText,
    FixtureUserSpec,
    LiveRun,
    SharedFixtureHandle,
} from "./declaration";
import { createFixtureUsers, deleteFixtureUsers, fixtureUserInputs, openRunGateway } from "./fixtureUsers";
import { FixtureView, SignInContext } from "./fixtureView";
import { EMBEDDED_CREDENTIALS, startEmbedded, takeIssuerFromTokens, usePool } from "./pool";
import { cleanStaleRuns } from "./recovery";
import { createRun, DEFAULT_STATE_ROOT, writeRecord } from "./runState";
import { writeSharedRun } from "./sharedRun";
import { TokenCache } from "./signInFlow";
import { userResourceArgs } from "./signInPaths";
import { makesUsernamesUnique, runSuffix } from "./uniqueUsernames";

/**
 * Declares Cognito users for a test suite (or a whole test run). Nothing happens until `up()`.
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

class Fixture<K extends string> extends FixtureView<K> {
    readonly keys: readonly K[];
    private readonly declared: Declaration;
    private run?: LiveRun;
    private upping?: Promise<void>;
    private downing?: Promise<void>;

    constructor(options: CognitoFixtureOptions<Record<string, FixtureUserSpec>>) {
        super();
        this.declared = declare(options);
        this.keys = this.declared.keys as K[];
    }

    get runDir(): string | undefined {
        return this.run?.paths.dir;
    }

    up(): Promise<void> {
        if (this.upping) return this.upping;
        this.upping = this.start().catch((error) => {
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
                if (run) await teardown(run, this.declared.log);
            } finally {
                this.upping = undefined;
                this.downing = undefined;
            }
        })();
        return this.downing;
    }

    share(): SharedFixtureHandle {
        const run = this.live("share()") as LiveRun;
        return writeSharedRun(run, this.keys);
    }

    protected live(what: string): SignInContext {
        if (!this.run) throw new CognitoFixtureError(what, "the fixture is not up: call `await users.up()` first (e.g. in before())");
        return this.run;
    }

    /** The body of `up()`. */
    private async start(): Promise<void> {
        const options = this.declared.options;
        const root = options.stateRoot ?? DEFAULT_STATE_ROOT;
        const log = this.declared.log;
        // Runs of dead processes are cleaned while this one starts (an embedded run shares nothing with them).
        const cleaning = cleanStaleRuns(root, options.pulumi ?? {}, log).catch((error) => {
            console.warn(`cognitoFixture: cleaning up runs of dead processes in ${root} failed: ${errorText(error)}`);
        });
        const mode = options.pool ? "pool" : "embedded";
        const runId = crypto.randomBytes(4).toString("hex");
        const runName = `${sanitizeName(options.name ?? "fixture")}-${process.pid}-${runId}`;
        const suffix = makesUsernamesUnique(options.uniqueUsernames) ? runSuffix(runId.slice(0, 6)) : undefined;
        const usernames = Object.fromEntries(
            this.keys.map((key) => [key, userResourceArgs(this.declared.specs[key], "", suffix).username as string]),
        );
        const { paths, record } = createRun(root, { stackName: runName, mode, usernames });
        log(`run ${paths.dir}: ${runName}`);

        // Embedded: everything lives in the run folder and the emulator, so an exiting process can drop it at once.
        const onExit = () => {
            if (mode === "embedded") fs.rmSync(paths.dir, { recursive: true, force: true });
        };
        process.once("exit", onExit);
        const run: LiveRun = {
            paths,
            record,
            users: new Map(),
            suffix,
            tokens: new TokenCache((options.refreshBeforeExpirySeconds ?? 300) * 1000, log),
            removeExitHook: () => process.removeListener("exit", onExit),
        };
        try {
            await (options.pool ? usePool(this.declared, run, options.pool) : startEmbedded(this.declared, run));
            writeRecord(paths, record); // where the users go, before the first is written
            const inputs = fixtureUserInputs(this.declared, run);
            // In a shared pool, a killed run of this very suite may still hold these usernames: its users go first.
            if (mode === "pool") await cleaning;
            const cognito = openRunGateway(run, mode === "embedded" ? EMBEDDED_CREDENTIALS : undefined);
            try {
                await createFixtureUsers(this.declared, run, cognito, inputs);
            } finally {
                cognito.destroy();
            }
            // The embedded Cognito issues tokens under its endpoint, which pool.issuer already is.
            if (mode === "pool") await takeIssuerFromTokens(this.declared, run);
            await cleaning;
            this.run = run;
            log(`up: ${this.keys.length} user(s) in ${run.pool!.userPoolId}`);
        } catch (error) {
            // Leave nothing behind: delete what was made, stop the emulator, drop the folder.
            await cleaning;
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
 * Ends a run: deletes the users when they live outside the run (an embedded pool dies with its emulator
 * and folder, so deleting user by user first would only cost time), stops the emulator, removes the
 * folder. When a delete fails the folder stays, so the next run retries it from the journal.
 */
async function teardown(run: LiveRun, log: (line: string) => void): Promise<void> {
    const problems: string[] = [];
    if (run.record.mode === "pool" && run.pool) {
        const cognito = openRunGateway(run);
        try {
            await deleteFixtureUsers(run, cognito);
            log(`down: users deleted from ${run.pool.userPoolId}`);
        } catch (error) {
            problems.push(errorText(error).replace(/^cognitoFixture: /, ""));
        } finally {
            cognito.destroy();
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
            run.record.mode === "pool" ? ` The run's journal stays in ${run.paths.dir}; the next fixture run retries the cleanup.` : "";
        throw new CognitoFixtureError("down", problems.join("; ") + kept);
    }
}

/** Letters, digits, `-` and `_` only, as the run's name in messages. */
function sanitizeName(name: string): string {
    return name.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 40) || "fixture";
}
