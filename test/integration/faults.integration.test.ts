/**
 * Faults the embedded Cognito cannot produce: throttling storms (answered with Cognito's real
 * TooManyRequestsException response by the fault proxy in front of cognito-local,
 * test/support/faultProxy.ts, so the SDK's own retry and deserializer run) and steps that fail after
 * the user exists (aws-sdk-client-mock: a password refused by the pool's policy, a delete that fails
 * during rollback).
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    DescribeUserPoolCommand,
    InternalErrorException,
    InvalidPasswordException,
} from "@aws-sdk/client-cognito-identity-provider";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { mockClient } from "aws-sdk-client-mock";
import * as handlers from "../../provider/user/handlers";
import { connectionOf, createCognitoClient } from "../../provider/shared/cognito/connection";
import { CognitoGateway, forgetPoolFacts, openCognitoGateway } from "../../provider/shared/cognito/gateway";
import { CognitoUserError } from "../../provider/shared/errors";
import { UserInputs } from "../../provider/shared/types";
import { createUser } from "../../provider/user/create";
import {
    expectError,
    createTestPool,
    getStoredUser,
    listPoolUsers,
    signIn,
    startTestCognito,
    TestCognito,
    TestPool,
    TEST_REGION,
} from "../support/cognito";
import { FaultProxy, startFaultProxy } from "../support/faultProxy";

/** A fresh password meeting the test pools' policy; never printed. */
function newPassword(): string {
    return `Pw1!${randomBytes(12).toString("base64url")}aZ9`;
}

/** Asserts that no secret occurs in the text, without echoing either. */
function assertNoSecret(text: string, secrets: Array<string | undefined>): void {
    for (const secret of secrets) if (secret) assert.ok(!text.includes(secret), "a password appears in the error");
}

/** Validated inputs, as Pulumi's check hands them to create. */
async function checked(raw: Record<string, unknown>): Promise<UserInputs> {
    const result = await handlers.check({}, { region: TEST_REGION, ...raw });
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs as unknown as UserInputs;
}

/**
 * A gateway on a client like the provider's (retries on throttling, `attempts` per call) but with a
 * 1 ms retry delay, so a storm takes no real backoff time.
 */
function fastRetryClient(endpoint: string, attempts: number): CognitoGateway {
    const client = new CognitoIdentityProviderClient({
        region: TEST_REGION,
        endpoint,
        maxAttempts: attempts,
        retryStrategy: new ConfiguredRetryStrategy(attempts, () => 1),
    });
    return new CognitoGateway(client, { region: TEST_REGION, endpoint, maxAttempts: attempts });
}

