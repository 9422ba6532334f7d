/**
 * A small HTTP proxy in front of cognito-local that enforces Cognito's UserCreation quota, which the
 * emulator does not have: `AdminCreateUser` calls (recognised by the `X-Amz-Target` header) pass
 * through a token bucket of `ratePerSecond` tokens a second; past it the proxy answers as Cognito does,
 * HTTP 400 with `{"__type":"TooManyRequestsException","message":"Rate exceeded"}`. Every other call
 * passes unpaced. It listens on loopback only and is bounded (body size, requests in flight, upstream
 * sockets), and it counts what it admitted and refused so the bench can report the achieved rate.
 */
import * as http from "http";
import { AddressInfo } from "net";

/** How the proxy behaves. */
export interface ThrottleProxyOptions {
    /** Where cognito-local listens, e.g. `http://127.0.0.1:41234`. */
    upstream: string;
    /** UserCreation quota, requests per second. Default 50 (AWS's default). */
    ratePerSecond?: number;
    /** Token bucket capacity: requests that may pass at once after a quiet spell. Default ratePerSecond / 10. */
    burst?: number;
    /** Operations the quota applies to. Default: the UserCreation category's `AdminCreateUser` (and `SignUp`). */
    throttledOperations?: string[];
}

/** What the proxy saw. */
export interface ThrottleStats {
    /** Requests forwarded, by operation. */
    forwarded: Record<string, number>;
    /** Requests refused with TooManyRequestsException, by operation. */
    throttled: Record<string, number>;
    /** Time (ms, monotonic) of the first and last admitted throttled-category request. */
    firstAdmittedMs?: number;
    lastAdmittedMs?: number;
    /** Admitted throttled-category requests. */
    admitted: number;
    /** Requests refused because too many were in flight or the body was too large (should stay 0). */
    rejectedByBounds: number;
    /** Per forwarded operation: when the first and last were forwarded (ms, monotonic), to tell each call's pace. */
    spans: Record<string, { firstMs: number; lastMs: number; count: number }>;
}

/** A running proxy. */
export interface ThrottleProxy {
    /** Its URL: the endpoint to give the SDK or the resource. */
    endpoint: string;
    /** Counts so far. */
    stats(): ThrottleStats;
    /** Zeroes the counts (between contenders). */
    resetStats(): void;
    /** Admitted throttled-category requests per second, between the first and the last admitted. */
    achievedRate(): number | undefined;
    /** Forwarded requests of one operation per second, between its first and last (e.g. `AdminSetUserPassword`). */
    operationRate(operation: string): number | undefined;
    /** Stops listening and closes upstream sockets. */
    close(): Promise<void>;
}

/** Largest request body forwarded; Cognito's own limit is far below this. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Most requests in flight at once; the bench uses tens. */
const MAX_IN_FLIGHT = 256;
/** Most sockets to cognito-local. */
const MAX_UPSTREAM_SOCKETS = 64;

/** A token bucket: `rate` tokens a second, at most `capacity` saved up. */
class TokenBucket {
    private tokens: number;
    private last = performance.now();

    constructor(
        private readonly rate: number,
        private readonly capacity: number,
    ) {
        this.tokens = capacity;
    }

    /** Takes one token if there is one. */
    take(): boolean {
        const now = performance.now();
        this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
        this.last = now;
        if (this.tokens < 1) return false;
        this.tokens -= 1;
        return true;
    }
}

function emptyStats(): ThrottleStats {
    return { forwarded: {}, throttled: {}, admitted: 0, rejectedByBounds: 0, spans: {} };
}

/** Starts the proxy on a free loopback port. */
export async function startThrottleProxy(options: ThrottleProxyOptions): Promise<ThrottleProxy> {
    const upstream = new URL(options.upstream);
    const rate = options.ratePerSecond ?? 50;
    const bucket = new TokenBucket(rate, Math.max(1, options.burst ?? rate / 10));
    const throttledOperations = new Set(options.throttledOperations ?? ["AdminCreateUser", "SignUp"]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_UPSTREAM_SOCKETS });
    let stats = emptyStats();
    let inFlight = 0;

    const bump = (counts: Record<string, number>, operation: string) => (counts[operation] = (counts[operation] ?? 0) + 1);

    const server = http.createServer((req, res) => {
        // `AWSCognitoIdentityProviderService.AdminCreateUser` → `AdminCreateUser`.
        const target = String(req.headers["x-amz-target"] ?? "");
        const operation = target.slice(target.lastIndexOf(".") + 1) || "(none)";
        if (inFlight >= MAX_IN_FLIGHT) {
            stats.rejectedByBounds++;
            res.writeHead(503, { "content-type": "text/plain" }).end("throttle proxy: too many requests in flight");
            req.resume();
            return;
        }
        inFlight++;
        res.on("close", () => inFlight--);

        if (throttledOperations.has(operation)) {
            if (!bucket.take()) {
                bump(stats.throttled, operation);
                req.resume();
                const body = JSON.stringify({ __type: "TooManyRequestsException", message: "Rate exceeded" });
                res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "TooManyRequestsException" }).end(
                    body,
                );
                return;
            }
            const now = performance.now();
            stats.firstAdmittedMs ??= now;
            stats.lastAdmittedMs = now;
            stats.admitted++;
        }
        bump(stats.forwarded, operation);
        const now = performance.now();
        const span = (stats.spans[operation] ??= { firstMs: now, lastMs: now, count: 0 });
        span.lastMs = now;
        span.count++;

        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                stats.rejectedByBounds++;
                res.writeHead(413, { "content-type": "text/plain" }).end("throttle proxy: body too large");
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => {
            if (res.headersSent) return;
            const headers = { ...req.headers, host: upstream.host };
            const forward = http.request(
                { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent, timeout: 60_000 },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            forward.on("timeout", () => forward.destroy(new Error("upstream timed out")));
            forward.on("error", (error) => {
                if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
                res.end(`throttle proxy: ${error.message}`);
            });
            forward.end(Buffer.concat(chunks));
        });
    });
    server.maxConnections = MAX_IN_FLIGHT;
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;

    return {
        endpoint: `http://127.0.0.1:${port}`,
        stats: () => ({
            ...stats,
            forwarded: { ...stats.forwarded },
            throttled: { ...stats.throttled },
            spans: structuredClone(stats.spans),
        }),
        resetStats: () => {
            stats = emptyStats();
        },
        achievedRate: () => {
            const { firstAdmittedMs, lastAdmittedMs, admitted } = stats;
            if (firstAdmittedMs === undefined || lastAdmittedMs === undefined || admitted < 2 || lastAdmittedMs <= firstAdmittedMs)
                return undefined;
            // n admissions span n - 1 intervals.
            return ((admitted - 1) * 1000) / (lastAdmittedMs - firstAdmittedMs);
        },
        operationRate: (operation) => {
            const span = stats.spans[operation];
            if (!span || span.count < 2 || span.lastMs <= span.firstMs) return undefined;
            return ((span.count - 1) * 1000) / (span.lastMs - span.firstMs);
        },
        close: () =>
            new Promise<void>((resolve) => {
                agent.destroy();
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
