/**
 * Running a batch against Cognito: one gateway per batch operation, every call paced by its quota
 * category (one rate limiter per category, shared by every batch in the process that talks to
 * the same Region and endpoint), at most `concurrency` calls in flight, and each user's outcome
 * recorded as it completes. Throttling is handled in two layers: the SDK's adaptive retry backs off
 * within a call, and a user whose call still ends throttled (the SDK's retry quota runs dry in a long
 * storm) is tried again here after a pause.
 */
import { RateLimiter } from "limiter";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { connectionOf, createCognitoClient } from "../shared/cognito/connection";
import { CognitoUserError, errorShape, redact } from "../shared/errors";
import { CognitoGateway, ProvenUser, RecordedIdentity } from "../shared/cognito/gateway";
import { engineAlive } from "../shared/engineLifeline";
import { printProgress } from "../shared/notices";
import { UserInputs } from "../shared/types";
import { createUser } from "../user/create";
import { deleteUser } from "../user/delete";
import { PartialUpdateError, updateUser } from "../user/update";
import { PlannedUpdate } from "./plan";
import { categoryOfCommand, QuotaCategory, resolveRates } from "./quotas";
import { BatchState } from "./state";
import { BatchOutputs, BatchSettings, BatchUserFailure, BatchUserRecord } from "./types";

export { printProgress, setProgressSink } from "../shared/notices";
export type { NoticeSink as ProgressSink } from "../shared/notices";

/** Batches smaller than this print no progress. */
export const PROGRESS_MIN_USERS = 20;

/** Counts one phase's users and prints a line at every 10% done: `seed: 400/1000 users created (123/s)`. */
export class Progress {
    private succeeded = 0;
    private failed = 0;
    private printedTenths = 0;
    private readonly startedAt = Date.now();

    constructor(
        private readonly label: string,
        private readonly verb: string,
        private readonly total: number,
    ) {}

    /** Records one user's outcome. */
    tick(ok: boolean): void {
        if (ok) this.succeeded++;
        else this.failed++;
        if (this.total < PROGRESS_MIN_USERS) return;
        const tenths = Math.floor(((this.succeeded + this.failed) * 10) / this.total);
        if (tenths <= this.printedTenths) return;
        this.printedTenths = tenths;
        const seconds = Math.max((Date.now() - this.startedAt) / 1000, 0.001);
        const rate = Math.round(this.succeeded / seconds);
        const failed = this.failed > 0 ? `, ${this.failed} failed` : "";
        printProgress(`${this.label}: ${this.succeeded}/${this.total} users ${this.verb}${failed} (${rate}/s)`);
    }
}

/** Process-wide limiters: every batch in this process calling the same service shares its quota. */
const limiters = new Map<string, RateLimiter>();

function limiterFor(key: string, rate: number): RateLimiter {
    let limiter = limiters.get(key);
    if (!limiter) {
        // Evenly spaced starts: one request per 1/rate s (a bucket of one token), so `rate` requests
        // in any second and never a burst above it. Waiters are served first come, first served.
        limiter = new RateLimiter({ tokensPerInterval: 1, interval: 1000 / rate });
        limiters.set(key, limiter);
    }
    return limiter;
}

type Handler = (args: unknown) => Promise<unknown>;

/**
 * A Cognito client whose every request attempt (retries included) first waits for its quota
 * category's limiter. Categories with rate 0 are not paced.
 */
export function createPacedClient(settings: BatchSettings): CognitoIdentityProviderClient {
    const client = createCognitoClient(connectionOf(settings));
    const rates = resolveRates(settings.rates);
    const paced = new Map<QuotaCategory, RateLimiter>();
    for (const [category, rate] of Object.entries(rates) as Array<[QuotaCategory, number]>) {
        if (rate > 0) paced.set(category, limiterFor(`${settings.region}|${settings.endpoint ?? ""}|${category}|${rate}`, rate));
    }
    if (paced.size === 0) return client;
    const pacing = (next: Handler, context: { commandName?: string }) => {
        const category = categoryOfCommand(context.commandName ?? "");
        const limiter = category ? paced.get(category) : undefined;
        return limiter ? (args: unknown) => limiter.removeTokens(1).then(() => next(args)) : next;
    };
    // After the retry middleware: each attempt is paced, not just the first.
    client.middlewareStack.addRelativeTo(pacing as never, {
        relation: "after",
        toMiddleware: "retryMiddleware",
        name: "cognitoQuotaPacing",
    });
    return client;
}

/** The batch's gateway: every call, every attempt of it, goes through the paced client. */
export function createPacedGateway(settings: BatchSettings): CognitoGateway {
    return new CognitoGateway(createPacedClient(settings), connectionOf(settings));
}

/**
 * Runs `worker` over `items`, at most `concurrency` at once; the worker handles its own errors. Once the
 * Pulumi CLI that started this process is gone, no lane takes another item (../shared/engineLifeline.ts).
 */
export async function runPool<T>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const lanes = Array.from({ length: Math.min(Math.max(concurrency, 1), items.length) }, async () => {
        while (next < items.length && engineAlive()) await worker(items[next++]);
    });
    await Promise.all(lanes);
}

/**
 * The identity gate of a batch's writes (./identities.ts): the proof for writing to a recorded user, or
 * undefined when it is gone; raises when another user now holds its Username.
 */
export type ProveIdentity = (username: string, recorded: RecordedIdentity, action: "update" | "delete") => Promise<ProvenUser | undefined>;

/** How the batch retries a user whose call ended throttled. */
export interface ThrottleRetry {
    /** Further tries after the first. */
    retries: number;
    /** Pause before the first retry, in ms; doubled each time, with jitter. */
    delayMs: number;
}

