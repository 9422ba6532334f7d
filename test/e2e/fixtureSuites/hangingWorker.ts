/**
 * A mocha test file that never ends, run beside the mocha recipe by test/e2e/runnerRecipes.e2e.test.ts
 * so the whole runner can be killed while the shared users are up. Not a `*.test.ts`: `npm test` never
 * runs it directly.
 */
describe("a worker that never finishes", function () {
    it("waits until the runner is killed", async function () {
        await new Promise(() => undefined);
    });
});
