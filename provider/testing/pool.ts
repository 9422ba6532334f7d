/**
 * The pool the fixture's users live in: the embedded Cognito (cognito-local in the run's folder, with a
 * pool, an app client allowing USER_PASSWORD_AUTH and the groups the users name), or a pool the caller
 * gives (its Region, app client and groups, checked before any user is made); and its issuer, as its
 * tokens carry it.
 */
import * as fs from "fs";
import {
    CognitoIdentityProviderClient,
    CreateGroupCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    GetGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoLocal, startCognitoLocal } from "../local/cognitoLocal";
import { regionFromPoolId } from "../shared/validate";
import { redact } from "../shared/errors";
import { describeAppClient, signInWithPassword } from "./auth";
import { CognitoFixtureError, Declaration, errorText, FixturePool, FixturePoolInfo, groupNames, LiveRun, step } from "./declaration";
import { processStart, RunPaths, writeRecord } from "./runState";
import { anyTotp, enableOptionalTotp } from "./signInPaths";

/** Region the embedded Cognito's clients declare; cognito-local ignores it. */
export const EMBEDDED_REGION = "us-east-1";
/** cognito-local accepts any credentials; these keep the SDK from looking for real ones. */
export const EMBEDDED_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** Connects to the caller's pool: its Region, app client and groups. */
export async function usePool(declared: Declaration, run: LiveRun, given: FixturePool): Promise<void> {
    const region = given.region ?? regionFromPoolId(given.userPoolId) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region)
        throw new CognitoFixtureError(
            "find the pool's Region",
            `pass pool.region: ${given.userPoolId} names none and AWS_REGION is not set`,
        );
    const client = new CognitoIdentityProviderClient({
        region,
        endpoint: given.endpoint,
        profile: given.profile,
        retryMode: "adaptive",
    });
    run.client = client;
    run.pool = poolInfo(given.userPoolId, given.clientId, region, given.endpoint, false);
    run.record.pool = { userPoolId: given.userPoolId, region, endpoint: given.endpoint, profile: given.profile };
    // The client first: it also proves the pool exists, so a missing pool is not reported as missing groups.
    run.app = await step("describe the app client", async () => {
        try {
            return await describeAppClient(client, given.userPoolId, given.clientId, given);
        } catch (error) {
            throw new Error(`pool ${given.userPoolId}, app client ${given.clientId}: ${errorText(error)} (${(error as Error).name})`);
        }
    });
    await checkGroupsExist(declared, client, given.userPoolId);
}

/** Starts cognito-local in the run's folder and makes the pool, its app client and the groups. */
export async function startEmbedded(declared: Declaration, run: LiveRun): Promise<void> {
    const emulator = await step("start the embedded Cognito (cognito-local)", () => startEmbeddedCognito(run.paths));
    run.cognitoLocal = emulator;
    run.record.cognitoLocal = { pid: emulator.pid, start: processStart(emulator.pid), endpoint: emulator.endpoint };
    writeRecord(run.paths, run.record); // before anything else can fail: a crash from here on leaves an emulator to stop
    const client = new CognitoIdentityProviderClient({
        region: EMBEDDED_REGION,
        endpoint: emulator.endpoint,
        credentials: EMBEDDED_CREDENTIALS,
        // A connection cognito-local closed while idle (keep-alive) fails as "socket hang up": try again.
        maxAttempts: 3,
    });
    run.client = client;
    const made = await createEmbeddedPool(declared, client);
    run.pool = poolInfo(made.userPoolId, made.clientId, EMBEDDED_REGION, emulator.endpoint, true);
    run.record.pool = { userPoolId: made.userPoolId, region: EMBEDDED_REGION, endpoint: emulator.endpoint };
    run.app = { clientId: made.clientId, flow: "USER_PASSWORD_AUTH" };
    declared.log("pool ready");
}

/** Creates the embedded pool, its app client and every group the users name. */
async function createEmbeddedPool(
    declared: Declaration,
    client: CognitoIdentityProviderClient,
): Promise<{ userPoolId: string; clientId: string }> {
    const emailAsUsername = declared.options.embedded?.emailAsUsername ?? false;
    const created = await step("create the embedded pool", () =>
        client.send(
            new CreateUserPoolCommand({
                PoolName: `fixture-${process.pid}`,
                // Explicit: cognito-local's own default may be email sign-in.
                UsernameAttributes: emailAsUsername ? ["email"] : [],
                AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
            }),
        ),
    );
    const userPoolId = created.UserPool!.Id!;
    if (anyTotp(declared.specs)) await step("turn on optional TOTP MFA in the embedded pool", () => enableOptionalTotp(client, userPoolId));
    const groups = groupNames(declared);
    const [app] = await Promise.all([
        step("create the embedded pool's app client", () =>
            client.send(
                new CreateUserPoolClientCommand({
                    UserPoolId: userPoolId,
                    ClientName: "fixture",
                    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                }),
            ),
        ),
        ...groups.map((group) =>
            step(`create group "${group}"`, () => client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }))),
        ),
    ]);
    return { userPoolId, clientId: app.UserPoolClient!.ClientId! };
}

