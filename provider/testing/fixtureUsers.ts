/**
 * The fixture's users, created and deleted in this process by the provider's own code (`createUser`,
 * `deleteUser`: the same calls, identity checks and rollback as a `CognitoUser`), without a Pulumi
 * stack: the engine's fixed cost per run (CLI, language host, provider host, checkpoint writes) was most of
 * a fixture's time. Crash safety comes from the run's journal (./journal.ts): a `creating` line before
 * each `AdminCreateUser`, a `created` line with the sub after it, a `deleted` line after the delete.
 */
import { CognitoUserError, redact } from "../shared/errors";
import { CognitoGateway, openCognitoGateway } from "../shared/cognito/gateway";
import { Connection } from "../shared/cognito/connection";
import { DEFAULT_MAX_ATTEMPTS, UserInputs } from "../shared/types";
import { validateUserInputs, withoutSecretValues } from "../shared/validate";
import { createUser } from "../user/create";
import { deleteUser } from "../user/delete";
import { CognitoFixtureError, Declaration, errorText, FixtureUser, LiveRun } from "./declaration";
import { appendJournal, JournalConnection, journaledUsers, readJournal } from "./journal";
import { userResourceArgs } from "./signInPaths";

/** Users written at once: a few calls in flight hide the round trips without crowding an emulator or a pool's quotas. */
export const FIXTURE_WRITE_CONCURRENCY = 4;

/** A failure of one user, as `CognitoFixtureError.failures` lists it. */
type UserFailure = { userKey: string; username: string; message: string };

/** The gateway of a run's pool, with the credentials the embedded Cognito takes (any) when it is embedded. */
export function openRunGateway(run: LiveRun, credentials?: Connection["credentials"]): CognitoGateway {
    const pool = run.pool!;
    // The embedded Cognito has no throttling, but a reused connection it closed while idle fails as
    // "socket hang up": three attempts. A real pool gets the provider's retries. A create retried after
    // a lost answer recognises its own user (../user/create.ts).
    return openCognitoGateway({ ...journalConnection(run), maxAttempts: pool.embedded ? 3 : DEFAULT_MAX_ATTEMPTS, credentials });
}

/** Where the run's pool is reached, as the journal records it. */
function journalConnection(run: LiveRun): JournalConnection {
    const pool = run.pool!;
    return { region: pool.region, endpoint: pool.endpoint, profile: run.record.pool?.profile };
}

/**
 * The declared users as the provider's checked inputs, all of them checked before any is written.
 *
 * @throws a CognitoFixtureError naming each user, field and problem (never a password).
 */
export function fixtureUserInputs(declared: Declaration, run: LiveRun): Map<string, UserInputs> {
    const pool = run.pool!;
    const inputs = new Map<string, UserInputs>();
    const failures: UserFailure[] = [];
    for (const key of declared.keys) {
        const spec = declared.specs[key];
        const raw = {
            userPoolId: pool.userPoolId,
            // username, attributes, the password kind, enabled, mfa and its client
            ...userResourceArgs(spec, pool.clientId, run.suffix),
            groups: spec.groups,
            region: pool.region,
            endpoint: pool.endpoint,
            profile: run.record.pool?.profile,
            // Never take over (and later delete) a user that was there before the suite.
            adoptExisting: false,
        };
        const checked = validateUserInputs(raw);
        if (checked.failures.length === 0) {
            inputs.set(key, checked.inputs);
            continue;
        }
        const secrets = [spec.password, spec.temporaryPassword].filter((s): s is string => s !== undefined);
        const reasons = withoutSecretValues(checked.failures, raw, secrets).map((f) =>
            f.property ? `${f.property}: ${f.reason}` : f.reason,
        );
        failures.push({ userKey: key, username: spec.username, message: reasons.join(" ") });
    }
    if (failures.length > 0) throw fixtureError("check the declared users", failures, "Fix the user's declaration.");
    return inputs;
}

/**
 * Creates the users, a few at a time, each journaled before and after its create. Every user is tried;
 * the ones created are in `run.users` even when others failed (so the caller's teardown deletes them).
 *
 * @throws a CognitoFixtureError naming every user whose create failed and why (the provider's message, no password).
 */
