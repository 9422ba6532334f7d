/** A Jest test file: this worker attaches to the run's users and signs in by key, creating nothing. */
import { afterAll, expect, test } from "@jest/globals";
import { attachCognitoFixture } from "pulumi-cognito-user/testing";
import { reportSignIn, RunUserKey, workerUserKey } from "../users";

const users = attachCognitoFixture<RunUserKey>();
afterAll(() => users.down()); // closes this worker's connections; the users stay for the others

test("reports: the shared admin signs in, in group admins", async () => {
    const { claims } = await users.signIn("admin");
    expect(claims["cognito:groups"]).toEqual(["admins"]);
    reportSignIn("jest", "admin", claims);
});

test("reports: this worker's own user signs in", async () => {
    const key = workerUserKey(Number(process.env.JEST_WORKER_ID ?? "1") - 1); // JEST_WORKER_ID counts from 1
    const { claims } = await users.signIn(key);
    expect(claims.sub).toBe(users.user(key).sub);
    reportSignIn("jest", key, claims);
});
