/**
 * mocha's global fixtures (loaded with `--require`): `mochaGlobalSetup` creates the run's users once in
 * the main process, before `--parallel` starts its workers, and shares them (`share()` sets
 * COGNITO_FIXTURE_SHARED, which the workers inherit); `mochaGlobalTeardown` deletes them once, after
 * every worker finished (or crashed).
 */
import { declareRunUsers, reportSetUp } from "../users";

let users: ReturnType<typeof declareRunUsers> | undefined;

export async function mochaGlobalSetup(): Promise<void> {
    users = declareRunUsers();
    await users.up();
    users.share();
    reportSetUp("mocha", users.runDir, users.pool);
}

export async function mochaGlobalTeardown(): Promise<void> {
    await users?.down();
}
