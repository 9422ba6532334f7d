/**
 * A small HTTP proxy in front of cognito-local that answers some requests itself, the way real
 * Cognito would fail them: throttling (`TooManyRequestsException`, which cognito-local never sends)
 * or a rejected request (e.g. the `InvalidParameterException` real Cognito sends for an attribute the
 * pool's schema lacks, which cognito-local accepts). Every other request goes through unchanged, so
 * the provider's real SDK client, retries included, is what is under test.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";

/** A request as the proxy sees it: the Cognito operation and its JSON body. */
export interface ProxiedRequest {
    /** The operation, e.g. `AdminCreateUser` (from the `X-Amz-Target` header). */
    operation: string;
    /** The parsed request body. */
    body: Record<string, unknown>;
    /** How many requests the proxy has seen before this one. */
    sequence: number;
}

/** A Cognito error the proxy answers with instead of forwarding. */
export interface InjectedFault {
    /** Cognito's exception name, e.g. `TooManyRequestsException`. */
    type: string;
    /** Cognito's message. */
    message: string;
}

/** Decides, per request, whether to answer with a fault instead of forwarding it. */
export type FaultRule = (request: ProxiedRequest) => InjectedFault | undefined;

/** A running proxy. */
export interface FaultProxy {
    /** Its URL: the endpoint the provider under test talks to. */
    endpoint: string;
    /** Replaces the rule (undefined: forward everything). */
    setRule(rule: FaultRule | undefined): void;
    /** Requests seen, by operation. */
    readonly seen: Map<string, number>;
    /** Faults injected, by exception name. */
    readonly injected: Map<string, number>;
    /** Stops listening and closes open connections. */
    stop(): Promise<void>;
}

/** The fault real Cognito answers when a request rate quota is exceeded. */
export const THROTTLED: InjectedFault = { type: "TooManyRequestsException", message: "Rate exceeded" };

/** Starts a proxy on a free loopback port forwarding to `upstream` (cognito-local's endpoint). */
export async function startFaultProxy(upstream: string, rule?: FaultRule): Promise<FaultProxy> {
    const target = new URL(upstream);
    let current = rule;
    let sequence = 0;
    const seen = new Map<string, number>();
    const injected = new Map<string, number>();
    const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const raw = Buffer.concat(chunks);
            const operation =
                String(req.headers["x-amz-target"] ?? "")
                    .split(".")
                    .pop() ?? "";
            count(seen, operation);
            let body: Record<string, unknown> = {};
            try {
                body = JSON.parse(raw.toString("utf8") || "{}");
            } catch {
                // not JSON: forwarded as it is
            }
            const fault = current?.({ operation, body, sequence: sequence++ });
            if (fault) {
                count(injected, fault.type);
                const payload = JSON.stringify({ __type: fault.type, message: fault.message });
                res.writeHead(400, {
                    "content-type": "application/x-amz-json-1.1",
                    "x-amzn-errortype": fault.type,
                    "content-length": Buffer.byteLength(payload),
                });
                res.end(payload);
                return;
            }
            const forward = http.request(
                {
                    hostname: target.hostname,
                    port: target.port,
                    path: req.url,
                    method: req.method,
                    headers: { ...req.headers, host: target.host },
                },
                (upstreamRes) => {
                    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
                    upstreamRes.pipe(res);
                },
            );
            forward.on("error", (error) => {
                res.writeHead(502);
                res.end(String(error));
            });
            forward.end(raw);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        setRule: (next) => {
            current = next;
        },
        seen,
        injected,
        stop: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
