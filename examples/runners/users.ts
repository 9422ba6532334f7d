/**
 * The users of a whole test run, declared once for the four runner recipes (Jest, Vitest, mocha
 * `--parallel`, Playwright): the runner's global set-up creates them (`up()`, `share()`), every worker
 * attaches (`attachCognitoFixture()`) and signs in by key, the global teardown deletes them (`down()`).
 * `admin` is shared by every worker; `worker0`, `worker1` are one per worker, for tests that change their
 * user (a new password, MFA) and must not meet another worker's change.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { cognitoFixture, FixturePool } from "pulumi-cognito-user/testing";

/** Workers each recipe runs (its config says the same). */
export const WORKERS = 2;

/** The user keys of the run. */
export type RunUserKey = "admin" | "worker0" | "worker1";

/** The fixture of the whole run: used by the global set-up and teardown only. */
export function declareRunUsers() {
    return cognitoFixture({
        name: "runner-recipe",
        users: {
            // Password generated, unless this repository's test of the recipes declares one to look for in the output.
            admin: { username: "admin@example.com", groups: ["admins"], password: process.env.RECIPE_ADMIN_PASSWORD },
            worker0: { username: "worker0@example.com" },
            worker1: { username: "worker1@example.com" },
        },
        // The embedded Cognito (cognito-local) unless this repository's test gives a pool of its own to count users in.
        pool: process.env.RECIPE_POOL ? (JSON.parse(process.env.RECIPE_POOL) as FixturePool) : undefined,
    });
}

/** The key of this worker's own user, from the runner's 0-based worker index. */
export function workerUserKey(index: number): RunUserKey {
    return `worker${index % WORKERS}` as RunUserKey;
}

/**
 * For this repository's test of the recipes (test/e2e/runnerRecipes.e2e.test.ts) only: records which
 * process signed in whom, when `RECIPE_REPORT_DIR` is set. Never a password or a token.
 */
export function reportSignIn(runner: string, key: RunUserKey, claims: Record<string, unknown>): void {
    const dir = process.env.RECIPE_REPORT_DIR;
    if (!dir) return;
    const report = { runner, pid: process.pid, key, sub: claims.sub, groups: claims["cognito:groups"] ?? [] };
    fs.writeFileSync(path.join(dir, `signin-${process.pid}-${key}-${crypto.randomBytes(3).toString("hex")}.json`), JSON.stringify(report));
}

/** For this repository's test of the recipes only: records the shared run's set-up (its folder, its pool). */
export function reportSetUp(runner: string, runDir: string | undefined, pool: { userPoolId: string; endpoint?: string }): void {
    const dir = process.env.RECIPE_REPORT_DIR;
    if (!dir) return;
    const report = { runner, pid: process.pid, runDir, userPoolId: pool.userPoolId, endpoint: pool.endpoint };
    fs.writeFileSync(path.join(dir, `setup-${process.pid}-${crypto.randomBytes(3).toString("hex")}.json`), JSON.stringify(report));
}
