/**
 * A worker-scoped Playwright fixture: each worker attaches once to the run's users and gets its own user's
 * key; tests take `users` and `ownUserKey` like `page`. (No browser is needed to sign in; a UI test would
 * type `users.user(key).password` into its login page, or put the tokens in its storage state.)
 */
import { test as base } from "@playwright/test";
import { attachCognitoFixture, CognitoFixture } from "pulumi-cognito-user/testing";
import { RunUserKey, workerUserKey } from "../users";

export const test = base.extend<object, { users: CognitoFixture<RunUserKey>; ownUserKey: RunUserKey }>({
    users: [
        async ({}, use) => {
            const users = attachCognitoFixture<RunUserKey>();
            await use(users);
            await users.down(); // closes this worker's connections; the users stay for the others
        },
        { scope: "worker" },
    ],
    ownUserKey: [async ({}, use, workerInfo) => use(workerUserKey(workerInfo.parallelIndex)), { scope: "worker" }],
});
export { expect } from "@playwright/test";
