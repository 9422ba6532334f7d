/**
 * What a test suite pays for its Cognito users: the fixture (`cognitoFixture`: embedded cognito-local,
 * 5 users in group `admins`, one `signIn`, `down()`) against the same done by hand with the AWS SDK in a
 * `before()`/`after()` (start cognito-local, pool, app client, group, per user AdminCreateUser SUPPRESS +
 * AdminSetUserPassword + AdminAddUserToGroup, one InitiateAuth; delete the users and the pool, stop).
 * Both start cognito-local with the same code (provider/local/cognitoLocal.ts). The two alternate in one
 * process, round after round, after one warm-up round each (not counted: the first loads modules), so a
 * change in the machine's load touches both alike; medians are reported.
 *
 *   npx ts-node --transpile-only bench/fixtureStartup.ts [rounds]   prints the comparison as JSON
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    CreateGroupCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    DeleteUserPoolCommand,
    InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startCognitoLocal } from "../provider/local/cognitoLocal";
import type * as testing from "../provider/testing";

/** Users each side creates. */
export const FIXTURE_BENCH_USERS = 5;
/** Counted rounds of each side by default. */
export const FIXTURE_BENCH_ROUNDS = 7;
/** The target of issue #20: the fixture's set-up plus teardown within this factor of the hand-written one. */
export const FIXTURE_TARGET_RATIO = 1.5;

/** One round of one side, in seconds. */
export interface RoundSeconds {
    /** Everything before the first test could run: emulator, pool, users, one sign-in. */
    setUp: number;
    /** Everything after the last test: users and pool gone, emulator stopped. */
    tearDown: number;
}

/** Medians of one side's counted rounds, in seconds. */
export interface SideMedians {
    /** Median set-up. */
    setUpSeconds: number;
    /** Median teardown. */
    tearDownSeconds: number;
    /** Median of set-up + teardown per round. */
    wholeSeconds: number;
    /** Every counted round, in order. */
    rounds: RoundSeconds[];
}

/** The comparison `latest.json` records as `fixture`. */
export interface FixtureComparison {
    /** Users per round. */
    users: number;
    /** Counted rounds per side. */
    rounds: number;
    /** Median set-up + teardown, by hand. */
    handWrittenSeconds: number;
    /** Median set-up + teardown, with the fixture. */
    fixtureSeconds: number;
    /** fixtureSeconds / handWrittenSeconds: the target is ≤ 1.5. */
    vsHandWritten: number;
    /** The target of `vsHandWritten`. */
    target: number;
    /** Median set-up of each side. */
    setUpSeconds: { handWritten: number; fixture: number };
    /** Median teardown of each side. */
    tearDownSeconds: { handWritten: number; fixture: number };
    /** The hand-written side in full. */
    handWritten: SideMedians;
    /** The fixture's side in full. */
    fixture: SideMedians;
    /** The 1-minute load average before the first and after the last round. */
    loadAverage: { atStart: number; atEnd: number };
}

const REGION = "us-east-1";
/** One password for the hand-written side's users, made per run: it meets any default policy. */
const PASSWORD = `Bench-${randomBytes(8).toString("hex")}-A1!`;

/** The hand-written before()/after(): every call a suite without the fixture would make. */
export async function handWrittenRound(users = FIXTURE_BENCH_USERS): Promise<RoundSeconds> {
    const start = performance.now();
    const emulator = await startCognitoLocal();
    const client = new CognitoIdentityProviderClient({
        region: REGION,
        endpoint: emulator.endpoint,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
        maxAttempts: 1,
    });
    const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: "hand-written", UsernameAttributes: [] }));
    const userPoolId = UserPool!.Id!;
    const [app] = await Promise.all([
        client.send(
            new CreateUserPoolClientCommand({
                UserPoolId: userPoolId,
                ClientName: "hand-written",
                ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            }),
        ),
        client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: "admins" })),
    ]);
    const usernames = Array.from({ length: users }, (_, i) => `hand-user${i}@example.com`);
    // Concurrently, as a careful hand would: the stronger baseline.
    await Promise.all(
        usernames.map(async (Username) => {
            await client.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username, MessageAction: "SUPPRESS" }));
            await client.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username, Password: PASSWORD, Permanent: true }));
            await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username, GroupName: "admins" }));
        }),
    );
    const auth = await client.send(
        new InitiateAuthCommand({
            ClientId: app.UserPoolClient!.ClientId!,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: usernames[0], PASSWORD },
        }),
    );
    if (!auth.AuthenticationResult?.IdToken) throw new Error("hand-written: InitiateAuth returned no ID token");
    const setUp = (performance.now() - start) / 1000;

    const downStart = performance.now();
    await Promise.all(usernames.map((Username) => client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username }))));
    await client.send(new DeleteUserPoolCommand({ UserPoolId: userPoolId }));
    client.destroy();
    await emulator.stop();
    return { setUp, tearDown: (performance.now() - downStart) / 1000 };
}