/** Default: six more tries over about a minute, on top of the SDK's own retries. */
export const DEFAULT_THROTTLE_RETRY: ThrottleRetry = { retries: 6, delayMs: 1000 };

const isThrottled = (error: unknown) => (error as CognitoUserError).code === "THROTTLED";

/** Runs `run`, and again after a growing pause while it fails in a way `retryable` accepts. */
export async function withThrottleRetry<T>(
    retry: ThrottleRetry,
    run: (attempt: number) => Promise<T>,
    retryable: (error: unknown) => boolean = isThrottled,
): Promise<T> {
    for (let attempt = 0; ; attempt++) {
        try {
            return await run(attempt);
        } catch (error) {
            if (attempt >= retry.retries || !retryable(error)) throw error;
            const delay = Math.min(retry.delayMs * 2 ** attempt, 30_000) * (0.5 + Math.random() / 2);
            await new Promise((resolve) => setTimeout(resolve, delay));
        }
    }
}

/** One batch operation in progress: its gateway, settings, state and failures. */
export interface BatchRun {
    cognito: CognitoGateway;
    settings: BatchSettings;
    /** The users recorded so far. */
    state: BatchState;
    /** The users that failed so far. */
    failures: BatchUserFailure[];
    /** The resource's name, for progress lines. */
    label: string;
    /** Throttle retries (tests shorten them). */
    retry: ThrottleRetry;
    /** The AWS account recorded for the batch's pool (absent in state of earlier versions): proves a missing pool deleted. */
    accountId?: string;
}

/** Starts a batch operation from recorded outputs (none for a create). */
export function openRun(settings: BatchSettings, olds?: Partial<BatchOutputs>, retry: ThrottleRetry = DEFAULT_THROTTLE_RETRY): BatchRun {
    return {
        cognito: createPacedGateway(settings),
        settings,
        state: new BatchState(olds),
        failures: [],
        label: settings.batchName ?? "CognitoUserBatch",
        retry,
        accountId: olds?.accountId,
    };
}

/** Records a user's failure in the run, its message without the given secrets. */
export function recordFailure(
    run: BatchRun,
    username: string,
    action: BatchUserFailure["action"],
    error: unknown,
    secrets: Array<string | undefined>,
): void {
    const shape = errorShape(error);
    let message = redact(shape.message, secrets);
    if (shape.code === "USER_EXISTS") {
        // The single-user way out (the `import` option) does not fit a batch member: the batch's own switch does.
        message = `${message.split(" To manage that user")[0]} Set \`adoptExisting: true\` on the batch to manage it with this batch, or remove it from the declaration.`;
    }
    run.failures.push({ username, action, operation: (error as CognitoUserError).operation, code: shape.code, message });
}

/** Creates the users, recording each as it completes. */
export async function createUsers(run: BatchRun, users: UserInputs[]): Promise<void> {
    const progress = new Progress(run.label, "created", users.length);
    await runPool(users, run.settings.concurrency, async (inputs) => {
        // A throttled create was rolled back (or never happened), and one whose rollback failed left a
        // user behind: either way it is tried again, and the retry recognises a user an earlier try made
        // (created after the first try began) as its own.
        const firstTryAt = Date.now();
        const retryable = (error: unknown) => isThrottled(error) || (error as CognitoUserError).code === "ROLLBACK_FAILED";
        try {
            const outputs = await withThrottleRetry(
                run.retry,
                (attempt) => createUser(run.cognito, inputs, attempt > 0 ? { firstTryAt } : {}),
                retryable,
            );
            run.state.set(inputs.username, outputs);
            progress.tick(true);
        } catch (error) {
            recordFailure(run, inputs.username, "create", error, [inputs.password, inputs.temporaryPassword]);
            progress.tick(false);
        }
    });
}

/**
 * Updates the users in place, each written only once `prove` proved it the recorded user; a failed
 * user is recorded as far as its update got, so the next run finishes it.
 */
export async function updateUsers(run: BatchRun, updates: PlannedUpdate[], prove: ProveIdentity): Promise<void> {
    const progress = new Progress(run.label, "updated", updates.length);
    await runPool(updates, run.settings.concurrency, async ({ olds, news }) => {
        try {
            const proven = await prove(news.username, olds, "update");
            const outputs = await withThrottleRetry(run.retry, () => updateUser(run.cognito, olds, news, proven));
            run.state.set(news.username, outputs);
            progress.tick(true);
        } catch (error) {
            if (error instanceof PartialUpdateError) run.state.set(news.username, error.applied);
            recordFailure(run, news.username, "update", error, [news.password, news.temporaryPassword, olds.password]);
            progress.tick(false);
        }
    });
}

/**
 * Deletes the users, each only once `prove` proved it the recorded user; a user already gone (or
 * whose pool is proven deleted) counts as deleted; a failed one, or one whose Username another user now
 * holds, stays recorded.
 */
export async function deleteUsers(
    run: BatchRun,
    users: Array<{ username: string; record: BatchUserRecord }>,
    prove: ProveIdentity,
): Promise<void> {
    const progress = new Progress(run.label, "deleted", users.length);
    await runPool(users, run.settings.concurrency, async ({ username, record }) => {
        try {
            const proven = await prove(username, record, "delete");
            const context = { ...run.settings, username, accountId: run.accountId };
            if (proven) await withThrottleRetry(run.retry, () => deleteUser(run.cognito, context, record, proven));
            run.state.remove(username);
            progress.tick(true);
        } catch (error) {
            recordFailure(run, username, "delete", error, []);
            progress.tick(false);
        }
    });
}
