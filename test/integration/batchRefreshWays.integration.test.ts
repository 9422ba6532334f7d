/**
 * A batch's refresh read one by one and read in pages gives the same state: the same pool, with drift
 * made outside Pulumi (an attribute changed, a user disabled, removed from a group, added to a group
 * the batch never declared, deleted, deleted and made again under its name), refreshed both ways (forced
 * through `PULUMI_COGNITO_USER_BATCH_READ`) and by cost; a pass-through proxy counts the calls of each.
 * Against cognito-local and against moto (which pages every listing by 60, as real Cognito does).
 */
import * as assert from "node:assert/strict";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminDisableUserCommand,
    AdminRemoveUserFromGroupCommand,
    AdminUpdateUserAttributesCommand,
    CognitoIdentityProviderClient,
    DeleteUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as handlers from "../support/batchHandlers";
import { BatchOperationError } from "../../provider/batch/errors";
import { READ_WAY_VARIABLE } from "../../provider/batch/refresh";
import { forgetPoolFacts } from "../../provider/shared/cognito/gateway";
import { BatchInputs, BatchOutputs } from "../../provider/batch/types";
import { createTestPool, startTestCognito, TEST_REGION, UNPACED_RATES } from "../support/cognito";
import { FaultProxy, startFaultProxy } from "../support/faultProxy";
import { startMoto } from "../support/moto";

const PROVIDER = "exports.handler = () => ({ /* serialized provider */ })";
/** More than two pages of 60. */
const USERS = 130;
const GROUPS = ["viewers", "editors", "extra"];

/** An emulator to run the comparison on. */
interface Emulator {
    name: string;
    start(): Promise<{ endpoint: string; client: CognitoIdentityProviderClient; stop(): Promise<void> }>;
}

const EMULATORS: Emulator[] = [
    { name: "cognito-local", start: () => startTestCognito() },
    {
        name: "moto",
        start: async () => {
            const moto = await startMoto();
            return { endpoint: moto.endpoint, client: moto.clientFor(TEST_REGION), stop: () => moto.stop() };
        },
    },
];

/** Runs `work` with the refresh forced one way (or by cost, `auto`). */
async function withReadWay<T>(way: "pages" | "per-user" | "auto", work: () => Promise<T>): Promise<T> {
    const before = process.env[READ_WAY_VARIABLE];
    if (way === "auto") delete process.env[READ_WAY_VARIABLE];
    else process.env[READ_WAY_VARIABLE] = way;
    try {
        return await work();
    } finally {
        if (before === undefined) delete process.env[READ_WAY_VARIABLE];
        else process.env[READ_WAY_VARIABLE] = before;
    }
}

