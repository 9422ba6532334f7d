/**
 * A mocha suite that test/e2e/fixtures.e2e.test.ts runs in child processes (it is not a `*.test.ts`, so
 * `npm test` never runs it directly). It uses the fixture through the package's own entry point,
 * `pulumi-cognito-user/testing` (the compiled dist/), as a package user would. Driven by environment:
 *   FIXTURE_SUITE_MODE   pass | fail (one test fails) | hang (stays up until killed)
 *   FIXTURE_STATE_ROOT   the fixture's stateRoot
 *   FIXTURE_POOL         JSON FixturePool; the embedded Cognito when absent
 *   FIXTURE_USERS        how many users (the first is "admin", in group admins); default 2
 *   FIXTURE_USER_PREFIX  prefix of the usernames, so suites sharing a pool do not collide
 *   FIXTURE_RENDEZVOUS   "<dir>:<id>:<peers>": after up(), wait until <peers> suites are up at once
 * It prints one line `FIXTURE_INFO <json>` after up() and one per test: never a password.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type * as testing from "../../../provider/testing";

// The package's public entry point, resolved through package.json "exports" (package self-reference).
const { cognitoFixture } = require("pulumi-cognito-user/testing") as typeof testing;

const mode = process.env.FIXTURE_SUITE_MODE ?? "pass";
const count = Number(process.env.FIXTURE_USERS ?? "2");
const prefix = process.env.FIXTURE_USER_PREFIX ?? "suite";

/** User keys: admin, then user1, user2, ... */
const specs: Record<string, testing.FixtureUserSpec> = { admin: { username: `${prefix}-admin@example.com`, groups: ["admins"] } };
for (let i = 1; i < count; i++) specs[`user${i}`] = { username: `${prefix}-user${i}@example.com` };

const users = cognitoFixture({
    users: specs,
    pool: process.env.FIXTURE_POOL ? (JSON.parse(process.env.FIXTURE_POOL) as testing.FixturePool) : undefined,
    stateRoot: process.env.FIXTURE_STATE_ROOT,
    name: `child-${mode}`,
});

/** One machine-readable line for the parent test. */
function report(info: Record<string, unknown>): void {
    process.stdout.write(`FIXTURE_INFO ${JSON.stringify({ pid: process.pid, ...info })}\n`);
}

/** Waits until every peer suite has written its marker: then all their fixtures are up at the same time. */
async function rendezvous(spec: string): Promise<void> {
    const [dir, id, peers] = spec.split(":");
    fs.writeFileSync(path.join(dir, `${id}.up`), "");
    const deadline = Date.now() + 5 * 60 * 1000;
    while (fs.readdirSync(dir).filter((f) => f.endsWith(".up")).length < Number(peers)) {
        if (Date.now() > deadline) throw new Error(`rendezvous: the other suites did not come up in ${dir}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

describe(`fixture child suite (${mode})`, function () {
    let upCalledAt = 0;

    before(async function () {
        upCalledAt = Date.now();
        await users.up();
        report({ event: "up", runDir: users.runDir, pool: users.pool });
        if (process.env.FIXTURE_RENDEZVOUS) await rendezvous(process.env.FIXTURE_RENDEZVOUS);
    });

    after(async function () {
        await users.down();
        report({ event: "down" });
    });

    it("signs the admin in, with its group and sub in the ID token", async function () {
        report({ event: "first-test", startupMs: Date.now() - upCalledAt, users: count });
        const admin = users.user("admin");
        const { idToken, accessToken, claims } = await users.signIn("admin");
        assert.ok(idToken && accessToken);
        assert.deepEqual(claims["cognito:groups"], ["admins"]);
        assert.equal(claims.sub, admin.sub);
        assert.equal(claims.aud, users.pool.clientId);
    });

    it("gives every user a password and a sub", async function () {
        for (const key of users.keys) {
            const user = users.user(key);
            assert.ok(user.password.length >= 8, `user ${key} has a password`);
            assert.match(user.sub, /^[0-9a-f-]{36}$/);
        }
    });

    if (mode === "fail") {
        it("fails, as a broken test would", function () {
            assert.fail("this test fails on purpose");
        });
    }

    if (mode === "hang") {
        it("hangs until the parent kills the process", async function () {
            report({ event: "hanging" });
            await new Promise(() => undefined);
        });
    }
});
