/**
 * Where the time of a no-change `pulumi up` of a CognitoUserBatch goes in the provider: `check` then
 * `diff` of N declared users against the state a create of them recorded, the pure handlers only (no
 * Cognito, no engine). Prints the first round (cold: one `pulumi up` calls each once, in a new process) and
 * the median of several rounds, in CPU time of this process (steadier than wall time on a busy machine).
 *
 *   npx ts-node scripts/benchCheckDiff.ts [users=10000] [rounds=7]
 */
import { randomUUID } from "node:crypto";
import { check, diff } from "../provider/batch/handlers";
import { BatchInputs, BatchOutputs, BatchUserRecord } from "../provider/batch/types";

const users = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 7);

/** The program's raw inputs: users as a list, a third with a declared password split into `userPasswords`. */
function rawInputs(): Record<string, unknown> {
    const declaredUsers = Array.from({ length: users }, (_, i) => ({
        username: `user-${i}`,
        attributes: { email: `user-${i}@example.com`, name: `User ${i}`, tenant: "acme" },
        ...(i % 2 === 0 ? { groups: ["viewers"] } : {}),
        ...(i % 3 === 1 ? { generatePassword: true } : {}),
    }));
    const userPasswords = Object.fromEntries(
        Array.from({ length: users }, (_, i) => i)
            .filter((i) => i % 3 === 0)
            .map((i) => [`user-${i}`, { password: `Pw1!-secret-${i}-aZ9` }]),
    );
    return {
        userPoolId: "us-east-1_AbCdEf123",
        region: "us-east-1",
        declaredUsers,
        userPasswords,
        batchName: "seed",
        __provider: "exports.handler = () => ({})",
    };
}

/** The state a create of the checked inputs recorded. */
function recordedOutputs(inputs: BatchInputs): BatchOutputs {
    const records: Record<string, BatchUserRecord> = {};
    const passwords: Record<string, string> = {};
    for (const [username, user] of Object.entries(inputs.declaredUsers)) {
        records[username] = {
            cognitoUsername: username,
            sub: randomUUID(),
            status: "CONFIRMED",
            enabled: user.enabled !== false,
            groups: user.groups ?? [],
            attributes: user.attributes,
            ...(user.generatePassword ? { generatePassword: true as const } : {}),
        };
        const declared = inputs.userPasswords[username]?.password;
        if (declared !== undefined || user.generatePassword) passwords[username] = declared ?? `generated-${username}`;
    }
    const { declaredUsers: _users, userPasswords: _passwords, ...settings } = inputs;
    return { ...settings, users: records, passwords, temporaryPasswords: {}, count: users };
}

/** CPU time (user and system) of this process since `start`, in ms. */
function cpuMs(start: NodeJS.CpuUsage): number {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
    const raw = rawInputs();
    const checkMs: number[] = [];
    const diffMs: number[] = [];
    let inputs: BatchInputs | undefined;
    let olds: BatchOutputs | undefined;
    for (let round = 0; round < rounds; round++) {
        let start = process.cpuUsage();
        const checked = await check({}, raw as never);
        checkMs.push(cpuMs(start));
        if (checked.failures?.length) throw new Error(JSON.stringify(checked.failures.slice(0, 3)));
        inputs = { ...(checked.inputs as BatchInputs), __provider: raw.__provider } as BatchInputs;
        olds ??= recordedOutputs(inputs);
        start = process.cpuUsage();
        const result = await diff("seed-id", olds, inputs);
        diffMs.push(cpuMs(start));
        if (result.changes) throw new Error("expected no change");
    }
    const [c0, d0] = [checkMs[0], diffMs[0]];
    console.log(`${users} users, first round: check ${c0.toFixed(1)} ms, diff ${d0.toFixed(1)} ms, check+diff ${(c0 + d0).toFixed(1)} ms`);
    const [c, d] = [median(checkMs), median(diffMs)];
    console.log(
        `${users} users, median of ${rounds}: check ${c.toFixed(1)} ms, diff ${d.toFixed(1)} ms, check+diff ${(c + d).toFixed(1)} ms`,
    );
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
