/**
 * The Cognito gateway, against a mocked SDK client: named requests become the SDK's inputs, every
 * error names the operation, the user and the pool with the request's secrets redacted and keeps the
 * SDK's `$fault` and attempts, and a pool's facts are read once per connection.
 */
import { strict as assert } from "assert";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    CognitoIdentityProviderServiceException,
    DescribeUserPoolCommand,
    ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { CognitoUserError } from "../../provider/shared/errors";
import { CognitoGateway, forgetPoolFacts, openCognitoGateway, ProvenUser } from "../../provider/shared/cognito/gateway";
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

    /** The user 5cbb0910 (sub 5cbb0910), proven through `on`'s own AdminGetUser, as every write demands. */
    async function proven(
        on: CognitoGateway = gateway,
        ref: { userPoolId: string; username: string; secrets?: string[] } = user,
    ): Promise<ProvenUser> {
        cognito.on(AdminGetUserCommand).resolves({ Username: "5cbb0910", UserAttributes: [{ Name: "sub", Value: "5cbb0910" }] });
        const found = await on.adminGetUser({ user: ref, username: "5cbb0910" });
        const verdict = on.identify(found, { cognitoUsername: "5cbb0910", sub: "5cbb0910" }, ref);
        assert.equal(verdict.kind, "same");
        return (verdict as { proven: ProvenUser }).proven;
    }

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
        const error = (await gateway.adminAddUserToGroup({ user: await proven(), group: "admins" }).catch((e) => e)) as CognitoUserError;
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
                user: await proven(gateway, { ...user, secrets: [generated] }),
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

    describe("the identity gate", () => {
        it("writes only to a user this operation proved, by the Username Cognito confirmed", async () => {
            cognito.on(AdminDeleteUserCommand).resolves({});
            await gateway.adminDeleteUser({ user: await proven() });
            assert.deepEqual(cognito.commandCalls(AdminDeleteUserCommand)[0].args[0].input, { UserPoolId: POOL, Username: "5cbb0910" });
        });

        it("refuses, before any call, a user no identity check of this operation proved", async () => {
            cognito.on(AdminDeleteUserCommand).resolves({});
            const forged = { ref: user, cognitoUsername: "5cbb0910", sub: "5cbb0910" } as unknown as ProvenUser;
            const fromAnother = await proven(openCognitoGateway({ region: "eu-west-1" }));
            for (const target of [forged, fromAnother]) {
                const error = (await gateway.adminDeleteUser({ user: target }).catch((e) => e)) as CognitoUserError;
                assert.match(error.message, /not preceded by this operation's identity check; nothing was written/);
            }
            assert.equal(cognito.commandCalls(AdminDeleteUserCommand).length, 0);
        });

        it("accepts a single-attempt twin's write with the proofs of its own operation", async () => {
            cognito.on(AdminDeleteUserCommand).resolves({});
            const twin = gateway.singleAttempt();
            await twin.adminDeleteUser({ user: await proven() });
            twin.destroy();
            assert.equal(cognito.commandCalls(AdminDeleteUserCommand).length, 1);
        });

        it("judges only Cognito's own answers, and proves nothing for a Username taken over or gone", async () => {
            cognito.on(AdminGetUserCommand).resolves({ Username: "5cbb0910", UserAttributes: [{ Name: "sub", Value: "other-sub" }] });
            const found = await gateway.adminGetUser({ user, username: "5cbb0910" });
            assert.deepEqual(gateway.identify(found, { cognitoUsername: "5cbb0910", sub: "5cbb0910" }, user), {
                kind: "takenOver",
                foundSub: "other-sub",
            });
            assert.deepEqual(gateway.identify(undefined, { cognitoUsername: "5cbb0910", sub: "5cbb0910" }, user), { kind: "gone" });
            assert.deepEqual(
                gateway.identify(found, { cognitoUsername: "alice", sub: "other-sub" }, user),
                { kind: "gone" },
                "an alias's user",
            );
            const made = { ...found };
            assert.throws(
                () => gateway.identify(made, { cognitoUsername: "5cbb0910" }, user),
                /a record Cognito did not give this operation/,
            );
        });
    });
});
