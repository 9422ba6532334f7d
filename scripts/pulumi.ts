/**
 * `npm run pulumi -- <args>`: runs the repo's Pulumi CLI with the project environment from
 * scripts/pulumiEnv.ts (local file backend, default passphrase, no Pulumi Cloud), building or
 * linking the CLI first if needed. Runs in the directory npm was invoked from, so
 * `cd examples/x && npm run pulumi -- up` targets that project.
 */
import { spawn } from "node:child_process";
import { ensurePulumi } from "./pulumiEnv";

async function main(): Promise<void> {
    const { pulumiPath, env } = await ensurePulumi();
    // npm runs scripts from the package root; INIT_CWD is where the developer actually was.
    const cwd = process.env.INIT_CWD ?? process.cwd();
    const child = spawn(pulumiPath, process.argv.slice(2), { cwd, env, stdio: "inherit" });
    // Ctrl-C reaches the CLI directly (same process group); don't let it kill us before the CLI exits.
    process.on("SIGINT", () => undefined);
    child.on("error", (err) => {
        console.error(`failed to start ${pulumiPath}: ${err.message}`);
        process.exit(1);
    });
    child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});
