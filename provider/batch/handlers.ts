/**
 * The CognitoUserBatch provider's implementation, loaded inside Pulumi's dynamic-provider host through
 * `require("pulumi-cognito-user/dynamic-batch")`; the serialized provider (./provider.ts) only forwards
 * here. One resource manages many users of one pool: check validates them all before any call, diff
 * and update touch only the users that changed, and a failure for some users never loses the others.
 */
import { randomBytes } from "crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { CognitoUserError, withCognitoUserErrors } from "../core/errors";
import { PasswordPolicy } from "../core/password";
import { isUnknown } from "../core/validate";
import { describePasswordPolicy } from "../cognito/describePasswordPolicy";
import { step } from "../lifecycle/step";
import { BatchOperationError, batchFailureMessage, commonCode } from "./errors";
import { BatchRun, createUsers, deleteUsers, openRun, readUsers, updateUsers } from "./executor";
import { batchReplaces, BatchPlan, checkBatch, planBatch, planHasChanges, settingsOf } from "./plan";
import { BatchInputs, BatchOutputs, BatchSettings } from "./types";

export { setProgressSink } from "./executor";

/** The property in which Pulumi keeps the serialized provider; recorded state must keep it, or refresh breaks. */
const PROVIDER_KEY = "__provider";

/** A new batch's id: `<userPoolId>/<batchName>-<random>`; ids only need to be unique per pool. */
export function batchResourceId(settings: BatchSettings): string {
    return `${settings.userPoolId}/${settings.batchName ?? "batch"}-${randomBytes(4).toString("hex")}`;
}

/** `check`: every user validated before any Cognito call; problems named like `users[3].attributes.x`. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const { inputs, failures } = checkBatch(news);
    if (failures.length > 0) return { inputs: news, failures };
    return { inputs: inputs as unknown as Record<string, unknown> };
}

/**
 * `diff`: a change of pool, Region or endpoint replaces the whole batch (deleting first when the pool
 * stays the same, as the new users would collide with the old); otherwise a change is reported only
 * when some user must be created, updated or deleted.
 */
export async function diff(_id: string, olds: BatchOutputs, news: BatchInputs): Promise<dynamic.DiffResult> {
    const replaces = batchReplaces(olds, news);
    if (replaces.length > 0) {
        return { changes: true, replaces, deleteBeforeReplace: !isUnknown(news.userPoolId) && olds.userPoolId === news.userPoolId };
    }
    if (isUnknown(news.declaredUsers) || isUnknown(news.userPasswords)) return { changes: true };
    return { changes: planHasChanges(planBatch(olds, news)) };
}

/** Reads the pool's password policy once, when some user's password is to be generated. */
async function policyFor(run: BatchRun, plan: BatchPlan): Promise<PasswordPolicy | undefined> {
    const generates =
        plan.create.some((u) => u.generatePassword) ||
        plan.update.some(({ olds, news }) => news.generatePassword && !olds.generatePassword && news.password === undefined);
    if (!generates) return undefined;
    const pool = run.settings.userPoolId;
    return step("DescribeUserPool", { userPoolId: pool, username: `(${run.label})` }, () => describePasswordPolicy(run.client, pool));
}

/** Runs a plan: deletes first (freeing usernames and aliases), then updates, then creates. */
async function execute(run: BatchRun, plan: BatchPlan): Promise<void> {
    try {
        const policy = await policyFor(run, plan);
        if (plan.delete.length > 0) await deleteUsers(run, plan.delete);
        if (plan.update.length > 0) await updateUsers(run, plan.update, policy);
        if (plan.create.length > 0) await createUsers(run, plan.create, policy);
    } finally {
        run.client.destroy();
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
function partialFailure(run: BatchRun, plan: BatchPlan, id: string, provider: unknown): BatchOperationError {
    const outs = run.state.toOutputs(run.settings);
    const summary =
        `${run.label}: ${run.failures.length} users failed (${counts(run, plan)}); the ${outs.count} users that exist are recorded. ` +
        "Fix the cause and run `pulumi up` again: it retries only the failed users.";
    return new BatchOperationError(commonCode(run.failures), batchFailureMessage(summary, run.failures), run.failures, {
        id,
        properties: { ...outs, [PROVIDER_KEY]: provider },
    });
}

/** `create`: every declared user; on failures, the created ones are still recorded (see BatchOperationError). */
export async function create(inputs: BatchInputs): Promise<dynamic.CreateResult> {
    return withCognitoUserErrors(async () => {
        const settings = settingsOf(inputs);
        const id = batchResourceId(settings);
        const run = openRun(settings);
        const plan = planBatch({}, inputs);
        await execute(run, plan);
        if (run.failures.length > 0) {
            if (run.state.size > 0) throw partialFailure(run, plan, id, (inputs as unknown as Record<string, unknown>)[PROVIDER_KEY]);
            const summary = `${run.label}: every one of the ${plan.create.length} users failed; nothing was created.`;
            throw new BatchOperationError(commonCode(run.failures), batchFailureMessage(summary, run.failures), run.failures);
        }
        return { id, outs: run.state.toOutputs(settings) };
    });
}

/** `update`: only the users that changed; on failures, every success is still recorded. */
export async function update(id: string, olds: BatchOutputs, news: BatchInputs): Promise<dynamic.UpdateResult> {
    return withCognitoUserErrors(async () => {
        const settings = settingsOf(news);
        const run = openRun(settings, olds);
        const plan = planBatch(olds, news);
        await execute(run, plan);
        if (run.failures.length > 0) throw partialFailure(run, plan, id, (news as unknown as Record<string, unknown>)[PROVIDER_KEY]);
        return { outs: run.state.toOutputs(settings) };
    });
}

/** `read` (refresh): every recorded user re-read, paced; gone users dropped, drift recorded. */
export async function read(id: string, props: Partial<BatchOutputs> = {}): Promise<dynamic.ReadResult> {
    return withCognitoUserErrors(async () => {
        if (props.users === undefined || props.userPoolId === undefined) {
            throw new CognitoUserError(
                "VALIDATION_ERROR",
                "a CognitoUserBatch cannot be imported: declare the users and run `pulumi up`; with adoptExisting (the default) it adopts the users that already exist.",
            );
        }
        const settings = settingsOf(props as BatchOutputs);
        const run = openRun(settings, props);
        try {
            await readUsers(run, props);
        } finally {
            run.client.destroy();
        }
        if (run.failures.length > 0) {
            const summary = `${run.label}: reading ${run.failures.length} of ${Object.keys(props.users).length} users failed; nothing was changed in the state.`;
            throw new BatchOperationError(commonCode(run.failures), batchFailureMessage(summary, run.failures), run.failures);
        }
        return { id, props: run.state.toOutputs(settings) };
    });
}

/** `delete`: every recorded user; users already gone count as deleted, so a retry after a failure is safe. */
export async function remove(_id: string, props: Partial<BatchOutputs>): Promise<void> {
    return withCognitoUserErrors(async () => {
        if (props.users === undefined || props.userPoolId === undefined) return;
        const settings = settingsOf(props as BatchOutputs);
        const run = openRun(settings, props);
        const users = Object.entries(props.users).map(([username, record]) => ({ username, record }));
        try {
            await deleteUsers(run, users);
        } finally {
            run.client.destroy();
        }
        if (run.failures.length > 0) {
            const summary =
                `${run.label}: deleting ${run.failures.length} of ${users.length} users failed; the batch stays in the state. ` +
                "Run `pulumi destroy` again: users already deleted count as deleted.";
            throw new BatchOperationError(commonCode(run.failures), batchFailureMessage(summary, run.failures), run.failures);
        }
    });
}
