/**
 * Where a recorded user is reached, for the answers no emulator can give: AWS's own endpoint (which the
 * provider must use whatever `AWS_ENDPOINT_URL*` says) and a pool AWS cannot find. The SDK client is
 * mocked (aws-sdk-client-mock) or stopped before it sends, so nothing leaves the machine.
 */
import * as assert from "node:assert/strict";
import {
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    CognitoIdentityProviderClient,
    ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { createCognitoClient } from "../../provider/shared/cognito/connection";
import * as handlers from "../../provider/user/handlers";
import { UserOutputs } from "../../provider/shared/types";
import { useDummyCredentials } from "../../provider/local/cognitoLocal";
import { expectError } from "../support/cognito";

/** The state a CognitoUser created at AWS (no endpoint) records. */
const atAws: Partial<UserOutputs> = {
    userPoolId: "eu-west-1_AbCdEf123",
    username: "ann",
    cognitoUsername: "ann",
    sub: "5f0c1e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
    region: "eu-west-1",
    maxAttempts: 1,
    attributes: {},
    groups: [],
    enabled: true,
};

/** The host a client would send `AdminGetUser` to: the request is stopped before it leaves. */
async function hostOf(client: CognitoIdentityProviderClient): Promise<string> {
    let host = "";
    client.middlewareStack.add(
        () => async (args) => {
            host = (args.request as { hostname: string }).hostname;
            throw new Error("stopped before sending");
        },
        { step: "build", priority: "low", name: "captureHost" },
    );
    await client.send(new AdminGetUserCommand({ UserPoolId: "eu-west-1_AbCdEf123", Username: "ann" })).catch(() => undefined);
    return host;
}

describe("the connection recorded at create (integration, mocked AWS)", function () {
    const saved = { ...process.env };
    before(function () {
        useDummyCredentials();
    });
    afterEach(function () {
        for (const key of ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"]) {
            if (saved[key] === undefined) delete process.env[key];
            else process.env[key] = saved[key];
        }
    });

    it("a client for a user created without an endpoint goes to AWS, whatever AWS_ENDPOINT_URL* says", async function () {
        process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:1";
        process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = "http://127.0.0.1:2";
        assert.equal(await hostOf(createCognitoClient({ region: "eu-west-1" })), "cognito-idp.eu-west-1.amazonaws.com");
        // The SDK left to itself would have gone to the environment's endpoint: that is what the provider prevents.
        const plain = new CognitoIdentityProviderClient({ region: "eu-west-1" });
        assert.equal(await hostOf(plain), "127.0.0.1");
        // A recorded endpoint is used as recorded.
        assert.equal(await hostOf(createCognitoClient({ region: "us-east-1", endpoint: "http://127.0.0.9:9229" })), "127.0.0.9");
    });

    describe("a pool AWS cannot find", function () {
        let cognito: ReturnType<typeof mockClient>;
        beforeEach(function () {
            cognito = mockClient(CognitoIdentityProviderClient);
            const gone = new ResourceNotFoundException({ message: "User pool eu-west-1_AbCdEf123 does not exist.", $metadata: {} });
            cognito.on(AdminGetUserCommand).rejects(gone);
            cognito.on(AdminDeleteUserCommand).rejects(gone);
        });
        afterEach(function () {
            cognito.restore();
        });

        it("refresh fails, naming the pool, Region, endpoint and profile: never 'user gone'", async function () {
            const error = await expectError(() => handlers.read("eu-west-1_AbCdEf123/ann", { ...atAws, profile: "prod" }));
            assert.equal(error.code, "NOT_FOUND");
            assert.ok(
                error.message.includes('pool eu-west-1_AbCdEf123 cannot be found at Region eu-west-1, AWS\'s endpoint, profile "prod"'),
            );
            assert.match(error.message, /not taken for gone/);
        });

        it("destroy fails with the way out, and deletes nothing", async function () {
            const error = await expectError(() => handlers.remove("eu-west-1_AbCdEf123/ann", atAws));
            assert.equal(error.code, "NOT_FOUND");
            assert.match(error.message, /pulumi state delete/);
            assert.equal(cognito.commandCalls(AdminDeleteUserCommand).length, 0);
        });
    });
});
