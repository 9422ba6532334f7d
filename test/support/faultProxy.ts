/**
 * The one fault-injection proxy of this repository, for the tests and the benchmark: an HTTP proxy in
 * front of cognito-local that makes it fail the way real Cognito and real networks do, so the
 * provider's real SDK client (retries, deserializers, pacing) is what is under test.
 *
 * Per Cognito operation (the `X-Amz-Target` header's `AdminCreateUser`, ...) it can
 * - `loseAnswer`: forward the request, let cognito-local apply it, then destroy the client's socket
 *   without an answer: the SDK sees a network error (ECONNRESET) and retries a request that already
 *   took effect;
 * - `status500`: answer HTTP 500 `InternalErrorException` without forwarding;
 * - `throttle`: answer HTTP 400 `TooManyRequestsException` (Cognito's body) without forwarding;
 * - `delay`: hold the request for a while before handling it;
 * each for a share of the calls (`probability`) and/or only the first N calls (`firstCalls`). On top,
 * `rateLimits` enforce Cognito's request-rate quotas (N requests a second per quota category, a token
 * bucket; the excess answered with `TooManyRequestsException`), which cognito-local lacks, and a
 * `rule` can answer chosen requests with any Cognito error (or just watch them).
 *
 * Random decisions are seeded and do not depend on the order in which concurrent requests arrive: each
 * is a hash of the seed, the fault, the operation, the request's `Username` and how many calls of that
 * operation for that username came before. The same program under the same seed meets the same faults.
 *
 * Everything it does is counted per operation (`counts()`) and logged per fault (`faultLog()`), so a test
 * can assert that the faults it asked for really happened. It listens on loopback only and is bounded
 * (body size, requests in flight, sockets to cognito-local).
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { OPERATION_CATEGORY, QuotaCategory } from "../../provider/batch/quotas";

/** When a fault applies to a call of its operation. With neither field set, it applies to every call. */
export interface FaultWhen {
    /** Share of the eligible calls that get the fault, 0 to 1, decided by the seeded hash. Default 1. */
    probability?: number;
    /** Only the first N calls of the operation (counted since the faults were last set) are eligible. Default: every call. */
    firstCalls?: number;
}

/** A pause before the proxy handles a request (then forwards it or fails it as the other faults say). */
export interface DelayFault extends FaultWhen {
    /** How long to hold the request, in milliseconds. */
    ms: number;
}

/** The faults for one operation. When several are drawn for one call: throttle, then 500, then lost answer; a delay comes first. */
export interface OperationFaults {
    /** Forward the request, let cognito-local apply it, then destroy the client socket without an answer. */
    loseAnswer?: FaultWhen;
    /** Answer HTTP 500 with `InternalErrorException`, without forwarding (nothing is applied). */
    status500?: FaultWhen;
    /** Answer HTTP 400 with `TooManyRequestsException` as Cognito does, without forwarding (nothing is applied). */
    throttle?: FaultWhen;
    /** Hold the request before handling it. */
    delay?: DelayFault;
}

/**
 * Faults by operation name (`AdminCreateUser`). The key `"*"` applies to every operation; an
 * operation's own entry overrides it field by field (so `"*": { status500 }` and
 * `AdminCreateUser: { loseAnswer }` give AdminCreateUser both).
 */
export type FaultPlan = Record<string, OperationFaults>;

/** The kinds of fault the proxy injects, as counted and logged. */
export type FaultKind = "loseAnswer" | "status500" | "throttle" | "delay" | "rateLimit" | "rule";

/** A request-rate quota: a token bucket answering `TooManyRequestsException` past it. */
export interface RateLimit {
    /** Requests admitted per second. */
    perSecond: number;
    /** Bucket capacity: how many may pass at once after a quiet spell. Default `perSecond / 10` (at least 1). */
    burst?: number;
    /** Refuse every request for this long after the first one, then start the bucket full: the onset of a throttling storm. Default 0. */
    closedForMs?: number;
}

