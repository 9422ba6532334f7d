/**
 * Jest's global set-up: creates the run's users once, before any worker starts, and shares them. The
 * handle goes to the workers through the environment (`share()` sets COGNITO_FIXTURE_SHARED, which the
 * workers Jest starts afterwards inherit); the fixture itself stays on `globalThis` for the teardown,
 * which Jest runs in this same process.
 */
import { declareRunUsers, reportSetUp } from "../users";

export default async function globalSetup(): Promise<void> {
    const users = declareRunUsers();
    await users.up();
    users.share();
    (globalThis as { cognitoUsers?: typeof users }).cognitoUsers = users;
    reportSetUp("jest", users.runDir, users.pool);
}
