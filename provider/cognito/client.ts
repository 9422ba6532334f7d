/**
 * The one place a Cognito client is made. Clients are created per call of a provider method, never at
 * module scope: Pulumi serializes the provider, and a live client cannot be serialized.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

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
}

/**
 * A client using the SDK's adaptive retry strategy: it retries `TooManyRequestsException` with
 * exponential backoff and slows its own send rate when Cognito throttles.
 */
export function createCognitoClient(connection: Connection): CognitoIdentityProviderClient {
    return new CognitoIdentityProviderClient({
        region: connection.region,
        endpoint: connection.endpoint,
        profile: connection.profile,
        maxAttempts: connection.maxAttempts,
        retryMode: "adaptive",
    });
}