/**
 * Checks that every group the users name exists in the caller's pool. The fixture does not create
 * groups there: a pool's groups are its owner's infrastructure (and carry IAM roles and precedence).
 * Without permission to read groups, the check is skipped and a missing group fails the user's create.
 */
async function checkGroupsExist(declared: Declaration, client: CognitoIdentityProviderClient, userPoolId: string): Promise<void> {
    const missing: string[] = [];
    await Promise.all(
        groupNames(declared, false).map(async (group) => {
            try {
                await client.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
            } catch (error) {
                const name = (error as Error).name;
                // The same exception says the pool is missing; only a group's absence is a missing group.
                if (name === "ResourceNotFoundException" && !/pool/i.test((error as Error).message)) missing.push(group);
                else if (name !== "AccessDeniedException") throw new CognitoFixtureError(`check group "${group}"`, errorText(error));
            }
        }),
    );
    if (missing.length === 0) return;
    const { keys, specs } = declared;
    const failures = keys
        .filter((key) => (specs[key].groups ?? []).some((g) => missing.includes(g)))
        .map((key) => ({
            userKey: key,
            username: specs[key].username,
            message: `group(s) ${(specs[key].groups ?? []).filter((g) => missing.includes(g)).join(", ")} do not exist`,
        }));
    const text = failures.map((f) => `user "${f.userKey}" (${f.username}): ${f.message}`).join("; ");
    throw new CognitoFixtureError(
        "check groups",
        `${text} in pool ${userPoolId}. Create them with the pool (the fixture creates groups only in its embedded Cognito).`,
        failures,
    );
}

/** Starts cognito-local in the run's folder, with a clear message when the optional peer dependency is missing. */
async function startEmbeddedCognito(paths: RunPaths): Promise<CognitoLocal> {
    fs.mkdirSync(paths.cognitoLocalData, { recursive: true });
    try {
        return await startCognitoLocal({ dataDir: paths.cognitoLocalData });
    } catch (error) {
        // startCognitoLocal() checks first that cognito-local is installed; the fixture has another way out.
        if ((error as { code?: unknown }).code !== "COGNITO_LOCAL_MISSING") throw error;
        throw new Error(
            "cognito-local is not installed: `npm install --save-dev cognito-local`, or pass the `pool` option to use a pool of your own",
        );
    }
}

/**
 * Sets `pool.issuer` to the `iss` the pool's tokens carry, read from one sign-in: emulators issue
 * tokens under URLs of their own (cognito-local its endpoint, moto AWS's URL whatever its endpoint),
 * so no URL scheme fits every endpoint. It signs in the first user that needs nothing but its
 * password (enabled, no MFA, not a temporary password), so no TOTP code is spent. Without one, or if
 * the sign-in fails, the issuer stays AWS's `https://cognito-idp.<region>.amazonaws.com/<pool>` (or
 * `<endpoint>/<pool>`), and the reason is logged.
 */
export async function takeIssuerFromTokens(declared: Declaration, run: LiveRun): Promise<void> {
    const key = declared.keys.find((k) => {
        const spec = declared.specs[k];
        return spec.enabled !== false && !spec.mfa?.totp && !run.users.get(k)!.passwordIsTemporary;
    });
    if (key === undefined) {
        declared.log(`pool.issuer: no user signs in with a password alone; using ${run.pool!.issuer}`);
        return;
    }
    const user = run.users.get(key)!;
    try {
        const { claims } = await signInWithPassword(run.client!, run.pool!.userPoolId, run.app!, user.username, user.password);
        if (typeof claims.iss === "string" && claims.iss !== "") run.pool = { ...run.pool!, issuer: claims.iss };
    } catch (error) {
        declared.log(
            `pool.issuer: could not sign ${user.username} in to read it (${redact(errorText(error), [user.password])}); using ${run.pool!.issuer}`,
        );
    }
}

/** The pool's public description; issuer and keys at AWS's URLs, or the same paths on an endpoint override (as cognito-local serves them). */
function poolInfo(userPoolId: string, clientId: string, region: string, endpoint: string | undefined, embedded: boolean): FixturePoolInfo {
    const issuer = `${endpoint ? endpoint.replace(/\/+$/, "") : `https://cognito-idp.${region}.amazonaws.com`}/${userPoolId}`;
    return { userPoolId, clientId, region, endpoint, issuer, jwksUrl: `${issuer}/.well-known/jwks.json`, embedded };
}
