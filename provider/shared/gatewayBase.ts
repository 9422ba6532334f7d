/**
 * What every operation of the Cognito gateway (./gateway.ts) rests on: the client and the connection it
 * points at, one way to run a call so that any failure leaves it as a `CognitoUserError` naming the
 * operation, the user and the pool (secrets redacted, the SDK's `$fault` and attempts kept), and reads
 * cached for the life of the process.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { Connection, serverTimeOf } from "./connection";
import { translateCognitoError } from "./errors";

/** Who a call is about, for its errors: the pool, the name the program knows the user by, and values no error may show. */
export interface UserRef {
    userPoolId: string;
    /** The name the program knows the user by (the declared username). */
    username: string;
    /** Values that must never appear in an error. */
    secrets?: Array<string | undefined>;
}

/** A call about one user of `user.userPoolId`, named `username` in the call (its canonical Username, or an alias). */
export interface UserRequest {
    user: UserRef;
    username: string;
}

/** The client, the connection, and how a call runs. Made per provider call, never at module scope. */
export abstract class GatewayBase {
    /**
     * @param client the SDK client every call goes through (its middleware, e.g. the batch's pacing, applies to every attempt)
     * @param connection where the client points: keys the caches
     */
    constructor(
        readonly client: CognitoIdentityProviderClient,
        readonly connection: Connection,
    ) {}

    /** Closes the client's connections. */
    destroy(): void {
        this.client.destroy();
    }

    /** A local time as the service's clock would tell it (see `serverTimeOf`). */
    serverTime(localMs: number): number {
        return serverTimeOf(this.client, localMs);
    }

    /** `{ UserPoolId, Username }` of a request about one user. */
    protected userInput(request: UserRequest): { UserPoolId: string; Username: string } {
        return { UserPoolId: request.user.userPoolId, Username: request.username };
    }

    /**
     * Runs one call, turning any failure into a `CognitoUserError` that names the operation, the user and
     * the pool, with the user's secrets and the request's own (`secrets`) redacted.
     */
    protected async call<T>(operation: string, user: UserRef, secrets: Array<string | undefined>, run: () => Promise<T>): Promise<T> {
        try {
            return await run();
        } catch (error) {
            throw translateCognitoError(error, {
                operation,
                username: user.username,
                userPoolId: user.userPoolId,
                secrets: [...(user.secrets ?? []), ...secrets],
            });
        }
    }

    /**
     * A read made once per process for `key` under this connection (facts that do not change mid-run, such
     * as a pool's settings), through `call`. A failed read is not kept, so a later call tries again.
     */
    protected cachedCall<T>(
        cache: Map<string, Promise<T>>,
        key: string,
        operation: string,
        user: UserRef,
        read: () => Promise<T>,
    ): Promise<T> {
        const { region, endpoint, profile } = this.connection;
        const fullKey = `${region}|${endpoint ?? ""}|${profile ?? ""}|${key}`;
        let answer = cache.get(fullKey);
        if (!answer) {
            answer = read();
            cache.set(fullKey, answer);
            answer.catch(() => cache.delete(fullKey));
        }
        const cached = answer;
        return this.call(operation, user, [], () => cached);
    }
}
