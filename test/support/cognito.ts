/**
 * Shared helpers for tests that run against the embedded Cognito (cognito-local): start it, make
 * pools, groups and an app client shaped like real ones, and read users straight from Cognito so
 * tests assert on what is really stored, not on what the provider says it stored. The pool, user and
 * sign-in helpers work against moto's server too (./moto.ts).
 */
import { QUOTA_CATEGORIES, QuotaCategory } from "../../provider/batch/quotas";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminInitiateAuthCommand,
    AdminListGroupsForUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    CreateGroupCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    ExplicitAuthFlowsType,
    InitiateAuthCommand,
    ListUsersCommand,
    PasswordPolicyType,
    UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import * as assert from "assert";
import { CognitoUserError } from "../../provider/shared/errors";
import { CognitoLocal, CognitoLocalOptions, startCognitoLocal, useDummyCredentials } from "../../provider/local/cognitoLocal";

/** The Region tests declare; cognito-local ignores it, the SDK needs one. */
export const TEST_REGION = "us-east-1";

/** Every quota category at 0, no pacing: the embedded Cognitos have no quotas, and big tests need not wait for real ones. */
export const UNPACED_RATES: Readonly<Record<QuotaCategory, number>> = Object.fromEntries(
    QUOTA_CATEGORIES.map((category) => [category, 0]),
) as Record<QuotaCategory, number>;

/** A running cognito-local with an SDK client for it. */
export interface TestCognito {
    /** Its URL: the `endpoint` input of users under test. */
    endpoint: string;
    /** A client for assertions and setup; it never retries, so a fault shows at once. */
    client: CognitoIdentityProviderClient;
    /** The emulator process (port, data folder). */
    local: CognitoLocal;
    /** Stops the emulator and removes its data folder (unless the caller gave it). Safe to call twice. */
    stop(): Promise<void>;
}

/**
 * Starts cognito-local on a free port with a temporary data folder, or with `options.dataDir` (e.g. one
 * holding a recorded `.cognito/db`; the caller removes it); call `stop()` in `after()`.
 */
export async function startTestCognito(options: Pick<CognitoLocalOptions, "dataDir"> = {}): Promise<TestCognito> {
    // Before any client exists: the SDK reads credentials from the environment, and so does the provider.
    useDummyCredentials();
    const local = await startCognitoLocal({ dataDir: options.dataDir });
    const client = new CognitoIdentityProviderClient({ region: TEST_REGION, endpoint: local.endpoint, maxAttempts: 1 });
    return {
        endpoint: local.endpoint,
        client,
        local,
        stop: async () => {
            client.destroy();
            await local.stop();
        },
    };
}

/** The policy test pools enforce (real Cognito checks it; cognito-local stores it for DescribeUserPool). */
export const TEST_PASSWORD_POLICY: PasswordPolicyType = {
    MinimumLength: 12,
    RequireUppercase: true,
    RequireLowercase: true,
    RequireNumbers: true,
    RequireSymbols: true,
};

/** How to make a test pool. */
export interface TestPoolOptions {
    /** Users sign in with their email: `UsernameAttributes: ["email"]`, Username becomes a UUID. */
    emailAsUsername?: boolean;
    /** Groups to create in the pool. */
    groups?: string[];
    /** Custom string attributes in the pool's schema, without `custom:` (real Cognito rejects undeclared ones). */
    customAttributes?: string[];
    /** The pool's password policy; default `TEST_PASSWORD_POLICY`. */
    passwordPolicy?: PasswordPolicyType;
    /** The app client's auth flows; default USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH. */
    authFlows?: ExplicitAuthFlowsType[];
}

/** A pool made by `createTestPool`. */
export interface TestPool {
    /** Its id, e.g. `local_AbCd1234`. */
    id: string;
    /** An app client allowing USER_PASSWORD_AUTH, for sign-in checks. */
    clientId: string;
}

