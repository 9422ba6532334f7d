/**
 * A batch's refresh where reading in pages goes wrong in ways no emulator produces, against a mocked
 * Cognito (aws-sdk-client-mock): a pool whose `EstimatedNumberOfUsers` is far too low (the scan stops at
 * its budget and the users are read one by one), and listings the credentials may not call (refresh reads
 * one by one, as before pages existed). Either way the state is what a per-user read records.
 */
import { strict as assert } from "assert";
import {
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    CognitoIdentityProviderClient,
    DescribeUserPoolCommand,
    ListGroupsCommand,
    ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { BatchRun, setProgressSink } from "../../provider/batch/executor";
import { readUsers } from "../../provider/batch/refresh";
import { BatchState } from "../../provider/batch/state";
import { BatchOutputs, BatchSettings, BatchUserRecord } from "../../provider/batch/types";
import { CognitoGateway, forgetPoolFacts } from "../../provider/shared/cognito/gateway";
import { REAL_POOL } from "./fixtures";

const USERS = 100;
const settings: BatchSettings = {
    userPoolId: REAL_POOL,
    region: "eu-west-1",
    maxAttempts: 1,
    concurrency: 10,
    adoptExisting: false,
    // Unpaced: the test must not wait for AWS's quotas; costs still weigh at AWS's default rates.
    rates: { userRead: 0, userResourceRead: 0, userList: 0, userPoolRead: 0, userPoolResourceRead: 0 },
};

function recorded(): BatchOutputs {
    const users: Record<string, BatchUserRecord> = {};
    for (let i = 0; i < USERS; i++)
        users[`user-${i}`] = {
            cognitoUsername: `user-${i}`,
            sub: `sub-${i}`,
            status: "CONFIRMED",
            enabled: true,
            groups: [],
            attributes: {},
        };
    return { ...settings, users, passwords: {}, temporaryPasswords: {}, count: USERS };
}

describe("batch refresh: faults of reading in pages (mocked Cognito)", function () {
    let mock: ReturnType<typeof mockClient>;
    let run: BatchRun;

    before(() => setProgressSink(() => undefined));
    after(() => setProgressSink());
    beforeEach(function () {
        forgetPoolFacts();
        mock = mockClient(CognitoIdentityProviderClient);
        const sdk = new CognitoIdentityProviderClient({ region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
        run = {
            cognito: new CognitoGateway(sdk, { region: "eu-west-1" }),
            settings,
            state: new BatchState(recorded()),
            failures: [],
            label: "seed",
            retry: { retries: 0, delayMs: 1 },
        };
        mock.on(AdminGetUserCommand).callsFake((input: { Username: string }) => ({
            Username: input.Username,
            UserAttributes: [{ Name: "sub", Value: `sub-${input.Username.slice(5)}` }],
            Enabled: true,
            UserStatus: "CONFIRMED",
        }));
        mock.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
        mock.on(ListGroupsCommand).resolves({ Groups: [] });
    });
    afterEach(() => mock.restore());

    it("a pool far larger than its estimate: the scan stops at the per-user cost, and the users are read one by one", async function () {
        mock.on(DescribeUserPoolCommand).resolves({ UserPool: { Id: REAL_POOL, EstimatedNumberOfUsers: USERS } });
        // Pages of strangers that never end.
        let page = 0;
        mock.on(ListUsersCommand).callsFake(() => ({
            Users: [{ Username: `stranger-${page}`, Attributes: [{ Name: "sub", Value: `s-${page}` }], Enabled: true }],
            PaginationToken: `token-${++page}`,
        }));
        await readUsers(run, recorded(), "auto");
        // 100 AdminGetUser at 120/s weigh 25 ListUsers pages at 30/s: the budget.
        assert.equal(mock.commandCalls(ListUsersCommand).length, 25);
        assert.equal(mock.commandCalls(AdminGetUserCommand).length, USERS);
        assert.deepEqual(run.failures, []);
        assert.equal(run.state.toOutputs(settings).count, USERS);
        assert.deepEqual(run.state.toOutputs(settings), recorded());
    });

    it("credentials that may not list: refresh reads one by one, with the same result", async function () {
        const denied = Object.assign(new Error("not authorized to perform: cognito-idp:ListUsers"), { name: "AccessDeniedException" });
        mock.on(DescribeUserPoolCommand).resolves({ UserPool: { Id: REAL_POOL, EstimatedNumberOfUsers: USERS } });
        mock.on(ListUsersCommand).rejects(denied);
        mock.on(ListGroupsCommand).rejects(denied);
        await readUsers(run, recorded(), "auto");
        assert.equal(mock.commandCalls(AdminGetUserCommand).length, USERS);
        assert.equal(mock.commandCalls(AdminListGroupsForUserCommand).length, USERS);
        assert.deepEqual(run.failures, []);
        assert.deepEqual(run.state.toOutputs(settings), recorded());
    });

    it("a pool that cannot be described (no permission): one by one, without listing", async function () {
        mock.on(DescribeUserPoolCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
        await readUsers(run, recorded(), "auto");
        assert.equal(mock.commandCalls(ListUsersCommand).length, 0);
        assert.equal(mock.commandCalls(AdminGetUserCommand).length, USERS);
        assert.deepEqual(run.state.toOutputs(settings), recorded());
    });
});