/**
 * Rate limits by Cognito quota category (`userCreation`, ... as in provider/batch/quotas.ts; `SignUp`
 * and `AdminConfirmSignUp` count as `userCreation` too), or `"*"`: one bucket shared by every operation.
 */
export type RateLimits = Partial<Record<QuotaCategory | "*", RateLimit>>;

/** A request as a {@link FaultRuleFn} sees it. */
export interface ProxiedRequest {
    /** The operation, e.g. `AdminCreateUser` (from the `X-Amz-Target` header). */
    operation: string;
    /** The parsed JSON body (`{}` when it is not JSON). */
    body: Record<string, unknown>;
    /** How many requests the proxy has seen before this one. */
    sequence: number;
}

/** A Cognito error for the proxy to answer with instead of forwarding. */
export interface InjectedFault {
    /** Cognito's exception name, e.g. `InvalidParameterException`. */
    type: string;
    /** Cognito's message. */
    message: string;
    /** HTTP status. Default 400. */
    status?: number;
}

/**
 * Called for every request before the planned faults: returns the error to answer with (counted as
 * `rule`), or undefined to go on. Also a way to watch requests.
 */
export type FaultRuleFn = (request: ProxiedRequest) => InjectedFault | undefined;

/** What a {@link startFaultProxy} starts with; every part can be changed later. */
export interface FaultProxyOptions {
    /** Where cognito-local listens, e.g. `http://127.0.0.1:41234`. */
    upstream: string;
    /** Seed of the random decisions. Default 1. */
    seed?: number;
    /** Faults per operation. Default: none. */
    faults?: FaultPlan;
    /** Request-rate quotas. Default: none. */
    rateLimits?: RateLimits;
    /** A rule run before the planned faults. Default: none. */
    rule?: FaultRuleFn;
}

/** What the proxy did with the requests of one operation. */
export interface OperationCounts {
    /** Requests received. */
    calls: number;
    /** Requests forwarded to cognito-local (and so applied), lost answers included. */
    forwarded: number;
    /** Forwarded requests whose answer was dropped (client socket destroyed). */
    loseAnswer: number;
    /** Answered 500 `InternalErrorException`. */
    status500: number;
    /** Answered `TooManyRequestsException` by the `throttle` fault. */
    throttle: number;
    /** Held by the `delay` fault. */
    delay: number;
    /** Answered `TooManyRequestsException` by a rate limit. */
    rateLimit: number;
    /** Answered by the rule. */
    rule: number;
    /** Monotonic time (ms, `performance.now()`) of the first and last forward. */
    firstForwardedMs?: number;
    /** See `firstForwardedMs`. */
    lastForwardedMs?: number;
}

/** What one rate limit did. */
export interface RateLimitCounts {
    /** Requests admitted. */
    admitted: number;
    /** Requests refused with `TooManyRequestsException`. */
    refused: number;
    /** Monotonic time (ms) of the first admission. */
    firstAdmittedMs?: number;
    /** Monotonic time (ms) of the last admission. */
    lastAdmittedMs?: number;
}

/** Everything the proxy counted since it started or was last reset. */
export interface FaultProxyCounts {
    /** By operation. */
    operations: Record<string, OperationCounts>;
    /** Summed over every operation (its times unset). */
    total: OperationCounts;
    /** By rate limit key (category or `"*"`). */
    rateLimits: Record<string, RateLimitCounts>;
    /** Requests refused because too many were in flight or the body was too large (should stay 0). */
    rejectedByBounds: number;
}

/** One injected fault, in the order they happened. */
export interface FaultEvent {
    /** The operation. */
    operation: string;
    /** What was done. */
    kind: FaultKind;
    /** The request's `Username`, when it has one. */
    username?: string;
}

