// Vitest recipe: one fixture per test run (globalSetup with provide / inject), shared by every worker.
import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        root: import.meta.dirname,
        include: ["*.test.ts"],
        globalSetup: ["./globalSetup.ts"],
        pool: "forks",
        maxWorkers: 2,
    },
});
