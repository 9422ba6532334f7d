/**
 * A mocha test file whose worker dies mid-run (SIGKILL, as an out-of-memory kill would), run beside the
 * mocha recipe by test/e2e/runnerRecipes.e2e.test.ts: the global teardown must still delete the users.
 * Not a `*.test.ts`: `npm test` never runs it directly.
 */
describe("a worker that dies", function () {
    it("is killed mid-test", async function () {
        await new Promise((resolve) => setTimeout(resolve, 300)); // the other worker signs in meanwhile
        process.kill(process.pid, "SIGKILL");
    });
});