/** A running proxy. */
export interface FaultProxy {
    /** Its URL: the endpoint to give the SDK or the resource. */
    readonly endpoint: string;
    /** Replaces the faults (undefined: none) and restarts the `firstCalls` counting; a seed given replaces the seed too. */
    setFaults(faults: FaultPlan | undefined, seed?: number): void;
    /** Replaces the rate limits (undefined: none), with full buckets. */
    setRateLimits(limits: RateLimits | undefined): void;
    /** Replaces the rule (undefined: none). */
    setRule(rule: FaultRuleFn | undefined): void;
    /** A copy of the counts. */
    counts(): FaultProxyCounts;
    /** Requests received by operation (`calls` only), omitting operations never called. */
    calls(): Record<string, number>;
    /** A copy of the fault log (at most the first 100,000 faults). */
    faultLog(): FaultEvent[];
    /** Zeroes the counts and the log (not the `firstCalls` counting: see `setFaults`). */
    resetCounts(): void;
    /** Admitted requests per second of a rate limit, first to last admission; undefined below two admissions. */
    admittedRate(limit: QuotaCategory | "*"): number | undefined;
    /** Forwarded requests per second of an operation, first to last forward; undefined below two. */
    operationRate(operation: string): number | undefined;
    /** Stops listening and closes every socket. */
    stop(): Promise<void>;
}

/** Cognito's answer past a request-rate quota. */
export const THROTTLED: InjectedFault = { type: "TooManyRequestsException", message: "Rate exceeded" };
/** Cognito's answer to an internal failure. */
export const INTERNAL_ERROR: InjectedFault = { type: "InternalErrorException", message: "Internal server error", status: 500 };

/** Operations that count as `userCreation` besides those the provider calls (provider/batch/quotas.ts). */
const EXTRA_CATEGORIES: Readonly<Record<string, QuotaCategory>> = { SignUp: "userCreation", AdminConfirmSignUp: "userCreation" };
/** Largest request body forwarded; Cognito's own limit is far below this. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Most requests in flight at once. */
const MAX_IN_FLIGHT = 256;
/** Most sockets to cognito-local. */
const MAX_UPSTREAM_SOCKETS = 64;
/** Most fault events kept. */
const MAX_LOG = 100_000;

/** A token bucket: `rate` tokens a second, at most `capacity` saved up, closed for `closedForMs` after its first use. */
class TokenBucket {
    private tokens: number;
    private last = 0;
    private openedAt?: number;
    counts: RateLimitCounts = { admitted: 0, refused: 0 };

    constructor(private readonly limit: RateLimit) {
        this.tokens = this.capacity;
    }

    private get capacity(): number {
        return Math.max(1, this.limit.burst ?? this.limit.perSecond / 10);
    }

    /** Zeroes the counts (not the tokens). */
    resetCounts(): void {
        this.counts = { admitted: 0, refused: 0 };
    }

    /** Takes one token if there is one, counting the outcome. */
    take(): boolean {
        const now = performance.now();
        this.openedAt ??= now + (this.limit.closedForMs ?? 0);
        let admitted = false;
        if (now >= this.openedAt) {
            this.tokens = Math.min(this.capacity, this.tokens + ((now - Math.max(this.last, this.openedAt)) / 1000) * this.limit.perSecond);
            this.last = now;
            if (this.tokens >= 1) {
                this.tokens -= 1;
                admitted = true;
            }
        }
        if (!admitted) {
            this.counts.refused++;
            return false;
        }
        this.counts.admitted++;
        this.counts.firstAdmittedMs ??= now;
        this.counts.lastAdmittedMs = now;
        return true;
    }
}

/** The counters of {@link OperationCounts} (its times aside). */
const COUNTERS = ["calls", "forwarded", "loseAnswer", "status500", "throttle", "delay", "rateLimit", "rule"] as const;

function emptyCounts(): OperationCounts {
    return { calls: 0, forwarded: 0, loseAnswer: 0, status500: 0, throttle: 0, delay: 0, rateLimit: 0, rule: 0 };
}

/** A number in [0, 1) from the seed and the parts: the same parts always give the same number. */
function draw(seed: number, ...parts: Array<string | number>): number {
    return (
        createHash("sha256")
            .update([seed, ...parts].join("\u0000"))
            .digest()
            .readUInt32BE(0) /
        2 ** 32
    );
}

