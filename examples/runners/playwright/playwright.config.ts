// Playwright recipe: one fixture per test run (globalSetup, which returns the teardown), shared by every worker.
import { defineConfig } from "@playwright/test";

export default defineConfig({
    testDir: __dirname,
    testMatch: "*.spec.ts",
    globalSetup: require.resolve("./globalSetup"),
    workers: 2,
    fullyParallel: true,
    reporter: "list",
});
