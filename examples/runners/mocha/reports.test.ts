/** A mocha test file, run in a `--parallel` worker: it attaches to the run's users and signs in by key. */
import { strict as assert } from "assert";
import { attachCognitoFixture, CognitoFixture } from "pulumi-cognito-user/testing";
import { reportSignIn, RunUserKey, workerUserKey } from "../users";

describe("reports", function () {
    let users: CognitoFixture<RunUserKey>;
    // In before(), not at load: without --parallel, mocha loads the files before its global set-up runs.
    before(() => (users = attachCognitoFixture<RunUserKey>()));
    after(() => users?.down()); // closes this worker's connections; the users stay for the others

    it("the shared admin signs in, in group admins", async function () {
        const { claims } = await users.signIn("admin");
        assert.deepEqual(claims["cognito:groups"], ["admins"]);
        reportSignIn("mocha", "admin", claims);
    });

    it("this worker's own user signs in", async function () {
        const key = workerUserKey(Number(process.env.MOCHA_WORKER_ID ?? "0")); // MOCHA_WORKER_ID counts from 0
        const { claims } = await users.signIn(key);
        assert.equal(claims.sub, users.user(key).sub);
        reportSignIn("mocha", key, claims);
    });
});
