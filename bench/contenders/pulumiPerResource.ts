/**
 * Contender "per-resource": `pulumi up` of a program declaring one `CognitoUser` per user, each with
 * a generated password (so, per user, DescribeUserPool + AdminCreateUser + AdminSetUserPassword), then
 * the second `up` and the `destroy` (./pulumiLifecycle.ts).
 */
import { BenchContext, BenchRow } from "../harness";
import { runPulumiLifecycle } from "./pulumiLifecycle";

/** The program: N `CognitoUser` resources. */
export const PER_RESOURCE_PROGRAM = `import * as fs from "fs";
import * as path from "path";
import { CognitoUser } from "pulumi-cognito-user";

const spec = JSON.parse(fs.readFileSync(path.join(__dirname, "bench-spec.json"), "utf8"));
for (const user of spec.users) {
    new CognitoUser(user.username, {
        userPoolId: spec.userPoolId,
        username: user.username,
        attributes: user.attributes,
        generatePassword: true,
        endpoint: spec.endpoint,
        region: spec.region,
    });
}
export const count: number = spec.users.length;
`;

/** Runs the per-resource life cycle at N. */
export function runPerResource(ctx: BenchContext, n: number, env?: NodeJS.ProcessEnv): Promise<BenchRow[]> {
    return runPulumiLifecycle(ctx, n, {
        id: "per-resource",
        label: "pulumi, N × CognitoUser",
        program: PER_RESOURCE_PROGRAM,
        fullLifecycle: true,
        createsUsers: true,
        env,
        upNote: "per user: DescribeUserPool (generatePassword reads the policy) + AdminCreateUser + AdminSetUserPassword",
    });
}
