/**
 * Vitest's global set-up: creates the run's users once, before any worker starts, hands the workers the
 * handle with `provide` (a path, no secret: the users wait in a file only this OS user can read), and
 * returns the teardown, which deletes them once after every worker finished (or crashed).
 */
import type { TestProject } from "vitest/node";
import type { SharedFixtureHandle } from "pulumi-cognito-user/testing";
import { declareRunUsers, reportSetUp } from "../users";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
    const users = declareRunUsers();
    await users.up();
    project.provide("cognitoUsers", users.share());
    reportSetUp("vitest", users.runDir, users.pool);
    return () => users.down();
}

declare module "vitest" {
    export interface ProvidedContext {
        /** The run's users, as `share()` handed them out. */
        cognitoUsers: SharedFixtureHandle;
    }
}