/** Writes a Cognito JSON error answer. */
function answerWith(res: http.ServerResponse, fault: InjectedFault): void {
    const payload = JSON.stringify({ __type: fault.type, message: fault.message });
    res.writeHead(fault.status ?? 400, {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-errortype": fault.type,
        "x-amzn-requestid": "fault-proxy",
        "content-length": Buffer.byteLength(payload),
    });
    res.end(payload);
}

/** Starts a proxy on a free loopback port, forwarding to cognito-local at `options.upstream`. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
    const upstream = new URL(options.upstream);
    const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_UPSTREAM_SOCKETS });
    let seed = options.seed ?? 1;
    let faults = options.faults ?? {};
    let rule = options.rule;
    let buckets = new Map<string, TokenBucket>();
    let sequence = 0;
    let inFlight = 0;
    /** Calls per operation since the faults were set, for `firstCalls`. */
    let callsSincePlan = new Map<string, number>();
    /** Calls per operation and username since the faults were set, for the seeded draws. */
    let callsPerKey = new Map<string, number>();
    let operations = new Map<string, OperationCounts>();
    let rejectedByBounds = 0;
    let log: FaultEvent[] = [];

    const setRateLimits = (limits: RateLimits | undefined) => {
        buckets = new Map(Object.entries(limits ?? {}).map(([key, limit]) => [key, new TokenBucket(limit!)]));
    };
    setRateLimits(options.rateLimits);

    const countsOf = (operation: string) => {
        let counts = operations.get(operation);
        if (!counts) operations.set(operation, (counts = emptyCounts()));
        return counts;
    };
    const record = (operation: string, kind: FaultKind, username: string | undefined) => {
        countsOf(operation)[kind]++;
        if (log.length < MAX_LOG) log.push(username === undefined ? { operation, kind } : { operation, kind, username });
    };

    /** Which of the planned faults this call gets. */
    const decide = (operation: string, username: string | undefined) => {
        const planned = { ...faults["*"], ...faults[operation] };
        const nth = (callsSincePlan.get(operation) ?? 0) + 1;
        callsSincePlan.set(operation, nth);
        const key = `${operation}\u0000${username ?? ""}`;
        const nthOfKey = (callsPerKey.get(key) ?? 0) + 1;
        callsPerKey.set(key, nthOfKey);
        const applies = (kind: keyof OperationFaults): boolean => {
            const when = planned[kind];
            if (!when) return false;
            if (when.firstCalls !== undefined && nth > when.firstCalls) return false;
            const probability = when.probability ?? 1;
            return probability >= 1 || draw(seed, kind, operation, username ?? "", nthOfKey) < probability;
        };
        return {
            delayMs: applies("delay") ? planned.delay!.ms : 0,
            throttle: applies("throttle"),
            status500: applies("status500"),
            loseAnswer: applies("loseAnswer"),
        };
    };

    /** The bucket this operation's requests take from, if any. */
    const bucketFor = (operation: string) => {
        const category = OPERATION_CATEGORY[operation] ?? EXTRA_CATEGORIES[operation];
        return (category && buckets.get(category)) || buckets.get("*");
    };

    const forward = (
        req: http.IncomingMessage,
        res: http.ServerResponse,
        raw: Buffer,
        operation: string,
        lose: boolean,
        username?: string,
    ) => {
        const counts = countsOf(operation);
        const now = performance.now();
        counts.forwarded++;
        counts.firstForwardedMs ??= now;
        counts.lastForwardedMs = now;
        const request = http.request(
            {
                host: upstream.hostname,
                port: upstream.port,
                method: req.method,
                path: req.url,
                headers: { ...req.headers, host: upstream.host },
                agent,
                timeout: 60_000,
            },
            (answer) => {
                if (lose) {
                    // Read the whole answer (cognito-local has applied the request by then), then drop it.
                    answer.resume();
                    answer.on("end", () => {
                        record(operation, "loseAnswer", username);
                        req.socket.destroy();
                    });
                    return;
                }
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
            },
        );
        request.on("timeout", () => request.destroy(new Error("upstream timed out")));
        request.on("error", (error) => {
            if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
            res.end(`fault proxy: ${error.message}`);
        });
        request.end(raw);
    };

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) => {
        const target = String(req.headers["x-amz-target"] ?? "");
        const operation = target.slice(target.lastIndexOf(".") + 1) || "(none)";
        let body: Record<string, unknown> = {};
        try {
            const parsed = JSON.parse(raw.toString("utf8") || "{}");
            if (parsed && typeof parsed === "object") body = parsed;
        } catch {
            // not JSON: forwarded as it is
        }
        const username = typeof body.Username === "string" ? body.Username : undefined;
        countsOf(operation).calls++;
        const decided = decide(operation, username);
        const fromRule = rule?.({ operation, body, sequence: sequence++ });

        if (decided.delayMs > 0) {
            record(operation, "delay", username);
            await new Promise((resolve) => setTimeout(resolve, decided.delayMs));
            if (res.destroyed) return;
        }
        if (fromRule) {
            record(operation, "rule", username);
            return answerWith(res, fromRule);
        }
        const bucket = bucketFor(operation);
        if (bucket && !bucket.take()) {
            record(operation, "rateLimit", username);
            return answerWith(res, THROTTLED);
        }
        if (decided.throttle) {
            record(operation, "throttle", username);
            return answerWith(res, THROTTLED);
        }
        if (decided.status500) {
            record(operation, "status500", username);
            return answerWith(res, INTERNAL_ERROR);
        }
        forward(req, res, raw, operation, decided.loseAnswer, username);
    };

    const server = http.createServer((req, res) => {
        if (inFlight >= MAX_IN_FLIGHT) {
            rejectedByBounds++;
            res.writeHead(503, { "content-type": "text/plain" }).end("fault proxy: too many requests in flight");
            req.resume();
            return;
        }
        inFlight++;
        res.on("close", () => inFlight--);
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                rejectedByBounds++;
                res.writeHead(413, { "content-type": "text/plain" }).end("fault proxy: body too large");
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => {
            if (res.headersSent) return;
            handle(req, res, Buffer.concat(chunks)).catch((error: Error) => {
                if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
                res.end(`fault proxy: ${error.message}`);
            });
        });
    });
    server.maxConnections = MAX_IN_FLIGHT;
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;

    const rate = (count: number, first?: number, last?: number) =>
        // n events span n - 1 intervals.
        first === undefined || last === undefined || count < 2 || last <= first ? undefined : ((count - 1) * 1000) / (last - first);

    return {
        endpoint: `http://127.0.0.1:${port}`,
        setFaults: (next, nextSeed) => {
            faults = next ?? {};
            if (nextSeed !== undefined) seed = nextSeed;
            callsSincePlan = new Map();
            callsPerKey = new Map();
        },
        setRateLimits,
        setRule: (next) => {
            rule = next;
        },
        counts: () => {
            const total = emptyCounts();
            const byOperation: Record<string, OperationCounts> = {};
            for (const [operation, counts] of operations) {
                byOperation[operation] = { ...counts };
                for (const counter of COUNTERS) total[counter] += counts[counter];
            }
            return {
                operations: byOperation,
                total,
                rateLimits: Object.fromEntries([...buckets].map(([key, bucket]) => [key, { ...bucket.counts }])),
                rejectedByBounds,
            };
        },
        calls: () => Object.fromEntries([...operations].map(([operation, counts]) => [operation, counts.calls])),
        faultLog: () => log.map((event) => ({ ...event })),
        resetCounts: () => {
            operations = new Map();
            log = [];
            rejectedByBounds = 0;
            for (const bucket of buckets.values()) bucket.resetCounts();
        },
        admittedRate: (limit) => {
            const counts = buckets.get(limit)?.counts;
            return counts && rate(counts.admitted, counts.firstAdmittedMs, counts.lastAdmittedMs);
        },
        operationRate: (operation) => {
            const counts = operations.get(operation);
            return counts && rate(counts.forwarded, counts.firstForwardedMs, counts.lastForwardedMs);
        },
        stop: () =>
            new Promise<void>((resolve) => {
                agent.destroy();
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
