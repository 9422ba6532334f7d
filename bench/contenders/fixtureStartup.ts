/**
 * Row "fixture up() to first test, 5 users": how long a mocha suite waits in `before()` for
 * `cognitoFixture({ users }).up()` (pulumi-cognito-user/testing: Automation API, inline program of
 * CognitoUsers), timed through the public API, in a pool of the bench's own cognito-local (the bench
 * runs one emulator; the fixture's embedded mode would start another, adding its start-up). The first
 * `signIn` and `down()` are reported beside it. Skipped when the testing entry point is not built.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pulumiEnv, pulumiPath } from "../../scripts/pulumiEnv";
import {
    beginStep,
    BENCH_REGION,
    BenchContext,
    BenchRow,
    briefError,
    createAppClient,
    createBenchPool,
    deleteBenchPool,
    newRow,
    recordRun,
    secondsSince,
} from "../harness";

/** Users the fixture declares. */
export const FIXTURE_USERS = 5;

interface FixtureModule {
    cognitoFixture(options: {
        users: Record<string, { username: string }>;
        pool: { userPoolId: string; clientId: string; endpoint: string; region: string };
        pulumi: { command: string; env: Record<string, string | undefined> };
        stateRoot: string;
        name: string;
    }): { up(): Promise<void>; down(): Promise<void>; signIn(key: string): Promise<unknown> };
}

function loadFixtures(): FixtureModule | undefined {
    try {
        const testing = require("pulumi-cognito-user/testing") as Partial<FixtureModule>;
        return typeof testing.cognitoFixture === "function" ? (testing as FixtureModule) : undefined;
    } catch {
        return undefined;
    }
}

/** Times the fixture's `up()` with five users. */
export async function runFixtureStartup(ctx: BenchContext): Promise<BenchRow> {
    const row = newRow("fixture-up", `fixture up() to first test, ${FIXTURE_USERS} users`, FIXTURE_USERS);
    const testing = loadFixtures();
    if (!testing) {
        row.skipped = "pulumi-cognito-user/testing (cognitoFixture) is not built: no fixture start-up to time";
        return row;
    }
    const userPoolId = await createBenchPool(ctx.client, "fixture");
    const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-bench-fixture-"));
    try {
        const clientId = await createAppClient(ctx.client, userPoolId);
        const users = Object.fromEntries(
            Array.from({ length: FIXTURE_USERS }, (_, i) => [`user${i + 1}`, { username: `fixture-${i + 1}` }]),
        );
        const fixture = testing.cognitoFixture({
            users,
            pool: { userPoolId, clientId, endpoint: ctx.endpoint, region: BENCH_REGION },
            pulumi: { command: pulumiPath, env: pulumiEnv({ AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" }) },
            stateRoot,
            name: "bench",
        });
        beginStep(row);
        const start = process.hrtime.bigint();
        await fixture.up();
        recordRun(row, secondsSince(start));
        const signInStart = process.hrtime.bigint();
        await fixture.signIn("user1");
        row.extra.firstSignInSeconds = secondsSince(signInStart);
        const downStart = process.hrtime.bigint();
        await fixture.down();
        row.extra.downSeconds = secondsSince(downStart);
        row.notes.push(
            `time of up() (Automation API, inline program, generated passwords) in a pool of the bench's cognito-local; ` +
                `first signIn ${Number(row.extra.firstSignInSeconds).toFixed(2)} s, down() ${Number(row.extra.downSeconds).toFixed(1)} s; memory not separated (in-process)`,
        );
    } catch (error) {
        row.error = briefError(error);
    } finally {
        fs.rmSync(stateRoot, { recursive: true, force: true });
        await deleteBenchPool(ctx.client, userPoolId);
    }
    return row;
}

/** bench/fixtureStartup.ts's timing function (the fixture's owner keeps it), when present. */
interface FixtureStartupModule {
    measureFixtureStartup(users?: number): Promise<{ users: number; upMs: number; firstSignInMs: number; downMs: number }>;
}

/**
 * Row "fixture up() to first test, 5 users, embedded Cognito": the out-of-the-box number, from
 * bench/fixtureStartup.ts's `measureFixtureStartup` (the fixture starts its own cognito-local, which
 * is part of what a test author waits for). Skipped with a note when that module is absent.
 */
export async function runFixtureStartupEmbedded(): Promise<BenchRow> {
    const row = newRow("fixture-up-embedded", `fixture up() to first test, ${FIXTURE_USERS} users, embedded Cognito`, FIXTURE_USERS);
    let timing: FixtureStartupModule | undefined;
    try {
        timing = require("../fixtureStartup") as FixtureStartupModule;
    } catch {
        timing = undefined;
    }
    if (typeof timing?.measureFixtureStartup !== "function") {
        row.skipped = "bench/fixtureStartup.ts (measureFixtureStartup) is absent: no embedded fixture start-up to time";
        return row;
    }
    try {
        beginStep(row);
        const result = await timing.measureFixtureStartup(FIXTURE_USERS);
        recordRun(row, result.upMs / 1000);
        row.extra.firstSignInSeconds = result.firstSignInMs / 1000;
        row.extra.downSeconds = result.downMs / 1000;
        row.notes.push(
            `bench/fixtureStartup.ts: up() with the fixture's own cognito-local (its start included), pool, app client and groups; ` +
                `first signIn ${(result.firstSignInMs / 1000).toFixed(2)} s, down() ${(result.downMs / 1000).toFixed(1)} s`,
        );
    } catch (error) {
        row.error = briefError(error);
    }
    return row;
}
