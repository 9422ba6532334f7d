/**
 * The CognitoUserBatch provider: this module itself, loaded inside Pulumi's dynamic-provider host through
 * `require("pulumi-cognito-user/dynamic-batch")`, which is all the `__provider` text in state holds
 * (./provider.ts); 0.1.0's recorded stub calls the same functions, `remove` for `delete`. One resource
 * manages many users of one pool: check validates them all before any call, diff and update touch only
 * the users that changed, and a failure for some users never loses the others.
 */
import { randomBytes } from "crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { CognitoUserError, withCognitoUserErrors } from "../shared/errors";
import { checkResult, Handlers, RawInputs, withProviderOf, WithProvider } from "../shared/handlers";
import { declaredPasswordProblems } from "../shared/password";
import { poolPasswordPolicy } from "../shared/cognito/poolPolicy";
import { isUnknown } from "../shared/unknown";
import { poolAccount } from "../user/read";
import { proveUpdateTarget } from "../user/update";
import { checkBatch } from "./check";
import { BatchOperationError, batchFailureMessage, commonCode } from "./errors";
import { BatchRun, createUsers, deleteUsers, openRun, updateUsers } from "./executor";
import { BatchIdentities } from "./identities";
import { describePlan } from "./planReport";
import { printProgress } from "../shared/notices";
import { readUsers } from "./refresh";
import { batchReplaces, BatchPlan, batchSettingsChanges, planBatch, planHasChanges, settingsOf, userInputsOf, userOutputsOf } from "./plan";
import { BatchInputs, BatchOutputs, BatchSettings } from "./types";
import {
    BatchWireInputs,
    BatchWireOutputs,
    decodeInputs,
    decodeJson,
    decodeOutputs,
    encodeInputs,
    encodeOutputs,
    encodeOutputsLike,
    isEarlierForm,
} from "./wire";
import { watchEngine } from "../shared/engineLifeline";
import { favourMemoryInHost } from "../shared/hostMemory";

// Loaded by Pulumi's dynamic-provider host: once the CLI that started it is killed, stop and exit;
// and keep the host's heap near what it holds (../shared/hostMemory.ts).
watchEngine();
favourMemoryInHost();

export { setProgressSink } from "./executor";

/** A new batch's id: `<userPoolId>/<batchName>-<random>`; ids only need to be unique per pool. */
export function batchResourceId(settings: BatchSettings): string {
    return `${settings.userPoolId}/${settings.batchName ?? "batch"}-${randomBytes(4).toString("hex")}`;
}

/** The declared passwords in raw batch inputs (inline or in `userPasswords`), to keep them out of every check failure. */
function declaredSecrets(raw: RawInputs<BatchWireInputs>): string[] {
    const found: string[] = [];
    const collect = (value: unknown, key?: string): void => {
        if (typeof value === "string" && (key === "password" || key === "temporaryPassword")) found.push(value);
        else if (typeof value === "object" && value !== null)
            for (const [k, v] of Object.entries(value)) collect(v, Array.isArray(value) ? key : k);
    };
    const decoded = (value: unknown, property: string) => {
        try {
            return decodeJson(value, property);
        } catch {
            return undefined;
        }
    };
    collect(decoded(raw.declaredUsers, "declaredUsers"));
    collect(decoded(raw.userPasswords, "userPasswords"));
    return found;
}

/** `check`: every user validated before any Cognito call; problems named like `users[3].attributes.x`, never a password shown. */
export async function check(_olds: unknown, news: RawInputs<BatchWireInputs>): Promise<dynamic.CheckResult<BatchWireInputs>> {
    const checked = checkBatch(news as RawInputs<BatchInputs>);
    return checkResult({ inputs: encodeInputs(checked.inputs), failures: checked.failures }, news, () => declaredSecrets(news));
}

/**
 * `diff`: a new pool replaces the whole batch (the new users are created before the old are deleted);
 * a change of Region, endpoint, profile, attempts, concurrency or rates is an update that records it;
 * otherwise a change is reported only when some user must be created, updated or deleted.
 */
export async function diff(_id: string, recorded: BatchWireOutputs, declared: BatchWireInputs): Promise<dynamic.DiffResult> {
    const olds = decodeOutputs(recorded) as BatchOutputs;
    const news = decodeInputs(declared);
    const replaces = batchReplaces(olds, news);
    if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: false };
    if (batchSettingsChanges(olds, news).length > 0) return { changes: true };
    if (isUnknown(news.declaredUsers) || isUnknown(news.userPasswords)) return { changes: true };
    const plan = planBatch(olds, news);
    // The engine shows the batch as one resource: the preview's only word on which users change is ours.
    for (const line of describePlan(news.batchName ?? "CognitoUserBatch", plan)) printProgress(line);
    // State in the earlier form (maps) is rewritten by an update that writes nothing to Cognito; only
    // against inputs in this form, which `check` makes: a refresh compares with the recorded inputs.
    const upgrade = isEarlierForm(recorded) && typeof declared.declaredUsers === "string";
    return { changes: upgrade || planHasChanges(plan) };
}