/** The fixture: the same users, one sign-in, through the package's public API in a state root of its own. */
export async function fixtureRound(
    cognitoFixture: typeof testing.cognitoFixture,
    stateRoot: string,
    users = FIXTURE_BENCH_USERS,
): Promise<RoundSeconds> {
    const specs: Record<string, testing.FixtureUserSpec> = {};
    for (let i = 0; i < users; i++) specs[`user${i}`] = { username: `fixture-user${i}@example.com`, groups: ["admins"] };
    const fixture = cognitoFixture({ users: specs, stateRoot, name: "bench" });
    try {
        const start = performance.now();
        await fixture.up();
        const { idToken } = await fixture.signIn("user0");
        if (!idToken) throw new Error("fixture: signIn returned no ID token");
        const setUp = (performance.now() - start) / 1000;
        const downStart = performance.now();
        await fixture.down();
        return { setUp, tearDown: (performance.now() - downStart) / 1000 };
    } finally {
        await fixture.down();
    }
}

/** The median of the values (the mean of the middle two for an even count). */
export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medians(rounds: RoundSeconds[]): SideMedians {
    return {
        setUpSeconds: median(rounds.map((r) => r.setUp)),
        tearDownSeconds: median(rounds.map((r) => r.tearDown)),
        wholeSeconds: median(rounds.map((r) => r.setUp + r.tearDown)),
        rounds,
    };
}

/**
 * Alternates the two sides, `rounds` counted rounds each after one warm-up round each, and compares the
 * medians. `cognitoFixture` is the package's (the bench loads the built entry point, as a user would).
 */
export async function measureFixtureVsHandWritten(
    cognitoFixture: typeof testing.cognitoFixture,
    rounds = FIXTURE_BENCH_ROUNDS,
    log: (line: string) => void = () => undefined,
): Promise<FixtureComparison> {
    const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fixture-bench-"));
    const hand: RoundSeconds[] = [];
    const fixture: RoundSeconds[] = [];
    const loadAtStart = os.loadavg()[0];
    try {
        await handWrittenRound();
        await fixtureRound(cognitoFixture, stateRoot);
        for (let round = 1; round <= rounds; round++) {
            // Who goes first alternates too: neither side always follows the other's teardown.
            const order = round % 2 === 1 ? ["hand", "fixture"] : ["fixture", "hand"];
            for (const side of order) {
                if (side === "hand") hand.push(await handWrittenRound());
                else fixture.push(await fixtureRound(cognitoFixture, stateRoot));
            }
            const [h, f] = [hand[hand.length - 1], fixture[fixture.length - 1]];
            log(
                `  round ${round}/${rounds}: hand-written ${(h.setUp + h.tearDown).toFixed(2)} s, fixture ${(f.setUp + f.tearDown).toFixed(2)} s`,
            );
        }
    } finally {
        fs.rmSync(stateRoot, { recursive: true, force: true });
    }
    const handWritten = medians(hand);
    const withFixture = medians(fixture);
    return {
        users: FIXTURE_BENCH_USERS,
        rounds,
        handWrittenSeconds: handWritten.wholeSeconds,
        fixtureSeconds: withFixture.wholeSeconds,
        vsHandWritten: withFixture.wholeSeconds / handWritten.wholeSeconds,
        target: FIXTURE_TARGET_RATIO,
        setUpSeconds: { handWritten: handWritten.setUpSeconds, fixture: withFixture.setUpSeconds },
        tearDownSeconds: { handWritten: handWritten.tearDownSeconds, fixture: withFixture.tearDownSeconds },
        handWritten,
        fixture: withFixture,
        loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] },
    };
}

if (require.main === module) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const { cognitoFixture } = require("pulumi-cognito-user/testing") as typeof testing;
    measureFixtureVsHandWritten(cognitoFixture, Number(process.argv[2] ?? FIXTURE_BENCH_ROUNDS), (line) =>
        process.stderr.write(`${line}\n`),
    ).then(
        (result) => console.log(JSON.stringify(result)),
        (error) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
        },
    );
}
