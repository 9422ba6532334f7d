/**
 * The body of the two suites test/e2e/fixtureParallel.e2e.test.ts runs with `mocha --parallel --jobs 2`
 * (parallelWorkerA.ts, parallelWorkerB.ts; not `*.test.ts`, so `npm test` never runs them directly).
 * Both declare the very same users (same keys, same usernames) in one shared pool: only usernames made
 * unique per run and worker keep them apart. Through the package's entry point (the compiled dist/), as
 * a package user would. Driven by environment:
 *   FIXTURE_POOL          JSON FixturePool: the shared pool (TOTP MFA allowed)
 *   FIXTURE_STATE_ROOT    the fixtures' stateRoot
 *   PARALLEL_REPORT_DIR   where each suite writes `<worker>.json` (pid, worker id, usernames; never a secret)
 *   PARALLEL_PEERS        how many suites must be up at once before the tests run
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type * as testing from "../../../provider/testing";

const { cognitoFixture } = require("pulumi-cognito-user/testing") as typeof testing;

/** Runs the shared suite under `label`. */
export function parallelSuite(label: string): void {
    const reportDir = process.env.PARALLEL_REPORT_DIR!;
    const lines: string[] = [];
    const users = cognitoFixture({
        users: {
            alice: { username: "alice@example.com", attributes: { email: "alice@example.com" }, mfa: { totp: true } },
            bob: { username: "bob", temporaryPassword: "Temp-Passw0rd!42" },
            carol: { username: "carol" },
        },
        pool: JSON.parse(process.env.FIXTURE_POOL!) as testing.FixturePool,
        stateRoot: process.env.FIXTURE_STATE_ROOT,
        name: `parallel-${label}`,
        // Every cached token counts as expiring: a second signIn refreshes it.
        refreshBeforeExpirySeconds: 10 * 365 * 24 * 3600,
        log: (line) => lines.push(line),
    });

    describe(`parallel fixture suite ${label}`, function () {
        before(async function () {
            await users.up();
            // Both suites up at the same time, against the same pool.
            const peers = Number(process.env.PARALLEL_PEERS ?? "2");
            fs.writeFileSync(path.join(reportDir, `${label}.up`), "");
            const deadline = Date.now() + 5 * 60 * 1000;
            while (fs.readdirSync(reportDir).filter((f) => f.endsWith(".up")).length < peers) {
                if (Date.now() > deadline) throw new Error("the other suite did not come up");
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        });
        after(async function () {
            await users.down();
        });

        it("has its own users: the declared keys, unique usernames", function () {
            const worker = process.env.MOCHA_WORKER_ID;
            assert.ok(worker !== undefined, "runs in a mocha parallel worker");
            const alice = users.user("alice");
            assert.equal(alice.declaredUsername, "alice@example.com");
            assert.match(alice.username, new RegExp(`^alice\\+w${worker}-[0-9a-f]{6}@example\\.com$`));
            assert.match(users.user("carol").username, new RegExp(`^carol-w${worker}-[0-9a-f]{6}$`));
            const report = { label, pid: process.pid, worker, usernames: users.keys.map((key) => users.user(key).username) };
            fs.writeFileSync(path.join(reportDir, `${label}.json`), JSON.stringify(report));
        });

        it("signs in as the TOTP user with no auth code in the test, and refreshes its tokens", async function () {
            const first = await users.signIn("alice");
            assert.equal(first.claims.email, users.user("alice").username, "the email attribute follows the unique username");
            assert.match(users.totp("alice"), /^\d{6}$/);
            const second = await users.signIn("alice");
            assert.ok(second.idToken);
            const carol = await users.signIn("carol");
            const again = await users.signIn("carol");
            assert.equal(again.refreshToken, carol.refreshToken);
            assert.ok(
                lines.some((line) => line === 'signIn("carol"): tokens refreshed (REFRESH_TOKEN_AUTH)'),
                lines.join("\n"),
            );
        });

        it("hands back NEW_PASSWORD_REQUIRED for the temporary password, and completes it when given a new one", async function () {
            const challenge = await users.signIn("bob");
            assert.ok("challengeName" in challenge && challenge.challengeName === "NEW_PASSWORD_REQUIRED");
            const tokens = await users.signIn("bob", { newPassword: "Chosen-Passw0rd!42" });
            assert.equal(tokens.claims["cognito:username"], users.user("bob").cognitoUsername);
            assert.equal(users.user("bob").passwordIsTemporary, false);
            const later = await users.signIn("bob", { fresh: true });
            assert.ok("idToken" in later && later.idToken, "later sign-ins use the new password");
        });
    });
}
