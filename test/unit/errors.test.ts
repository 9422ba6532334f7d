/**
 * The error model: codes, messages that name the operation, user, pool and Cognito's message, redaction
 * of secrets, and the round trip through text (as after crossing gRPC).
 */
import { strict as assert } from "assert";
import {
    CognitoUserError,
    errorShape,
    isResourceNotFound,
    isUserNotFound,
    poolNotFoundError,
    redact,
    translateCognitoError,
} from "../../provider/shared/errors";
import { TEST_PASSWORD } from "./fixtures";

/** An error shaped like the AWS SDK's service exceptions: `name` is Cognito's exception name. */
function sdkError(name: string, message: string): Error {
    const error = new Error(message);
    error.name = name;
    return error;
}

const context = {
    operation: "AdminCreateUser",
    username: "alice@example.com",
    userPoolId: "eu-west-1_AbCdEf123",
};

describe("errors", () => {
    describe("translateCognitoError", () => {
        it("maps UsernameExistsException to USER_EXISTS and says how to adopt the user", () => {
            const error = translateCognitoError(sdkError("UsernameExistsException", "User account already exists"), context);
            assert.ok(error instanceof CognitoUserError);
            assert.equal(error.code, "USER_EXISTS");
            assert.match(error.message, /^\[USER_EXISTS\] /);
            assert.doesNotMatch(
                error.message,
                /cognito-user:adoptExisting/,
                "never a stack-wide switch: the one safe way out names the user",
            );
            assert.doesNotMatch(error.message, /pulumi import/, "the CLI's import cannot serve a dynamic provider: never suggest it");
            assert.match(error.message, /\{ import: "eu-west-1_AbCdEf123\/alice@example\.com" \}/);
        });

        for (const name of ["UserNotFoundException", "ResourceNotFoundException"]) {
            it(`maps ${name} to NOT_FOUND`, () => {
                const error = translateCognitoError(sdkError(name, "not there"), context);
                assert.equal(error.code, "NOT_FOUND");
                const is = name === "UserNotFoundException" ? isUserNotFound : isResourceNotFound;
                assert.ok(is(error), "the check must see through the translation");
                assert.ok(is(sdkError(name, "x")));
            });
        }

        it("never takes a missing pool for a missing user: Cognito answers the same for another Region or account", () => {
            assert.ok(!isUserNotFound(sdkError("ResourceNotFoundException", "User pool x does not exist.")));
            assert.ok(!isResourceNotFound(sdkError("UserNotFoundException", "User does not exist.")));
        });

        it("poolNotFoundError names the pool and where it was looked for, and for a recorded user the way out", () => {
            const where = 'Region eu-west-1, AWS\'s endpoint, profile "prod"';
            const recorded = poolNotFoundError({
                operation: "AdminGetUser",
                username: "ann",
                userPoolId: "eu-west-1_AbC",
                where,
                recorded: true,
            });
            assert.equal(recorded.code, "NOT_FOUND");
            assert.ok(recorded.message.includes("eu-west-1_AbC") && recorded.message.includes(where));
            assert.match(recorded.message, /not taken for gone/);
            assert.match(recorded.message, /pulumi state delete/);
            const fresh = poolNotFoundError({ operation: "DescribeUserPool", username: "ann", userPoolId: "eu-west-1_AbC", where });
            assert.doesNotMatch(fresh.message, /state delete/);
        });

        it("maps TooManyRequestsException to THROTTLED and says what to do", () => {
            const error = translateCognitoError(sdkError("TooManyRequestsException", "Rate exceeded"), context);
            assert.equal(error.code, "THROTTLED");
            assert.match(error.message, /maxAttempts/);
        });

        for (const name of ["InvalidParameterException", "InvalidPasswordException", "NotAuthorizedException", "Error"]) {
            it(`maps ${name} to COGNITO_ERROR`, () => {
                const error = translateCognitoError(sdkError(name, "nope"), context);
                assert.equal(error.code, "COGNITO_ERROR");
                assert.ok(!isUserNotFound(error) && !isResourceNotFound(error));
            });
        }

        it("names the operation, the user, the pool, Cognito's message and exception", () => {
            const error = translateCognitoError(
                sdkError(
                    "InvalidParameterException",
                    "Attributes did not conform to the schema: custom:tier: Attribute does not exist in the schema.",
                ),
                context,
            );
            const { message } = error.toJSON();
            assert.match(message, /^AdminCreateUser failed/);
            assert.ok(message.includes('user "alice@example.com"'));
            assert.ok(message.includes("pool eu-west-1_AbCdEf123"));
            assert.ok(message.includes("custom:tier: Attribute does not exist in the schema."));
            assert.ok(message.includes("(InvalidParameterException)"));
            assert.equal(error.operation, "AdminCreateUser");
            assert.equal(error.cognitoName, "InvalidParameterException");
        });

        it("redacts secrets even when Cognito's message quotes them", () => {
            const temporary = "Temp-0nly-Secret#";
            const error = translateCognitoError(
                sdkError("InvalidPasswordException", `Password '${TEST_PASSWORD}' and '${temporary}' do not conform to policy`),
                {
                    ...context,
                    secrets: [TEST_PASSWORD, undefined, temporary],
                },
            );
            assert.ok(!error.message.includes(TEST_PASSWORD) && !error.message.includes(temporary), "no secret may remain in the message");
            assert.ok(!String(error.stack).includes(TEST_PASSWORD), "nor in the stack Pulumi prints");
            assert.ok(!JSON.stringify(error).includes(TEST_PASSWORD), "nor in the JSON");
            assert.match(error.message, /Password '\[secret\]' and '\[secret\]' do not conform/);
        });

        it("handles errors that are not Errors", () => {
            const error = translateCognitoError("socket hang up", context);
            assert.equal(error.code, "COGNITO_ERROR");
            assert.match(error.message, /socket hang up/);
            assert.equal(translateCognitoError(undefined, context).code, "COGNITO_ERROR");
        });

        it("passes a CognitoUserError through unchanged", () => {
            const original = new CognitoUserError("ROLLBACK_FAILED", "already explained");
            assert.equal(translateCognitoError(original, context), original);
        });
    });

    describe("redact", () => {
        it("replaces every occurrence of every secret", () => {
            assert.equal(redact("a SECRET b SECRET c OTHER", ["SECRET", "OTHER", undefined, ""]), "a [secret] b [secret] c [secret]");
        });

        it("leaves nothing of a longer secret that contains a shorter one", () => {
            const out = redact("value abc-longer-secret here", ["abc", "abc-longer-secret"]);
            assert.ok(!out.includes("longer-secret"), "the rest of the longer secret must not remain");
            assert.equal(out, "value [secret] here");
        });

        it("leaves text without secrets alone", () => {
            assert.equal(redact("nothing to hide", []), "nothing to hide");
        });
    });

    describe("CognitoUserError", () => {
        it("prefixes the message with the code and serializes to { code, message }", () => {
            const error = new CognitoUserError("NOT_FOUND", "user gone");
            assert.equal(error.message, "[NOT_FOUND] user gone");
            assert.deepEqual(error.toJSON(), {
                code: "NOT_FOUND",
                message: "user gone",
            });
            assert.deepEqual(JSON.parse(JSON.stringify(error)), {
                code: "NOT_FOUND",
                message: "user gone",
            });
            assert.equal(error.name, "CognitoUserError");
            assert.ok(error instanceof Error);
        });

        it("keeps the stack to the message, with no trace", () => {
            const error = new CognitoUserError("VALIDATION_ERROR", "bad input");
            assert.equal(error.stack, "[VALIDATION_ERROR] bad input");
        });
    });

    describe("errorShape", () => {
        it("reads a CognitoUserError", () => {
            assert.deepEqual(errorShape(new CognitoUserError("THROTTLED", "slow down")), { code: "THROTTLED", message: "slow down" });
        });

        it("parses [CODE] message back out of text that crossed gRPC", () => {
            const original = translateCognitoError(sdkError("UsernameExistsException", "User account already exists"), context);
            const wire = new Error(`Error: 2 UNKNOWN: ${original.message}\nmore detail`);
            const shape = errorShape(wire);
            assert.equal(shape.code, "USER_EXISTS");
            assert.ok(shape.message.startsWith("AdminCreateUser failed"));
            assert.ok(shape.message.includes("more detail"));
            for (const code of ["VALIDATION_ERROR", "USER_EXISTS", "NOT_FOUND", "THROTTLED", "ROLLBACK_FAILED", "COGNITO_ERROR"]) {
                assert.deepEqual(errorShape(`[${code}] text`), {
                    code,
                    message: "text",
                });
            }
        });

        it("calls anything else COGNITO_ERROR with its text", () => {
            assert.deepEqual(errorShape(new Error("boom")), {
                code: "COGNITO_ERROR",
                message: "boom",
            });
            assert.deepEqual(errorShape("[NOT_A_CODE] x"), {
                code: "COGNITO_ERROR",
                message: "[NOT_A_CODE] x",
            });
        });
    });
});