/**
 * Every password the plan will write, checked against the pool's policy (read once per run) before any
 * write: one VALIDATION_ERROR naming each user and rule broken, and nothing written.
 */
async function assertPlannedPasswords(run: BatchRun, plan: BatchPlan): Promise<void> {
    const writes = [
        ...plan.create,
        ...plan.update
            .filter(({ olds, news }) => news.password !== olds.password || news.temporaryPassword !== olds.temporaryPassword)
            .map((u) => u.news),
    ].filter((u) => u.password !== undefined || u.temporaryPassword !== undefined);
    if (writes.length === 0) return;
    const policy = await poolPasswordPolicy(run.cognito, writes[0], { userPoolId: run.settings.userPoolId, username: `(${run.label})` });
    const problems = writes.flatMap((u) => declaredPasswordProblems(u, policy, `user "${u.username}"`));
    if (problems.length > 0) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `${run.label}: ${problems.length} declared passwords break the pool's policy; nothing was written.\n  - ${problems.join("\n  - ")}`,
        );
    }
}

/** Records the pool's account in the run when its state does not yet (created now, or by an earlier version). */
async function learnAccount(run: BatchRun): Promise<void> {
    run.accountId ??= await poolAccount(run.cognito, { ...run.settings, username: `(${run.label})` });
}

/** The outputs to record: every user the run knows, the settings, and the pool's account. */
function outputsOf(run: BatchRun): BatchOutputs {
    const outs = run.state.toOutputs(run.settings);
    return run.accountId ? { ...outs, accountId: run.accountId } : outs;
}

/**
 * Runs a plan: deletes first (freeing usernames and aliases), then updates, then creates. Every user
 * deleted or updated is first proven the recorded one (./identities.ts).
 */
async function execute(run: BatchRun, plan: BatchPlan): Promise<void> {
    try {
        await assertPlannedPasswords(run, plan);
        const identities = await BatchIdentities.open(run, plan.delete.length + plan.update.length);
        const prove = identities.prove.bind(identities);
        if (plan.delete.length > 0) await deleteUsers(run, plan.delete, prove);
        if (plan.update.length > 0) await updateUsers(run, plan.update, prove);
        if (plan.create.length > 0) await createUsers(run, plan.create);
        await learnAccount(run);
    } finally {
        run.cognito.destroy();
    }
}

/** How many recorded users prove that a new Region or endpoint holds this batch's users. */
const USERS_PROVING_A_MOVE = 3;

/**
 * Before a new Region or endpoint is recorded: the first recorded users must be there, with the same
 * Username and sub. Raises NOT_FOUND otherwise, and nothing is changed.
 */
async function assertSameUsersAt(run: BatchRun, olds: BatchOutputs): Promise<void> {
    const recorded = settingsOf(olds);
    const passwords = { passwords: olds.passwords ?? {}, temporaryPasswords: olds.temporaryPasswords ?? {} };
    const sample = Object.entries(olds.users ?? {}).slice(0, USERS_PROVING_A_MOVE);
    for (const [username, record] of sample) {
        const user = userOutputsOf(recorded, username, record, passwords);
        const ref = { userPoolId: run.settings.userPoolId, username, resourceUrn: run.settings.resourceUrn };
        await proveUpdateTarget(
            run.cognito,
            { ...user, accountId: olds.accountId },
            userInputsOf(run.settings, username, { attributes: record.attributes }),
            ref,
        );
    }
}

function counts(run: BatchRun, plan: BatchPlan): string {
    const failed = (action: string) => run.failures.filter((f) => f.action === action).length;
    const parts: string[] = [];
    if (plan.create.length > 0) parts.push(`${plan.create.length - failed("create")}/${plan.create.length} created`);
    if (plan.update.length > 0) parts.push(`${plan.update.length - failed("update")}/${plan.update.length} updated`);
    if (plan.delete.length > 0) parts.push(`${plan.delete.length - failed("delete")}/${plan.delete.length} deleted`);
    return parts.join(", ");
}

/** The error for users that failed while others succeeded: carries the state to record. */
function partialFailure(run: BatchRun, plan: BatchPlan, id: string, inputs: WithProvider<BatchWireInputs>): BatchOperationError {
    const outs = outputsOf(run);
    const summary =
        `${run.label}: ${run.failures.length} users failed (${counts(run, plan)}); the ${outs.count} users that exist are recorded. ` +
        "Fix the cause and run `pulumi up` again: it retries only the failed users.";
    return new BatchOperationError(commonCode(run.failures), batchFailureMessage(summary, run.failures), run.failures, {
        id,
        properties: withProviderOf(encodeOutputs(outs), inputs),
    });
}

