/**
 * How long a mocha suite waits in `before()` for its fixture: the time from `up()` called to the first
 * test able to run, with the fixture's default embedded Cognito (cognito-local started by the fixture,
 * which is part of what a test author waits for). bench/contenders/fixtureStartup.ts times the same
 * call in a pool of the bench's own emulator; this is the out-of-the-box number.
 *
 *   npx ts-node --transpile-only bench/fixtureStartup.ts [users]   prints JSON
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cognitoFixture, FixtureUserSpec } from "../provider/testing";
import { ensurePulumi, pulumiEnv, pulumiPath } from "../scripts/pulumiEnv";

/** One measurement, in milliseconds. */
export interface FixtureStartupResult {
    /** Users declared. */
    users: number;
    /** `up()` called → resolved: the wait before the first test. */
    upMs: number;
    /** The first `signIn()` after it. */
    firstSignInMs: number;
    /** `down()`. */
    downMs: number;
}

/**
 * Runs one fixture with `users` users (the first in group `admins`, passwords generated) in a state root
 * of its own, and times `up()`, the first `signIn()` and `down()`. The CLI setup (`ensurePulumi`) is
 * done before the clock starts: a test suite pays it once, not per fixture.
 */
export async function measureFixtureStartup(users = 5): Promise<FixtureStartupResult> {
    await ensurePulumi();
    const specs: Record<string, FixtureUserSpec> = {};
    for (let i = 0; i < users; i++)
        specs[`user${i}`] = { username: `bench-user${i}@example.com`, groups: i === 0 ? ["admins"] : undefined };
    const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fixture-startup-"));
    const fixture = cognitoFixture({ users: specs, stateRoot, name: "bench", pulumi: { command: pulumiPath, env: pulumiEnv() } });
    try {
        let start = performance.now();
        await fixture.up();
        const upMs = performance.now() - start;
        start = performance.now();
        await fixture.signIn("user0");
        const firstSignInMs = performance.now() - start;
        start = performance.now();
        await fixture.down();
        const downMs = performance.now() - start;
        return { users, upMs: Math.round(upMs), firstSignInMs: Math.round(firstSignInMs), downMs: Math.round(downMs) };
    } finally {
        await fixture.down();
        fs.rmSync(stateRoot, { recursive: true, force: true });
    }
}

if (require.main === module) {
    measureFixtureStartup(Number(process.argv[2] ?? "5")).then(
        (result) => console.log(JSON.stringify(result)),
        (error) => {
            console.error(error instanceof Error ? error.message : error);
            process.exit(1);
        },
    );
}
