/**
 * The batch's pacing per quota category (`createPacedClient`): every request through the client waits
 * for its category's limiter, starts are evenly spaced at the category's rate, categories do not wait
 * for each other, and rate 0 is not paced. No network: a middleware placed after the pacing answers
 * every request itself and records when it started.
 */
import { strict as assert } from "assert";
import { AdminCreateUserCommand, AdminGetUserCommand, DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createPacedClient } from "../../provider/batch/executor";
import { QuotaRates, QUOTA_CATEGORIES } from "../../provider/batch/quotas";

/**
 * A paced client whose requests never leave the process: `arrivals` records when each request reached
 * the pacing, `starts` when it passed it (ms, by command name).
 */
function fakePacedClient(rates: QuotaRates, endpoint: string) {
    const unpaced = Object.fromEntries(QUOTA_CATEGORIES.map((c) => [c, 0]));
    const client = createPacedClient({
        userPoolId: "us-east-1_pacing",
        region: "us-east-1",
        endpoint, // limiters are shared per Region, endpoint, category and rate: one endpoint per test
        maxAttempts: 1,
        concurrency: 10,
        rates: { ...unpaced, ...rates },
        adoptExisting: false,
        batchName: "pacing",
    });
    const arrivals = new Map<string, number[]>();
    const starts = new Map<string, number[]>();
    const record = (into: Map<string, number[]>, name: string) => into.set(name, [...(into.get(name) ?? []), performance.now()]);
    const arrive = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
        record(arrivals, context.commandName ?? "");
        return next(args);
    };
    const answer = (_next: unknown, context: { commandName?: string }) => async () => {
        record(starts, context.commandName ?? "");
        return { output: { $metadata: {} }, response: {} };
    };
    client.middlewareStack.addRelativeTo(arrive as never, {
        name: "arriveLocally",
        relation: "before",
        toMiddleware: "cognitoQuotaPacing",
    });
    client.middlewareStack.addRelativeTo(answer as never, { name: "answerLocally", relation: "after", toMiddleware: "cognitoQuotaPacing" });
    return { client, arrivals, starts };
}

/** How late a recorded start may be on a busy machine, in ms. */
const SLACK_MS = 15;

describe("batch pacing per quota category", () => {
    // Requests are signed before they reach the local answer: any credentials do.
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    before(() => {
        process.env.AWS_ACCESS_KEY_ID = "local";
        process.env.AWS_SECRET_ACCESS_KEY = "local";
    });
    after(() => {
        for (const [name, value] of [
            ["AWS_ACCESS_KEY_ID", saved.id],
            ["AWS_SECRET_ACCESS_KEY", saved.secret],
        ] as const) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    });

    it("spaces the starts of one category evenly at its rate, the first at once", async () => {
        const { client, arrivals, starts } = fakePacedClient({ userCreation: 20 }, "http://127.0.0.1:1");
        await Promise.all(
            Array.from({ length: 9 }, (_, i) =>
                client.send(new AdminCreateUserCommand({ UserPoolId: "us-east-1_pacing", Username: `u${i}` })),
            ),
        );
        const times = starts.get("AdminCreateUserCommand") ?? [];
        assert.equal(times.length, 9);
        const waited = times[0] - (arrivals.get("AdminCreateUserCommand") ?? [])[0];
        assert.ok(waited < 40, `the first request starts at once (${waited.toFixed(1)} ms)`);
        // 20/s: one start every 50 ms, so starts i and j are at least (j - i) * 50 ms apart. Timers fire
        // late, never early; what a start records can lag its release on a busy machine (the process is
        // descheduled, another test's work runs first), hence a slack that does not add up.
        const spaced = times.slice(1).map((t, k) => (t - times[k]).toFixed(1));
        for (let i = 0; i < times.length; i++) {
            for (let j = i + 1; j < times.length; j++) {
                assert.ok(
                    times[j] - times[i] >= (j - i) * 50 - SLACK_MS,
                    `starts ${i} and ${j} are ${(j - i) * 50} ms apart or more: ${spaced}`,
                );
            }
        }
    });

    it("paces each category on its own, and not a category whose rate is 0", async () => {
        const { client, arrivals, starts } = fakePacedClient({ userCreation: 10, userRead: 0 }, "http://127.0.0.1:2");
        await Promise.all([
            ...Array.from({ length: 3 }, () => client.send(new AdminCreateUserCommand({ UserPoolId: "us-east-1_pacing", Username: "a" }))),
            ...Array.from({ length: 5 }, () => client.send(new AdminGetUserCommand({ UserPoolId: "us-east-1_pacing", Username: "a" }))),
            client.send(new DescribeUserPoolCommand({ UserPoolId: "us-east-1_pacing" })),
        ]);
        const creates = starts.get("AdminCreateUserCommand") ?? [];
        assert.ok(creates[2] - creates[0] >= 200 - SLACK_MS, "10/s: the third create starts 200 ms after the first");
        const reads = starts.get("AdminGetUserCommand") ?? [];
        assert.equal(reads.length, 5);
        const lastArrival = (name: string) => Math.max(...(arrivals.get(name) ?? []));
        assert.ok(reads[4] - lastArrival("AdminGetUserCommand") < 90, "reads (rate 0) are not paced, nor held up by the creates");
        const described = (starts.get("DescribeUserPoolCommand") ?? [])[0];
        assert.ok(described - lastArrival("DescribeUserPoolCommand") < 90, "another category does not wait for userCreation");
        assert.ok(described < creates[2], "DescribeUserPool went ahead of the paced creates");
    });
});
