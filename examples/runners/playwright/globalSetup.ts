/**
 * Playwright's global set-up: creates the run's users once, before any worker starts, and shares them
 * (`share()` sets COGNITO_FIXTURE_SHARED, which the workers inherit). The function it returns is the
 * global teardown: it deletes the users once, after every worker finished (or crashed).
 */
import { declareRunUsers, reportSetUp } from "../users";

export default async function globalSetup(): Promise<() => Promise<void>> {
    const users = declareRunUsers();
    await users.up();
    users.share();
    reportSetUp("playwright", users.runDir, users.pool);
    return () => users.down();
}
