/**
 * The Cognito gateway, against a mocked SDK client: named requests become the SDK's inputs, every
 * error names the operation, the user and the pool with the request's secrets redacted and keeps the
 * SDK's `$fault` and attempts, and a pool's facts are read once per connection.
 */
import { strict as assert } from "assert";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    CognitoIdentityProviderServiceException,
    DescribeUserPoolCommand,
    ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { CognitoUserError } from "../../provider/shared/errors";
import { CognitoGateway, forgetPoolFacts, openCognitoGateway } from "../../provider/shared/gateway";
import { TEST_PASSWORD } from "./fixtures";

const POOL = "eu-west-1_AbCdEf123";
const user = { userPoolId: POOL, username: "alice@example.com" };

/** A service exception as the SDK raises it: a name, a fault and the attempts it made. */
function serviceError(name: string, message: string, fault: "client" | "server", attempts: number): Error {
    return new CognitoIdentityProviderServiceException({ name, message, $fault: fault, $metadata: { attempts } });
}

describe("CognitoGateway", () => {
    let cognito: ReturnType<typeof mockClient>;
    let gateway: CognitoGateway;
    beforeEach(() => {
        cognito = mockClient(CognitoIdentityProviderClient);
        forgetPoolFacts();
        gateway = openCognitoGateway({ region: "eu-west-1" });
    });
    afterEach(() => {
        gateway.destroy();
        cognito.restore();
    });

    it("sends AdminCreateUser with MessageAction SUPPRESS and answers with the user as a record", async () => {
        cognito.on(AdminCreateUserCommand).resolves({
            User: { Username: "5cbb0910", Attributes: [{ Name: "sub", Value: "5cbb0910" }], UserStatus: "FORCE_CHANGE_PASSWORD" },
        });
        const created = await gateway.adminCreateUser({
            user,
            username: user.username,
            attributes: { email: user.username },
            forceAliasCreation: false,
        });
        assert.deepEqual(cognito.commandCalls(AdminCreateUserCommand)[0].args[0].input, {
            UserPoolId: POOL,
            Username: user.username,
            UserAttributes: [{ Name: "email", Value: user.username }],
            MessageAction: "SUPPRESS",
            TemporaryPassword: undefined,
            ClientMetadata: undefined,
            ValidationData: undefined,
            ForceAliasCreation: false,
        });
        assert.deepEqual(created, {
            username: "5cbb0910",
            attributes: { sub: "5cbb0910" },
            enabled: true,
            status: "FORCE_CHANGE_PASSWORD",
            createdAt: undefined,
            lastModifiedAt: undefined,
            mfaSettingList: [],
        });
    });

    it("names the operation, the user and the pool in every error, and keeps the SDK's fault and attempts off its shape", async () => {
        cognito.on(AdminAddUserToGroupCommand).rejects(serviceError("ResourceNotFoundException", "Group not found.", "client", 1));
        const error = (await gateway
            .adminAddUserToGroup({ user, username: "5cbb0910", group: "admins" })
            .catch((e) => e)) as CognitoUserError;
        assert.ok(error instanceof CognitoUserError);
        assert.equal(error.code, "NOT_FOUND");
        assert.equal(error.operation, "AdminAddUserToGroup(admins)");
        assert.equal(
            error.message,
            `[NOT_FOUND] AdminAddUserToGroup(admins) failed for user "alice@example.com" in pool ${POOL}: Group not found. (ResourceNotFoundException).`,
        );
        assert.deepEqual(error.sdk, { fault: "client", attempts: 1 });
        assert.ok(!Object.keys(error).includes("sdk"), "how the call went is not part of the error's shape");
    });

    it("redacts the request's password and the caller's secrets", async () => {
        const generated = "Generated-9a!xyz";
        cognito
            .on(AdminSetUserPasswordCommand)
            .rejects(serviceError("InvalidPasswordException", `${TEST_PASSWORD} and ${generated} are too weak`, "client", 3));
        const error = (await gateway
            .adminSetUserPassword({
                user: { ...user, secrets: [generated] },
                username: "5cbb0910",
                password: TEST_PASSWORD,
                permanent: true,
            })
            .catch((e) => e)) as CognitoUserError;
        assert.equal(error.code, "COGNITO_ERROR");
        assert.ok(!error.message.includes(TEST_PASSWORD) && !error.message.includes(generated), "a password appears in the error");
        assert.match(error.message, /\[secret\] and \[secret\] are too weak/);
        assert.deepEqual(error.sdk, { fault: "client", attempts: 3 });
    });

    it("finds users by one attribute, quoting the value in ListUsers' filter", async () => {
        cognito.on(ListUsersCommand).resolves({ Users: [{ Username: "5cbb0910" }] });
        assert.deepEqual(await gateway.listUsers({ user, attribute: "email", value: 'a"b@example.com' }), ["5cbb0910"]);
        assert.deepEqual(cognito.commandCalls(ListUsersCommand)[0].args[0].input, {
            UserPoolId: POOL,
            Filter: 'email = "a\\"b@example.com"',
            Limit: 2,
        });
    });

    it("reads a pool's facts once per connection and process, and again after a failure", async () => {
        cognito
            .on(DescribeUserPoolCommand)
            .rejectsOnce(serviceError("InternalErrorException", "try again", "server", 8))
            .resolves({ UserPool: { UsernameAttributes: ["email"], Policies: { PasswordPolicy: { MinimumLength: 12 } } } });
        const failed = (await gateway.describeUserPool({ user }).catch((e) => e)) as CognitoUserError;
        assert.equal(failed.operation, "DescribeUserPool");
        assert.deepEqual(failed.sdk, { fault: "server", attempts: 8 });
        const facts = await gateway.describeUserPool({ user });
        assert.equal(facts.passwordPolicy.minimumLength, 12);
        assert.deepEqual(facts.usernameAttributes, ["email"]);
        await openCognitoGateway({ region: "eu-west-1" }).describeUserPool({ user });
        assert.equal(cognito.commandCalls(DescribeUserPoolCommand).length, 2, "the failed read and one more");
        await openCognitoGateway({ region: "eu-west-1", endpoint: "http://127.0.0.1:9229" }).describeUserPool({ user });
        assert.equal(cognito.commandCalls(DescribeUserPoolCommand).length, 3, "another connection reads its own");
    });
});
