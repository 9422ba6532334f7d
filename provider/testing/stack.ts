/**
 * The Pulumi run of a fixture: a stack per run through the Automation API (a file backend and a work
 * folder of the run's own), an inline program of one `CognitoUser` per declared user, and `pulumi up`
 * read back as users, or as an error naming each user that failed. One run at a time per process.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { redact } from "../shared/errors";
import { CognitoUser, CognitoUserArgs } from "../user/cognitoUser";
import { CapturedUser, CognitoFixtureError, Declaration, errorText, LiveRun, step, tail } from "./declaration";
import { EMBEDDED_CREDENTIALS } from "./pool";
import { fixtureEnv, prepareWorkDir, pulumiCommandFor, resolvePulumiExecutable } from "./pulumiRunner";
import { userResourceArgs } from "./signInPaths";

/** The Pulumi project of every fixture stack. */
export const PROJECT_NAME = "cognito-fixture";

/** Creates the run's stack (a new one: the name is unique) with the inline program, in a prepared work folder. */
export async function createStack(declared: Declaration, run: LiveRun): Promise<Stack> {
    const pulumiOptions = declared.options.pulumi ?? {};
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
            { projectName: PROJECT_NAME, stackName: run.record.stackName, program: program(declared, run) },
            {
                workDir: run.paths.workDir,
                pulumiCommand,
                envVars: fixtureEnv(pulumiOptions, run.paths, run.record.passphrase, pulumiCommand.command, extraEnv),
            },
        );
        declared.log("stack ready");
        return stack;
    });
}

/** The inline Pulumi program: one CognitoUser per declared user, exported by key. */
function program(declared: Declaration, run: LiveRun): () => Promise<Record<string, unknown>> {
    const specs = declared.specs;
    const keys = [...declared.keys];
    const profile = declared.options.pool?.profile;
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

/**
 * `pulumi up`, returning as soon as the engine reports the update done with every user created. The
 * Automation API then still reads the outputs and the history with three more CLI runs (over a second);
 * the program already captured the users in this process, so the tests need not wait for those:
 * `run.finishing` tracks them and `down()` waits for it.
 */
export async function deploy(declared: Declaration, run: LiveRun): Promise<void> {
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
    const complete = events.failures().length === 0 && !events.general() && declared.keys.every((key) => run.captured.has(key));
    if (first === "summary" && complete) return collectUsers(declared, run, run.captured);
    let outputs: Record<string, { value: unknown }>;
    try {
        ({ outputs } = await update);
    } catch (error) {
        throw upError(declared, "create users (pulumi up)", error, events);
    }
    const fromOutputs = new Map(Object.entries((outputs.users?.value ?? {}) as Record<string, CapturedUser>));
    collectUsers(declared, run, fromOutputs);
}

function collectUsers(declared: Declaration, run: LiveRun, created: Map<string, CapturedUser>): void {
    for (const key of declared.keys) {
        const out = created.get(key);
        const password = out?.password ?? out?.temporaryPassword;
        if (!out?.sub || !password) {
            throw new CognitoFixtureError(
                "read the created users",
                `user "${key}" (${declared.specs[key].username}): the stack did not report its sub and password`,
            );
        }
        run.users.set(key, {
            key,
            username: out.username ?? declared.specs[key].username,
            declaredUsername: declared.specs[key].username,
            cognitoUsername: out.cognitoUsername,
            sub: out.sub,
            password,
            passwordIsTemporary: out.password === undefined,
            groups: out.groups ?? [],
            ...(out.totpSecret ? { totpSecret: out.totpSecret } : {}),
        });
    }
}

/** Turns a failed `pulumi up` into an error naming each user whose create failed. */
function upError(declared: Declaration, stepName: string, error: unknown, events: EventLog): CognitoFixtureError {
    const secrets = declared.keys.map((key) => declared.specs[key].password);
    const failures = events.failures().map(({ name, message }) => ({
        userKey: name,
        username: declared.specs[name]?.username ?? name,
        message: redact(message, secrets),
    }));
    if (failures.length === 0) return new CognitoFixtureError(stepName, redact(events.general() || tail(errorText(error)), secrets));
    return new CognitoFixtureError(stepName, failures.map((f) => `user "${f.userKey}" (${f.username}): ${f.message}`).join("; "), failures);
}

/** Collects the engine's error diagnostics by resource name. */
export class EventLog {
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
 * Runs fixture operations of this process one at a time. The Automation API runs inline programs in
 * this process with global runtime state, so two stacks must not deploy at once. Kept on globalThis so
 * two copies of this module (e.g. the compiled and the TypeScript one) share it.
 */
export function serialized<T>(run: () => Promise<T>): Promise<T> {
    const holder = globalThis as unknown as Record<symbol, Promise<unknown> | undefined>;
    const key = Symbol.for("pulumi-cognito-user/testing/queue");
    const previous = holder[key] ?? Promise.resolve();
    const next = previous.then(run, run);
    holder[key] = next.catch(() => undefined);
    return next;
}
