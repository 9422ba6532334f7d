/**
 * The floor, as a plain script someone would write: the AWS SDK only, N users created with
 * `AdminCreateUser` (SUPPRESS) then `AdminSetUserPassword` (permanent) — the same two calls the
 * resources make per user — at most `concurrency` users in flight. It imports nothing of this
 * package, so its memory is the SDK's. floor.ts transpiles it and runs it with plain `node`; it reads
 * its parameters from the JSON file named by argv[2] and prints one JSON line: the time of the work
 * alone, and the outcome.
 */
import {
    AdminCreateUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { randomBytes } from "crypto";
import { readFileSync } from "fs";

/** The worker's parameters (the file argv[2] names, JSON). */
export interface FloorSpec {
    endpoint: string;
    region: string;
    userPoolId: string;
    concurrency: number;
    users: Array<{ username: string; attributes: Record<string, string> }>;
}

/** The worker's one line of output. */
export interface FloorOutcome {
    /** Seconds from the first call to the last answer. */
    seconds: number;
    created: number;
    failed: number;
    /** Up to three error names and messages (the SDK's; never a password). */
    errors: string[];
}

/** A password meeting Cognito's default policy (8+ characters, upper, lower, digit, symbol). */
function newPassword(): string {
    return `${randomBytes(12).toString("base64url")}aA1!`;
}

async function main(): Promise<void> {
    const spec = JSON.parse(readFileSync(process.argv[2], "utf8")) as FloorSpec;
    const client = new CognitoIdentityProviderClient({
        endpoint: spec.endpoint,
        region: spec.region,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const outcome: FloorOutcome = { seconds: 0, created: 0, failed: 0, errors: [] };
    let next = 0;
    const worker = async () => {
        while (next < spec.users.length) {
            const user = spec.users[next++];
            try {
                await client.send(
                    new AdminCreateUserCommand({
                        UserPoolId: spec.userPoolId,
                        Username: user.username,
                        MessageAction: "SUPPRESS",
                        UserAttributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
                    }),
                );
                await client.send(
                    new AdminSetUserPasswordCommand({
                        UserPoolId: spec.userPoolId,
                        Username: user.username,
                        Password: newPassword(),
                        Permanent: true,
                    }),
                );
                outcome.created++;
            } catch (error) {
                outcome.failed++;
                if (outcome.errors.length < 3) outcome.errors.push(`${(error as Error).name}: ${(error as Error).message}`);
            }
        }
    };
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: Math.max(1, spec.concurrency) }, worker));
    outcome.seconds = Number(process.hrtime.bigint() - start) / 1e9;
    client.destroy();
    process.stdout.write(JSON.stringify(outcome) + "\n");
}

main().catch((error: unknown) => {
    process.stderr.write(`floor worker failed: ${(error as Error).message}\n`);
    process.exit(1);
});
