// Jest recipe: one fixture per test run (globalSetup / globalTeardown), shared by every worker.
/** @type {import("jest").Config} */
module.exports = {
    rootDir: __dirname,
    testMatch: ["<rootDir>/*.test.ts"],
    testEnvironment: "node",
    // TypeScript through ts-jest, file by file without type checking (isolatedModules: the compiler checks the project on its own).
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: { isolatedModules: true, esModuleInterop: true }, diagnostics: false }] },
    globalSetup: "<rootDir>/globalSetup.ts",
    globalTeardown: "<rootDir>/globalTeardown.ts",
    maxWorkers: 2,
};
