/** A Playwright test file: API-level tests signing the run's users in by key, in whichever worker runs them. */
import { expect, test } from "./fixtures";
import { reportSignIn } from "../users";

test("reports: the shared admin signs in, in group admins", async ({ users }) => {
    const { claims } = await users.signIn("admin");
    expect(claims["cognito:groups"]).toEqual(["admins"]);
    reportSignIn("playwright", "admin", claims);
});

test("reports: this worker's own user signs in", async ({ users, ownUserKey }) => {
    const { claims } = await users.signIn(ownUserKey);
    expect(claims.sub).toBe(users.user(ownUserKey).sub);
    reportSignIn("playwright", ownUserKey, claims);
});
