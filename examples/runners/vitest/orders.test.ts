/** A Vitest test file: this worker attaches to the run's users (handle from `inject`) and signs in by key. */
import { afterAll, expect, inject, test } from "vitest";
import { attachCognitoFixture } from "pulumi-cognito-user/testing";
import { reportSignIn, RunUserKey, workerUserKey } from "../users";

const users = attachCognitoFixture<RunUserKey>(inject("cognitoUsers"));
afterAll(() => users.down()); // closes this worker's connections; the users stay for the others

test("orders: the shared admin signs in, in group admins", async () => {
    const { claims } = await users.signIn("admin");
    expect(claims["cognito:groups"]).toEqual(["admins"]);
    reportSignIn("vitest", "admin", claims);
});

test("orders: this worker's own user signs in", async () => {
    const key = workerUserKey(Number(process.env.VITEST_POOL_ID ?? "1") - 1); // VITEST_POOL_ID counts from 1
    const { claims } = await users.signIn(key);
    expect(claims.sub).toBe(users.user(key).sub);
    reportSignIn("vitest", key, claims);
});