describe("faults the emulator cannot produce (integration)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let proxy: FaultProxy;

    before(async function () {
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, { groups: ["admins", "editors"] });
        proxy = await startFaultProxy({ upstream: cognito.endpoint });
    });
    afterEach(function () {
        proxy?.setFaults(undefined);
    });
    after(async function () {
        await proxy?.stop();
        await cognito?.stop();
    });

    /**
     * Makes the proxy answer the first `times` calls of each listed operation with Cognito's throttling
     * response (HTTP 400, TooManyRequestsException), then pass it through to cognito-local. Returns
     * the count of throttled answers so far, by operation.
     */
    function throttle(operations: string[], times: number): () => Record<string, number> {
        proxy.setFaults(Object.fromEntries(operations.map((operation) => [operation, { throttle: { firstCalls: times } }])));
        proxy.resetCounts();
        return () => Object.fromEntries(operations.map((operation) => [operation, proxy.counts().operations[operation]?.throttle ?? 0]));
    }

    describe("throttling", function () {
        it("the provider's client retries throttled calls adaptively, up to maxAttempts", async function () {
            const client = createCognitoClient({ region: TEST_REGION, endpoint: cognito.endpoint, maxAttempts: 8 });
            const strategy = (await client.config.retryStrategy()) as unknown as {
                mode: string;
                maxAttemptsProvider?: () => Promise<number>;
            };
            assert.equal(strategy.mode, "adaptive");
            assert.equal(await strategy.maxAttemptsProvider!(), 8);
            client.destroy();
        });

        it("a storm of TooManyRequestsException on every call of the create: the create still succeeds", async function () {
            const client = fastRetryClient(proxy.endpoint, 5);
            const operations = ["AdminCreateUser", "AdminSetUserPassword", "AdminAddUserToGroup"];
            const throttled = throttle(operations, 3);
            const password = newPassword();
            const inputs = await checked({
                userPoolId: pool.id,
                username: "stormy",
                password,
                groups: ["admins", "editors"],
                endpoint: cognito.endpoint,
            });
            const outs = await createUser(client, inputs);
            assert.deepEqual(
                throttled(),
                { AdminCreateUser: 3, AdminSetUserPassword: 3, AdminAddUserToGroup: 3 },
                "every call was throttled before it passed",
            );
            const stored = (await getStoredUser(cognito.client, pool.id, "stormy"))!;
            assert.ok(stored, "the user is in Cognito");
            assert.equal(stored.status, "CONFIRMED");
            assert.deepEqual(stored.groups, ["admins", "editors"]);
            assert.equal(await signIn(cognito.client, pool, "stormy", password), "SIGNED_IN");
            assert.equal(outs.cognitoUsername, "stormy");
            await handlers.remove(`${pool.id}/stormy`, outs);
            client.destroy();
        });

        it("throttled on every attempt: THROTTLED, naming the call and the fix, and no user", async function () {
            const client = fastRetryClient(proxy.endpoint, 3);
            const throttled = throttle(["AdminCreateUser"], Infinity);
            const password = newPassword();
            const inputs = await checked({ userPoolId: pool.id, username: "drowned", password, endpoint: cognito.endpoint });
            const error = await expectError(() => createUser(client, inputs));
            assert.equal(throttled().AdminCreateUser, 3, "one call per attempt");
            assert.equal(error.code, "THROTTLED");
            assert.match(error.message, /AdminCreateUser/);
            assert.match(error.message, /"drowned"/);
            assert.match(error.message, /maxAttempts/);
            assertNoSecret(error.message, [password]);
            assert.equal(await getStoredUser(cognito.client, pool.id, "drowned"), undefined);
            client.destroy();
        });

        it("a step throttled on every attempt after the user exists: rolled back, THROTTLED, naming the step", async function () {
            const client = fastRetryClient(proxy.endpoint, 3);
            throttle(["AdminAddUserToGroup"], Infinity);
            const password = newPassword();
            const inputs = await checked({
                userPoolId: pool.id,
                username: "halfway",
                password,
                groups: ["editors"],
                endpoint: cognito.endpoint,
            });
            const error = await expectError(() => createUser(client, inputs));
            assert.equal(error.code, "THROTTLED");
            assert.match(error.message, /AdminAddUserToGroup\(editors\)/);
            assert.match(error.message, /deleted again/);
            assertNoSecret(error.message, [password]);
            assert.equal(await getStoredUser(cognito.client, pool.id, "halfway"), undefined, "the half-created user is gone");
            assert.deepEqual(
                (await listPoolUsers(cognito.client, pool.id)).map((u) => u.Username),
                [],
            );
            client.destroy();
        });
    });

    describe("a lost answer judged by Cognito's clock, with the local clock off by ten minutes", function () {
        const SKEW_MS = 10 * 60_000;
        let realNow: () => number;

        /** Runs `work` with `Date.now` off by `skewMs`, as on a machine whose clock is wrong. */
        async function withLocalClockOff<T>(skewMs: number, work: () => Promise<T>): Promise<T> {
            realNow = Date.now;
            Date.now = () => realNow() + skewMs;
            try {
                return await work();
            } finally {
                Date.now = realNow;
            }
        }

        it("a clock ten minutes fast still recognises its own create after the answer was lost", async function () {
            proxy.setFaults({ AdminCreateUser: { loseAnswer: { firstCalls: 1 } } });
            const username = `fast-${randomBytes(4).toString("hex")}`;
            const inputs = await checked({
                userPoolId: pool.id,
                username,
                endpoint: proxy.endpoint,
                attributes: { email: `${username}@example.com` },
            });
            // The provider's own client: it reads the service's clock from every answer's Date header.
            const outs = await withLocalClockOff(SKEW_MS, () => createUser(openCognitoGateway(connectionOf(inputs)), inputs));
            assert.equal(outs.cognitoUsername, username, "its own user, finished");
            assert.equal((await getStoredUser(cognito.client, pool.id, username))?.attributes.sub, outs.sub);
        });

        it("a clock ten minutes slow never adopts a user someone made just before", async function () {
            const username = `slow-${randomBytes(4).toString("hex")}`;
            const attributes = { email: `${username}@example.com` };
            await cognito.client.send(
                new AdminCreateUserCommand({
                    UserPoolId: pool.id,
                    Username: username,
                    UserAttributes: [{ Name: "email", Value: attributes.email }],
                    MessageAction: "SUPPRESS",
                }),
            );
            const stranger = (await getStoredUser(cognito.client, pool.id, username))!;
            await new Promise((resolve) => setTimeout(resolve, 3000)); // past the Date header's one-second grain and the tolerance
            // The first try fails with no answer at all (a 500 before Cognito): the outcome is uncertain.
            proxy.setFaults({ AdminCreateUser: { status500: { firstCalls: 1 } } });
            const inputs = await checked({ userPoolId: pool.id, username, endpoint: proxy.endpoint, attributes });
            const error = await withLocalClockOff(-SKEW_MS, () =>
                createUser(openCognitoGateway(connectionOf(inputs)), inputs).then(
                    () => assert.fail("expected USER_EXISTS"),
                    (e: unknown) => e as CognitoUserError,
                ),
            );
            assert.equal(error.code, "USER_EXISTS");
            assert.match(error.message, /existed before this create began|was there before/);
            assert.equal((await getStoredUser(cognito.client, pool.id, username))?.attributes.sub, stranger.attributes.sub, "untouched");
        });
    });

    describe("a step failing after the user exists (mocked Cognito)", function () {
        // Stubs `send` on the class, so the clients the handlers make are mocked too; the
        // emulator's own client is not used while it is in place.
        let cognitoMock: ReturnType<typeof mockClient>;
        const canonical = "0f9d3c1e-6a8b-4c55-9e21-3b7d2f1a4c60";
        const poolId = "us-east-1_AbCdEf123";
        const created = {
            User: {
                Username: canonical,
                UserStatus: "FORCE_CHANGE_PASSWORD" as const,
                Enabled: true,
                Attributes: [{ Name: "sub", Value: canonical }],
            },
        };

        beforeEach(function () {
            cognitoMock = mockClient(CognitoIdentityProviderClient);
            forgetPoolFacts();
            cognitoMock.on(DescribeUserPoolCommand).resolves({ UserPool: {} }); // Cognito's default password policy
            // The half-created user, as the rollback reads it before deleting that very user.
            cognitoMock.on(AdminGetUserCommand).resolves({
                Username: canonical,
                UserStatus: "FORCE_CHANGE_PASSWORD",
                Enabled: true,
                UserAttributes: created.User.Attributes,
            });
        });
        afterEach(function () {
            cognitoMock.restore();
        });

        /** Cognito refusing the password, echoing it (real messages do not; redaction must hold if one did). */
        const refusePassword = (input: { Password?: string }) => {
            throw new InvalidPasswordException({
                message: `Password does not conform to policy: Password not long enough (${input.Password})`,
                $metadata: {},
            });
        };

        it("AdminSetUserPassword refused: the user is deleted by its canonical Username, the error names the step", async function () {
            cognitoMock.on(AdminCreateUserCommand).resolves(created);
            cognitoMock.on(AdminSetUserPasswordCommand).callsFake(refusePassword);
            cognitoMock.on(AdminDeleteUserCommand).resolves({});
            const password = newPassword();
            const inputs = await checked({
                userPoolId: poolId,
                username: "pat@example.com",
                attributes: { email: "pat@example.com" },
                password,
                groups: ["admins"],
            });

            const error = await expectError(() => handlers.create(inputs));
            assert.equal(error.code, "COGNITO_ERROR");
            assert.match(error.message, /failed at AdminSetUserPassword/);
            assert.match(error.message, /"pat@example\.com"/);
            assert.match(error.message, /Password does not conform to policy/);
            assert.match(error.message, /InvalidPasswordException/);
            assert.match(error.message, /deleted again/);
            assertNoSecret(error.message, [password]);

            const deletes = cognitoMock.commandCalls(AdminDeleteUserCommand);
            assert.equal(deletes.length, 1);
            assert.deepEqual(deletes[0].args[0].input, { UserPoolId: poolId, Username: canonical });
            assert.equal(cognitoMock.commandCalls(AdminAddUserToGroupCommand).length, 0, "no step runs after the failed one");
        });

        it("the rollback's delete fails too: ROLLBACK_FAILED with the command to delete the user by hand", async function () {
            cognitoMock.on(AdminCreateUserCommand).resolves(created);
            cognitoMock.on(AdminSetUserPasswordCommand).callsFake(refusePassword);
            cognitoMock.on(AdminDeleteUserCommand).rejects(new InternalErrorException({ message: "Internal error", $metadata: {} }));
            const password = newPassword();
            const inputs = await checked({ userPoolId: poolId, username: "pat@example.com", password });

            const error = await expectError(() => handlers.create(inputs));
            assert.equal(error.code, "ROLLBACK_FAILED");
            assert.match(error.message, /AdminSetUserPassword/);
            assert.match(error.message, /Internal error/);
            assert.ok(
                error.message.includes(`aws cognito-idp admin-delete-user --user-pool-id ${poolId} --username ${canonical}`),
                "gives the hand-delete command",
            );
            assertNoSecret(error.message, [password]);
        });

        it("a generated password never appears in the error either", async function () {
            cognitoMock.on(DescribeUserPoolCommand).resolves({
                UserPool: {
                    Policies: {
                        PasswordPolicy: {
                            MinimumLength: 30,
                            RequireUppercase: true,
                            RequireLowercase: true,
                            RequireNumbers: true,
                            RequireSymbols: true,
                        },
                    },
                },
            });
            cognitoMock.on(AdminCreateUserCommand).resolves(created);
            cognitoMock.on(AdminSetUserPasswordCommand).callsFake(refusePassword);
            cognitoMock.on(AdminDeleteUserCommand).rejects(new InternalErrorException({ message: "Internal error", $metadata: {} }));
            const inputs = await checked({ userPoolId: poolId, username: "gen@example.com", generatePassword: true });

            const error = await expectError(() => handlers.create(inputs));
            const generated = cognitoMock.commandCalls(AdminSetUserPasswordCommand)[0].args[0].input.Password;
            assert.ok(generated && generated.length >= 30, "a password meeting the pool's minimum length was generated");
            assert.equal(error.code, "ROLLBACK_FAILED");
            assertNoSecret(error.message, [generated]);
            assertNoSecret(String(error.stack), [generated]);
        });
    });
});