for (const emulator of EMULATORS) {
    describe(`CognitoUserBatch refresh, one by one and in pages, against ${emulator.name} (integration)`, function () {
        let server: Awaited<ReturnType<Emulator["start"]>>;
        let proxy: FaultProxy;
        let poolId: string;
        let id: string;
        let outs: BatchOutputs;
        const name = (i: number) => `user-${String(i).padStart(3, "0")}`;

        before(async function () {
            handlers.setProgressSink(() => undefined);
            server = await emulator.start();
            proxy = await startFaultProxy({ upstream: server.endpoint });
            poolId = (await createTestPool(server.client, { groups: GROUPS, customAttributes: ["tenant"] })).id;
            const declaredUsers = Array.from({ length: USERS }, (_, i) => ({
                username: name(i),
                attributes: { email: `${name(i)}@example.com`, "custom:tenant": "acme" },
                groups: i % 2 === 0 ? ["viewers"] : i % 3 === 0 ? ["editors", "viewers"] : undefined,
                enabled: i % 11 === 5 ? false : undefined,
            }));
            const result = await handlers.check(
                {},
                {
                    region: TEST_REGION,
                    endpoint: proxy.endpoint,
                    userPoolId: poolId,
                    declaredUsers,
                    rates: UNPACED_RATES,
                    batchName: "ways",
                },
            );
            assert.deepEqual(result.failures ?? [], []);
            const inputs = { ...(result.inputs as unknown as BatchInputs), __provider: PROVIDER } as BatchInputs;
            ({ id, outs } = (await handlers.create(inputs)) as { id: string; outs: BatchOutputs });
            // Users of the pool the batch does not manage, some in groups.
            for (let i = 0; i < 7; i++) {
                const Username = `outsider-${i}`;
                await server.client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, MessageAction: "SUPPRESS" }));
                if (i % 2 === 0)
                    await server.client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username, GroupName: "viewers" }));
            }
            // Drift, made outside Pulumi.
            const client = server.client;
            await client.send(
                new AdminUpdateUserAttributesCommand({
                    UserPoolId: poolId,
                    Username: name(1),
                    UserAttributes: [{ Name: "custom:tenant", Value: "drifted" }],
                }),
            );
            await client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: name(2) }));
            await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: name(4), GroupName: "viewers" }));
            await client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: name(7), GroupName: "extra" }));
            await client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: name(8) }));
            // Deleted and made again under its name: another sub, so not the recorded user.
            await client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: name(10) }));
            await client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: name(10), MessageAction: "SUPPRESS" }));
        });
        after(async function () {
            handlers.setProgressSink();
            await proxy?.stop();
            await server?.stop();
        });

        /** A refresh the given way: its state and the calls it made, by operation. */
        async function refresh(way: "pages" | "per-user" | "auto", recorded: BatchOutputs = outs) {
            proxy.resetCounts();
            forgetPoolFacts(); // each refresh is a new process: nothing read before is cached
            const result = await withReadWay(way, () => handlers.read(id, { ...recorded, __provider: PROVIDER } as never));
            return { props: result.props as BatchOutputs, calls: proxy.calls() };
        }

        it("records the same state either way, drift included", async function () {
            const perUser = await refresh("per-user");
            const pages = await refresh("pages");
            const auto = await refresh("auto");
            assert.deepEqual(pages.props, perUser.props);
            assert.deepEqual(auto.props, perUser.props);

            const users = perUser.props.users;
            assert.equal(perUser.props.count, USERS - 2);
            assert.equal(users[name(1)].attributes["custom:tenant"], "drifted");
            assert.equal(users[name(2)].enabled, false);
            assert.deepEqual(users[name(4)].groups, []);
            assert.deepEqual(users[name(7)].groups, ["extra"]);
            assert.equal(users[name(8)], undefined, "deleted: dropped");
            assert.equal(users[name(10)], undefined, "made again under the name: not the recorded user");

            // One by one: two calls per user. In pages: the listings, and AdminGetUser only for the two
            // users the scan did not show as recorded (deleted; another sub), to confirm they are gone.
            assert.equal(perUser.calls.AdminGetUser, USERS);
            assert.equal(perUser.calls.AdminListGroupsForUser, USERS - 2);
            assert.equal(perUser.calls.ListUsers, undefined);
            assert.equal(pages.calls.AdminGetUser, 2);
            assert.equal(pages.calls.AdminListGroupsForUser, undefined);
            assert.ok(pages.calls.ListUsers >= 1 && pages.calls.ListGroups >= 1 && pages.calls.ListUsersInGroup >= GROUPS.length);
            console.log(
                `      ${emulator.name}: calls one by one ${JSON.stringify(perUser.calls)}; in pages ${JSON.stringify(pages.calls)}`,
            );
            assert.deepEqual(
                auto.calls,
                { DescribeUserPool: 1, ...pages.calls },
                "by cost, 130 users of a 137-user pool are read in pages",
            );
        });

        it("refreshing the refreshed state changes nothing, either way", async function () {
            const once = (await refresh("pages")).props;
            const twice = (await refresh("pages", once)).props;
            assert.deepEqual(twice, once);
            assert.deepEqual((await refresh("per-user", once)).props, once);
        });

        it("a missing pool proven deleted drops every user either way", async function () {
            const gone = await createTestPool(server.client);
            await server.client.send(new DeleteUserPoolCommand({ UserPoolId: gone.id }));
            assert.ok(emulator.name === "cognito-local" || outs.accountId === "123456789012", "moto's account is recorded");
            for (const way of ["per-user", "pages", "auto"] as const) {
                assert.deepEqual((await refresh(way, { ...outs, userPoolId: gone.id })).props.users, {}, way);
            }
        });

        if (emulator.name === "moto") {
            it("a missing pool of another account than the caller's fails either way with NOT_FOUND, no user taken for gone", async function () {
                const gone = await createTestPool(server.client);
                await server.client.send(new DeleteUserPoolCommand({ UserPoolId: gone.id }));
                const recorded = { ...outs, userPoolId: gone.id, accountId: "999999999999" };
                for (const way of ["per-user", "pages", "auto"] as const) {
                    const error = await refresh(way, recorded).then(
                        () => assert.fail(`${way}: expected an error`),
                        (e: unknown) => e,
                    );
                    assert.ok(error instanceof BatchOperationError, `${way}: ${(error as Error).message}`);
                    assert.equal(error.code, "NOT_FOUND", way);
                    assert.equal(error.failures.length, USERS, way);
                    assert.match(
                        error.message,
                        /cannot be found at Region .*The user is not taken for gone.*created in AWS account 999999999999, and these credentials act in account 123456789012/s,
                        way,
                    );
                }
            });
        }
    });
}
