/**
 * The fault proxy (test/support/faultProxy.ts) itself, driven by the raw AWS SDK against cognito-local:
 * each fault reaches the SDK the way the real failure would, and the counts say what happened.
 */
import * as assert from "node:assert/strict";
import {
    AdminCreateUserCommand,
    AdminGetUserCommand,
    CognitoIdentityProviderClient,
    ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { createTestPool, getStoredUser, startTestCognito, TestCognito, TestPool, TEST_REGION } from "../support/cognito";
import { FaultProxy, startFaultProxy } from "../support/faultProxy";

/** An SDK client through the proxy making `attempts` attempts per call, 1 ms apart. */
function sdkClient(proxy: FaultProxy, attempts: number): CognitoIdentityProviderClient {
    return new CognitoIdentityProviderClient({
        region: TEST_REGION,
        endpoint: proxy.endpoint,
        maxAttempts: attempts,
        retryStrategy: new ConfiguredRetryStrategy(attempts, () => 1),
    });
}

/** The error a call ends with. */
async function failureOf(run: () => Promise<unknown>): Promise<Error & { code?: string }> {
    try {
        await run();
    } catch (error) {
        return error as Error & { code?: string };
    }
    assert.fail("expected the call to fail");
}

describe("the fault proxy, with the raw AWS SDK (integration)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let proxy: FaultProxy;
    const clients: CognitoIdentityProviderClient[] = [];
    const client = (attempts: number) => clients[clients.push(sdkClient(proxy, attempts)) - 1];

    before(async function () {
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client);
        proxy = await startFaultProxy({ upstream: cognito.endpoint, seed: 7 });
    });
    beforeEach(function () {
        proxy.setFaults(undefined);
        proxy.setRateLimits(undefined);
        proxy.resetCounts();
    });
    after(async function () {
        for (const c of clients) c.destroy();
        await proxy?.stop();
        await cognito?.stop();
    });

    const create = (username: string) => new AdminCreateUserCommand({ UserPoolId: pool.id, Username: username, MessageAction: "SUPPRESS" });

    it("a lost AdminCreateUser answer: the user is created, and the SDK's retry meets UsernameExistsException", async function () {
        proxy.setFaults({ AdminCreateUser: { loseAnswer: { probability: 1, firstCalls: 1 } } });
        const error = await failureOf(() => client(3).send(create("lost-1")));
        assert.equal(error.name, "UsernameExistsException");
        assert.ok(await getStoredUser(cognito.client, pool.id, "lost-1"), "the first request was applied");
        const counts = proxy.counts().operations.AdminCreateUser;
        assert.equal(counts.calls, 2, "the first attempt and one retry");
        assert.equal(counts.forwarded, 2);
        assert.equal(counts.loseAnswer, 1);
        assert.deepEqual(proxy.faultLog(), [{ operation: "AdminCreateUser", kind: "loseAnswer", username: "lost-1" }]);
    });

    it("without retries, a lost answer is a network error (the socket closes without an answer)", async function () {
        proxy.setFaults({ AdminCreateUser: { loseAnswer: { firstCalls: 1 } } });
        const error = await failureOf(() => client(1).send(create("lost-2")));
        assert.equal(error.code, "ECONNRESET", `${error.name}: ${error.message}`);
        assert.ok(await getStoredUser(cognito.client, pool.id, "lost-2"));
        await client(1).send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: "lost-2" }));
    });

    it("500s and throttles are Cognito-shaped, not applied, and retried by the SDK", async function () {
        proxy.setFaults({
            AdminCreateUser: { status500: { firstCalls: 1 }, throttle: { firstCalls: 2 } },
            ListUsers: { status500: { firstCalls: 1 } },
        });
        const once = client(1);
        assert.equal((await failureOf(() => once.send(create("faulty")))).name, "TooManyRequestsException", "throttle wins over 500");
        assert.equal((await failureOf(() => once.send(create("faulty")))).name, "TooManyRequestsException");
        assert.equal(await getStoredUser(cognito.client, pool.id, "faulty"), undefined, "a failed request is not applied");
        assert.equal((await failureOf(() => once.send(new ListUsersCommand({ UserPoolId: pool.id })))).name, "InternalErrorException");
        await once.send(create("faulty"));
        await once.send(new ListUsersCommand({ UserPoolId: pool.id }));
        const counts = proxy.counts().operations;
        assert.deepEqual([counts.AdminCreateUser.throttle, counts.AdminCreateUser.status500, counts.AdminCreateUser.forwarded], [2, 0, 1]);
        assert.deepEqual([counts.ListUsers.status500, counts.ListUsers.forwarded], [1, 1]);

        proxy.setFaults({ ListUsers: { throttle: { firstCalls: 1 }, status500: { firstCalls: 2 } } });
        proxy.resetCounts();
        await client(3).send(new ListUsersCommand({ UserPoolId: pool.id }));
        const retried = proxy.counts().operations.ListUsers;
        assert.deepEqual([retried.calls, retried.throttle, retried.status500, retried.forwarded], [3, 1, 1, 1]);
    });

    it("probabilities are seeded per operation, username and call: the same seed draws the same faults", async function () {
        const pattern = async () => {
            proxy.setFaults({ "*": { status500: { probability: 0.5 } } }, 11);
            const outcomes: string[] = [];
            for (let i = 0; i < 40; i++) {
                const error = await failureOf(() => client(1).send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: `u-${i}` })));
                outcomes.push(error.name);
            }
            return outcomes;
        };
        const first = await pattern();
        assert.deepEqual(await pattern(), first);
        const faulted = first.filter((name) => name === "InternalErrorException").length;
        assert.ok(faulted >= 10 && faulted <= 30, `${faulted} of 40 answered 500`);
        assert.deepEqual(
            first.filter((name) => name !== "InternalErrorException"),
            Array(40 - faulted).fill("UserNotFoundException"),
        );
    });

    it("a rate limit per quota category answers the excess with TooManyRequestsException; a delay holds the request", async function () {
        proxy.setRateLimits({ userRead: { perSecond: 2, burst: 2 } });
        const results = await Promise.allSettled(
            Array.from({ length: 6 }, () => client(1).send(new AdminGetUserCommand({ UserPoolId: pool.id, Username: "lost-1" }))),
        );
        const refused = results.filter((r) => r.status === "rejected" && r.reason.name === "TooManyRequestsException");
        assert.equal(refused.length, 4);
        const limit = proxy.counts().rateLimits.userRead!;
        assert.deepEqual([limit.admitted, limit.refused], [2, 4]);
        assert.equal(proxy.counts().operations.AdminGetUser.rateLimit, 4);
        await client(1).send(new ListUsersCommand({ UserPoolId: pool.id })); // another category: not limited

        proxy.setRateLimits(undefined);
        proxy.setFaults({ ListUsers: { delay: { ms: 300, firstCalls: 1 } } });
        const started = performance.now();
        await client(1).send(new ListUsersCommand({ UserPoolId: pool.id }));
        assert.ok(performance.now() - started >= 290, "the request was held");
        assert.equal(proxy.counts().operations.ListUsers.delay, 1);
    });
});
