/**
 * What every operation of the Cognito gateway (./gateway.ts) rests on: the client and the connection it
 * points at, one way to run a call so that any failure leaves it as a `CognitoUserError` naming the
 * operation, the user and the pool (secrets redacted, the SDK's `$fault` and attempts kept), reads
 * cached for the life of the process, and the identity gate: the gateway alone makes a `ProvenUser`,
 * from a user one of its own answers reported, and every write checks it holds one it made.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { Connection, serverTimeOf } from "./connection";
import { CognitoUserError, translateCognitoError } from "../errors";
import { IdentityJudgement, judgeIdentity, ProvenUser, RecordedIdentity, UserRef } from "./identityGate";

export type { ProvenUser, RecordedIdentity, UserRef } from "./identityGate";

/** A user as Cognito reports it. */
export interface CognitoUserRecord {
    /** The canonical Username. */
    username: string;
    attributes: Record<string, string>;
    enabled: boolean;
    status: string;
    createdAt?: Date;
    lastModifiedAt?: Date;
    preferredMfaSetting?: string;
    mfaSettingList: string[];
}

/** A call about one user of `user.userPoolId`, named `username` in the call (its canonical Username, or an alias). */
export interface UserRequest {
    user: UserRef;
    username: string;
}

/** A user judged against the recorded identity: the proof to write with when it is the same user. */
export type IdentityVerdict =
    { kind: "same"; proven: ProvenUser; record: CognitoUserRecord } | Exclude<IdentityJudgement, { kind: "same" }>;

/**
 * What one operation's gateways know to be Cognito's own answers and the proofs made from them. Shared
 * by the gateways of one operation (a single-attempt twin), never across operations.
 */
interface IdentityLedger {
    answers: WeakSet<CognitoUserRecord>;
    proofs: WeakSet<ProvenUser>;
}

/** The client, the connection, and how a call runs. Made per provider call, never at module scope. */
export abstract class GatewayBase {
    private readonly ledger: IdentityLedger;

    /**
     * @param client the SDK client every call goes through (its middleware, e.g. the batch's pacing, applies to every attempt)
     * @param connection where the client points: keys the caches
     * @param sameOperationAs a gateway of the same operation whose proofs this one accepts
     */
    constructor(
        readonly client: CognitoIdentityProviderClient,
        readonly connection: Connection,
        sameOperationAs?: GatewayBase,
    ) {
        this.ledger = sameOperationAs?.ledger ?? { answers: new WeakSet(), proofs: new WeakSet() };
    }

    /** Closes the client's connections. */
    destroy(): void {
        this.client.destroy();
    }

    /** A local time as the service's clock would tell it (see `serverTimeOf`). */
    serverTime(localMs: number): number {
        return serverTimeOf(this.client, localMs);
    }

    /**
     * The identity check: `found` (a user one of this gateway's answers reported under the recorded
     * Username, or undefined when Cognito has none) judged against `recorded`. Only when it is the very
     * user does the verdict carry the `ProvenUser` a write needs.
     */
    identify(found: CognitoUserRecord | undefined, recorded: RecordedIdentity, ref: UserRef): IdentityVerdict {
        if (found && !this.ledger.answers.has(found)) {
            throw new CognitoUserError(
                "COGNITO_ERROR",
                `internal error: the identity of user "${ref.username}" was judged on a record Cognito did not give this operation.`,
            );
        }
        const judgement = judgeIdentity(found, recorded);
        if (judgement.kind !== "same") return judgement;
        const proven = {
            ref,
            cognitoUsername: found!.username,
            sub: found!.attributes.sub ?? recorded.sub ?? found!.username,
        } as ProvenUser;
        this.ledger.proofs.add(proven);
        return { kind: "same", proven, record: found! };
    }

    /** Keeps `record` as one of Cognito's own answers to this operation: only such a record can be judged by `identify`. */
    protected received<T extends CognitoUserRecord>(record: T): T {
        this.ledger.answers.add(record);
        return record;
    }

    /**
     * `{ UserPoolId, Username }` of a write to a proven user. Refuses, before any call, a user this
     * operation did not prove: the type system already demands a `ProvenUser`, this holds it at run time.
     */
    protected writeTarget(user: ProvenUser): { UserPoolId: string; Username: string } {
        if (!this.ledger.proofs.has(user)) {
            throw new CognitoUserError(
                "COGNITO_ERROR",
                `internal error: a write to user "${user.ref?.username}" was not preceded by this operation's identity check; nothing was written.`,
            );
        }
        return { UserPoolId: user.ref.userPoolId, Username: user.cognitoUsername };
    }

    /** `{ UserPoolId, Username }` of a read about one user. */
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
