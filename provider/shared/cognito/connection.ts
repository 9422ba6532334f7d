/**
 * The one place a Cognito client is made (the gateway wraps it). Clients are created per call of a provider
 * method, never at module scope: Pulumi serializes the provider, and a live client cannot be serialized.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { STSClient } from "@aws-sdk/client-sts";
import type { DeserializeMiddleware, MiddlewareStack } from "@smithy/types";
import { assertEngineAlive } from "../engineLifeline";

/** Where and how to reach Cognito. Recorded in state so read and delete reach the service that holds the user. */
export interface Connection {
    /** AWS Region of the pool. */
    region: string;
    /** Endpoint override (cognito-local, LocalStack); the SDK's default endpoint when absent. */
    endpoint?: string;
    /** Named AWS profile; credentials otherwise come from the SDK's default chain. */
    profile?: string;
    /** Attempts per call, retries included. */
    maxAttempts?: number;
    /**
     * Credentials given in process (the test fixtures' embedded Cognito, which accepts any): never recorded
     * in state (`connectionOf` does not copy them); the SDK's default chain or `profile` when absent.
     */
    credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The connection recorded for a user, or for every user of a batch. */
export function connectionOf(recorded: { region?: string; endpoint?: string; profile?: string; maxAttempts?: number }): Connection {
    return { region: recorded.region!, endpoint: recorded.endpoint, profile: recorded.profile, maxAttempts: recorded.maxAttempts };
}

/** Where a connection points, for error messages: `Region eu-west-1, AWS` or `Region us-east-1, endpoint http://…`. */
export function describeConnection(connection: Partial<Connection>): string {
    const where = connection.endpoint ? `endpoint ${connection.endpoint}` : "AWS's endpoint";
    const who = connection.profile ? `profile "${connection.profile}"` : "the default credential chain";
    return `Region ${connection.region ?? "(none)"}, ${where}, ${who}`;
}

/**
 * Whether an endpoint is an emulator on this machine (`localhost`, `127.0.0.0/8`, `[::1]`). Only such an
 * endpoint is asked for STS as well, and only an emulator there without STS may count as having no
 * accounts; any other endpoint (FIPS, VPC) is AWS and proves nothing.
 */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
    if (!endpoint) return false;
    let host: string;
    try {
        host = new URL(endpoint).hostname;
    } catch {
        return false;
    }
    return host === "localhost" || host === "[::1]" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * An STS client with the connection's credentials and Region: at a loopback emulator's endpoint (moto and
 * LocalStack serve STS on the same port), otherwise at AWS's own STS, whatever the environment says.
 */
export function createStsClient(connection: Connection): STSClient {
    const client = new STSClient({
        region: connection.region,
        endpoint: isLoopbackEndpoint(connection.endpoint) ? connection.endpoint : undefined,
        ignoreConfiguredEndpointUrls: true,
        profile: connection.profile,
        credentials: connection.credentials,
        maxAttempts: connection.maxAttempts,
    });
    stopWhenEngineGone(client);
    return client;
}

/**
 * Refuses every request attempt (retries included: the deserialize step runs once per attempt, after
 * the retry and pacing middleware) once the Pulumi CLI that started this process is gone (../engineLifeline.ts).
 */
function stopWhenEngineGone(client: CognitoIdentityProviderClient | STSClient): void {
    const refuse: DeserializeMiddleware<object, object> = (next) => (args) => {
        assertEngineAlive();
        return next(args);
    };
    (client.middlewareStack as MiddlewareStack<object, object>).add(refuse, {
        step: "deserialize",
        priority: "high",
        name: "cognitoUserEngineLifeline",
    });
}

/** What the service's clock said, read from the `Date` header of the latest answer, against the local clock. */
interface ServerClock {
    /** Service time minus local time, in ms (the `Date` header has whole seconds: up to a second low). */
    offsetMs: number;
}

const clocks = new WeakMap<CognitoIdentityProviderClient, ServerClock>();

/**
 * A client using the SDK's adaptive retry strategy: it retries `TooManyRequestsException` with
 * exponential backoff and slows its own send rate when Cognito throttles.
 *
 * It never takes an endpoint from the environment (`AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, the shared config file): a user is read, updated and
 * deleted only at the endpoint recorded for it, or at AWS's own when none was.
 */
export function createCognitoClient(connection: Connection): CognitoIdentityProviderClient {
    const client = new CognitoIdentityProviderClient({
        region: connection.region,
        endpoint: connection.endpoint,
        ignoreConfiguredEndpointUrls: true,
        profile: connection.profile,
        credentials: connection.credentials,
        maxAttempts: connection.maxAttempts,
        retryMode: "adaptive",
    });
    stopWhenEngineGone(client);
    // Inside the deserializer: sees every raw answer, errors included, before it is parsed.
    client.middlewareStack.add(
        (next) => async (args) => {
            const out = await next(args);
            const date = (out.response as { headers?: Record<string, string> } | undefined)?.headers?.date;
            const serverMs = date ? Date.parse(date) : NaN;
            if (!Number.isNaN(serverMs)) clocks.set(client, { offsetMs: serverMs - Date.now() });
            return out;
        },
        { step: "deserialize", priority: "low", name: "cognitoUserServerClock" },
    );
    return client;
}

/**
 * A local time as the service's clock would tell it, from the latest answer's `Date` header (the local
 * time when no answer carried one). Lets the provider compare its own send times with the creation
 * times Cognito reports, whatever the local clock's skew.
 */
export function serverTimeOf(client: CognitoIdentityProviderClient, localMs: number): number {
    return localMs + (clocks.get(client)?.offsetMs ?? 0);
}
