/**
 * What a batch's refresh costs one by one and in pages: N users (half in a group) created on moto (in
 * memory, pages of 60 like real Cognito), then refreshed each way at AWS's default quota rates (paced as
 * against a real account), counting the calls that reached Cognito. Prints calls and wall time per way.
 *
 *   npx ts-node --transpile-only scripts/benchRefreshWays.ts [users=2000] [ways=per-user,pages]
 */
import { performance } from "node:perf_hooks";
import * as handlers from "../provider/batch/handlers";
import { READ_WAY_VARIABLE } from "../provider/batch/refresh";
import { BatchInputs, BatchOutputs } from "../provider/batch/types";
import { UNPACED_RATES } from "../test/support/cognito";
import { createMotoPool, startMoto } from "../test/support/moto";
import { startFaultProxy } from "../test/support/faultProxy";

const users = Number(process.argv[2] ?? 2000);
const ways = (process.argv[3] ?? "per-user,pages").split(",") as Array<"per-user" | "pages" | "auto">;
const region = "us-east-1";

async function main(): Promise<void> {
    handlers.setProgressSink(() => undefined);
    const moto = await startMoto();
    const proxy = await startFaultProxy({ upstream: moto.endpoint });
    try {
        const pool = await createMotoPool(moto, region, { groups: ["viewers", "editors"] });
        const declaredUsers = Array.from({ length: users }, (_, i) => ({
            username: `user-${i}`,
            attributes: { email: `user-${i}@example.com` },
            ...(i % 2 === 0 ? { groups: ["viewers"] } : {}),
        }));
        const raw = {
            userPoolId: pool.id,
            region,
            endpoint: proxy.endpoint,
            declaredUsers,
            rates: UNPACED_RATES,
            concurrency: 20,
            batchName: "bench",
        };
        const checked = await handlers.check({}, raw as never);
        const { id, outs } = await handlers.create(checked.inputs as BatchInputs);
        // Refresh at AWS's default rates: the state records no rates, so every category is paced.
        const recorded = { ...(outs as BatchOutputs), rates: undefined };
        for (const way of ways) {
            if (way === "auto") delete process.env[READ_WAY_VARIABLE];
            else process.env[READ_WAY_VARIABLE] = way;
            proxy.resetCounts();
            const start = performance.now();
            const read = (await handlers.read(id, recorded)).props as BatchOutputs;
            const seconds = (performance.now() - start) / 1000;
            const calls = proxy.calls();
            const total = Object.values(calls).reduce((a, b) => a + b, 0);
            console.log(
                `${users} users, ${way}: ${total} calls ${JSON.stringify(calls)}, ${seconds.toFixed(1)} s, ${read.count} users read`,
            );
        }
    } finally {
        await proxy.stop();
        await moto.stop();
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