/** Creates a pool (with the given groups, custom attributes and an app client), as real Cognito would need it. */
export async function createTestPool(client: CognitoIdentityProviderClient, options: TestPoolOptions = {}): Promise<TestPool> {
    const pool = await client.send(
        new CreateUserPoolCommand({
            PoolName: `test-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
            UsernameAttributes: options.emailAsUsername ? ["email"] : undefined,
            Policies: { PasswordPolicy: options.passwordPolicy ?? TEST_PASSWORD_POLICY },
            Schema: (options.customAttributes ?? []).map((name) => ({ Name: name, AttributeDataType: "String", Mutable: true })),
            AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        }),
    );
    const id = pool.UserPool!.Id!;
    for (const group of options.groups ?? []) await client.send(new CreateGroupCommand({ UserPoolId: id, GroupName: group }));
    const app = await client.send(
        new CreateUserPoolClientCommand({
            UserPoolId: id,
            ClientName: "tests",
            ExplicitAuthFlows: options.authFlows ?? ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
    );
    return { id, clientId: app.UserPoolClient!.ClientId! };
}

/** A user as Cognito stores it. */
export interface StoredUser {
    /** The canonical Username. */
    username: string;
    /** Every attribute, `sub` included. */
    attributes: Record<string, string>;
    /** Whether the user can sign in. */
    enabled: boolean;
    /** `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, ... */
    status: string;
    /** Group names, sorted. */
    groups: string[];
}

/** Reads a user straight from Cognito (AdminGetUser + AdminListGroupsForUser); undefined when it does not exist. */
export async function getStoredUser(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    username: string,
): Promise<StoredUser | undefined> {
    let user;
    try {
        user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    } catch (error) {
        if ((error as Error).name === "UserNotFoundException") return undefined;
        throw error;
    }
    const groups = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: user.Username! }));
    return {
        username: user.Username!,
        attributes: Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value ?? ""])),
        enabled: user.Enabled ?? true,
        status: user.UserStatus ?? "UNKNOWN",
        groups: (groups.Groups ?? []).map((g) => g.GroupName!).sort(),
    };
}

/**
 * Someone else's hand at work: deletes the user `deleted` (a Username) and creates `stranger` instead,
 * often under the same name or with the deleted user's email: the user a recorded identity must never
 * be mistaken for. With `password`, the stranger's is set permanent.
 */
export async function replaceUser(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    deleted: string,
    stranger: { username: string; attributes?: Record<string, string>; password?: string },
): Promise<void> {
    await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: deleted }));
    await client.send(
        new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: stranger.username,
            UserAttributes: Object.entries(stranger.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
            MessageAction: "SUPPRESS",
        }),
    );
    if (stranger.password !== undefined)
        await client.send(
            new AdminSetUserPasswordCommand({
                UserPoolId: userPoolId,
                Username: stranger.username,
                Password: stranger.password,
                Permanent: true,
            }),
        );
}

/** Every user of the pool, all pages. */
export async function listPoolUsers(client: CognitoIdentityProviderClient, userPoolId: string): Promise<UserType[]> {
    const users: UserType[] = [];
    let token: string | undefined;
    do {
        const page = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, PaginationToken: token }));
        users.push(...(page.Users ?? []));
        token = page.PaginationToken;
    } while (token);
    return users;
}

/**
 * Signs in with USER_PASSWORD_AUTH through the pool's app client. Returns "SIGNED_IN" when Cognito
 * issued tokens, else the challenge it asked for (e.g. NEW_PASSWORD_REQUIRED); throws when it refused.
 */
export async function signIn(client: CognitoIdentityProviderClient, pool: TestPool, username: string, password: string): Promise<string> {
    const r = await client.send(
        new InitiateAuthCommand({
            ClientId: pool.clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
    );
    if (r.AuthenticationResult?.AccessToken) return "SIGNED_IN";
    return r.ChallengeName ?? "NO_TOKENS";
}

/**
 * Signs in with ADMIN_USER_PASSWORD_AUTH (the app client must allow it), as a backend would. Returns
 * "SIGNED_IN" when Cognito issued tokens, else the challenge it asked for; throws when it refused.
 */
export async function adminSignIn(
    client: CognitoIdentityProviderClient,
    pool: TestPool,
    username: string,
    password: string,
): Promise<string> {
    const r = await client.send(
        new AdminInitiateAuthCommand({
            UserPoolId: pool.id,
            ClientId: pool.clientId,
            AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
    );
    if (r.AuthenticationResult?.AccessToken) return "SIGNED_IN";
    return r.ChallengeName ?? "NO_TOKENS";
}

/** Runs `run`, expecting Cognito itself (the SDK, not the provider) to refuse with the exception `name`; returns it. */
export async function expectCognitoException(name: string, run: () => Promise<unknown>): Promise<Error> {
    try {
        await run();
    } catch (error) {
        assert.equal((error as Error).name, name, `expected ${name}, got ${(error as Error).name}: ${(error as Error).message}`);
        return error as Error;
    }
    assert.fail(`expected ${name}, but the call succeeded`);
}

/** Runs `run`, expecting a CognitoUserError; returns it. */
export async function expectError(run: () => Promise<unknown>): Promise<CognitoUserError> {
    try {
        await run();
    } catch (error) {
        assert.ok(error instanceof CognitoUserError, `expected a CognitoUserError, got ${(error as Error).name}`);
        return error;
    }
    assert.fail("expected an error");
}