/** `create`: every declared user; on failures, the created ones are still recorded (see BatchOperationError). */
export async function create(declared: WithProvider<BatchWireInputs>): Promise<{ id: string; outs: BatchWireOutputs }> {
    return withCognitoUserErrors(async () => {
        const inputs = decodeInputs(declared);
        const settings = settingsOf(inputs);
        const id = batchResourceId(settings);
        const run = openRun(settings);
        const plan = planBatch({}, inputs);
        await execute(run, plan);
        if (run.failures.length > 0) {
            if (run.state.size > 0) throw partialFailure(run, plan, id, declared);
            const summary = `${run.label}: every one of the ${plan.create.length} users failed; nothing was created.`;
            throw new BatchOperationError(commonCode(run.failures), batchFailureMessage(summary, run.failures), run.failures);
        }
        return { id, outs: encodeOutputs(outputsOf(run)) };
    });
}

/** `update`: only the users that changed; on failures, every success is still recorded. */
export async function update(
    id: string,
    recorded: BatchWireOutputs,
    declared: WithProvider<BatchWireInputs>,
): Promise<{ outs: BatchWireOutputs }> {
    return withCognitoUserErrors(async () => {
        const olds = decodeOutputs(recorded) as BatchOutputs;
        const news = decodeInputs(declared);
        const settings = settingsOf(news);
        const run = openRun(settings, olds);
        const plan = planBatch(olds, news);
        const moved = olds.region !== news.region || (olds.endpoint ?? undefined) !== (news.endpoint ?? undefined);
        if (moved) await assertSameUsersAt(run, olds).catch((error) => (run.cognito.destroy(), Promise.reject(error)));
        await execute(run, plan);
        if (run.failures.length > 0) throw partialFailure(run, plan, id, declared);
        return { outs: encodeOutputs(outputsOf(run)) };
    });
}

/** `read` (refresh): every recorded user re-read, paced, user by user or the pool in pages (./refresh.ts); gone users dropped, drift recorded. */
export async function read(id: string, recorded: Partial<BatchWireOutputs> = {}): Promise<dynamic.ReadResult<BatchWireOutputs>> {
    return withCognitoUserErrors(async () => {
        const props = decodeOutputs(recorded);
        if (props.users === undefined || props.userPoolId === undefined) {
            throw new CognitoUserError(
                "VALIDATION_ERROR",
                "a CognitoUserBatch cannot be imported: declare the users, set `adoptExisting: true` on the batch, and run `pulumi up`: it adopts the declared users that already exist.",
            );
        }
        const settings = settingsOf(props as BatchOutputs);
        const run = openRun(settings, props);
        try {
            await learnAccount(run);
            await readUsers(run, props);
        } finally {
            run.cognito.destroy();
        }
        if (run.failures.length > 0) {
            const summary = `${run.label}: reading ${run.failures.length} of ${Object.keys(props.users).length} users failed; nothing was changed in the state.`;
            throw new BatchOperationError(commonCode(run.failures), batchFailureMessage(summary, run.failures), run.failures);
        }
        // In the form recorded: only an update, run with this version's secret outputs, changes the form.
        return { id, props: encodeOutputsLike(recorded, outputsOf(run)) };
    });
}

/** `delete`: every recorded user; users already gone count as deleted, so a retry after a failure is safe. */
export async function remove(_id: string, recorded: Partial<BatchWireOutputs>): Promise<void> {
    return withCognitoUserErrors(async () => {
        const props = decodeOutputs(recorded);
        if (props.users === undefined || props.userPoolId === undefined) return;
        const settings = settingsOf(props as BatchOutputs);
        const run = openRun(settings, props);
        const users = Object.entries(props.users).map(([username, record]) => ({ username, record }));
        try {
            const identities = await BatchIdentities.open(run, users.length);
            await deleteUsers(run, users, identities.prove.bind(identities));
        } finally {
            run.cognito.destroy();
        }
        if (run.failures.length > 0) {
            const summary =
                `${run.label}: deleting ${run.failures.length} of ${users.length} users failed; the batch stays in the state. ` +
                "Run `pulumi destroy` again: users already deleted count as deleted.";
            throw new BatchOperationError(commonCode(run.failures), batchFailureMessage(summary, run.failures), run.failures);
        }
    });
}

/** The handlers together, as Pulumi's interface types them: the compiler checks they are what the host calls. */
export const batchHandlers = { check, diff, create, read, update, delete: remove } satisfies Handlers<BatchWireInputs, BatchWireOutputs>;

/**
 * `delete` for the host, which uses this module itself as the provider (./provider.ts); `remove` stays
 * for the stub 0.1.0 recorded.
 */
export { remove as delete };