export async function createFixtureUsers(
    declared: Declaration,
    run: LiveRun,
    cognito: CognitoGateway,
    inputsByKey: Map<string, UserInputs>,
): Promise<void> {
    const failures: UserFailure[] = [];
    await eachLimited([...inputsByKey], FIXTURE_WRITE_CONCURRENCY, async ([key, inputs]) => {
        try {
            // First: a user the journal does not name could never be recovered (a failed write creates nothing).
            appendJournal(run.paths.dir, {
                kind: "creating",
                key,
                username: inputs.username,
                userPoolId: inputs.userPoolId,
                connection: journalConnection(run),
                attributes: inputs.attributes,
                startedAt: Date.now(),
            });
            // Journaled as soon as Cognito answered: the password, groups and MFA steps that follow may be cut short by a kill.
            const out = await createUser(cognito, inputs, {
                onCreated: (identity) => appendJournal(run.paths.dir, { kind: "created", key, ...identity }),
            });
            const password = out.password ?? out.temporaryPassword ?? inputs.temporaryPassword;
            if (!password) throw new Error("the create reported no password");
            const user: FixtureUser = {
                key,
                username: inputs.username,
                declaredUsername: declared.specs[key].username,
                cognitoUsername: out.cognitoUsername,
                sub: out.sub,
                password,
                passwordIsTemporary: out.password === undefined,
                groups: out.groups ?? inputs.groups,
                ...(out.totpSecret ? { totpSecret: out.totpSecret } : {}),
            };
            run.users.set(key, user);
            declared.log(`created user "${key}" (${inputs.username})`);
        } catch (error) {
            // The provider's errors carry no password; a declared one is redacted anyway, as any text from outside.
            const message = redact(providerMessage(error), [inputs.password, inputs.temporaryPassword]);
            failures.push({ userKey: key, username: inputs.username, message });
        }
    });
    if (failures.length > 0) throw fixtureError("create users", failures, "The users this up() created are deleted again before it fails.");
}

/**
 * Deletes the run's users in the caller's pool (an embedded pool dies with its emulator): every user its
 * journal says was created and not yet deleted, each proven by its recorded Username and sub first, so a
 * user someone else now holds under that name is never touched. Every user is tried; each deleted one is
 * journaled.
 *
 * @throws a CognitoFixtureError naming every user that could not be deleted.
 */
export async function deleteFixtureUsers(run: LiveRun, cognito: CognitoGateway): Promise<void> {
    const failures: UserFailure[] = [];
    const created = [...journaledUsers(readJournal(run.paths.dir)).values()].filter((user) => user.created && !user.deleted);
    await eachLimited(created, FIXTURE_WRITE_CONCURRENCY, async ({ creating, created: identity }) => {
        const context = { ...creating.connection, userPoolId: creating.userPoolId, username: creating.username };
        try {
            await deleteUser(cognito, context, { cognitoUsername: identity!.cognitoUsername, sub: identity!.sub });
            appendJournal(run.paths.dir, { kind: "deleted", key: creating.key });
            run.users.delete(creating.key);
        } catch (error) {
            const message = redact(providerMessage(error), [run.users.get(creating.key)?.password]);
            failures.push({ userKey: creating.key, username: creating.username, message });
        }
    });
    if (failures.length > 0) throw fixtureError("delete users", failures, "The next fixture run retries from the run's journal.");
}

/** Runs `work` on every item, at most `limit` at once; resolves when all have settled (each handles its own errors). */
export async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) await work(items[next++]);
    });
    await Promise.all(lanes);
}

/** The provider's message without its `[CODE]` prefix, the code kept in front where there is one. */
function providerMessage(error: unknown): string {
    if (error instanceof CognitoUserError) return `${error.code}: ${error.toJSON().message}`;
    return errorText(error);
}

/** One error naming every user that failed, each with its message, and the fix. */
function fixtureError(step: string, failures: UserFailure[], after: string): CognitoFixtureError {
    const text = failures.map((f) => `user "${f.userKey}" (${f.username}): ${f.message}`).join("; ");
    return new CognitoFixtureError(step, `${text}. ${after}`, failures);
}
