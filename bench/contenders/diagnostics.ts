/**
 * Diagnostic contenders (`--diagnose`), to say where a per-resource `up` spends its time:
 * - "noop": N dynamic resources whose provider does nothing (no Cognito call): the engine's and the
 *   dynamic-provider host's own cost per resource (check, diff and create RPCs, state, secrets aside);
 * - "per-resource, no checkpoints": the per-resource `up` with PULUMI_SKIP_CHECKPOINTS=true, which makes
 *   the engine write the state once at the end instead of after every step: the difference is what
 *   rewriting the whole state file per step costs the file backend.
 */
import { BenchContext, BenchRow } from "../harness";
import { runPulumiLifecycle } from "./pulumiLifecycle";
import { PER_RESOURCE_PROGRAM } from "./pulumiPerResource";

/** N dynamic resources with the CognitoUser's inputs and a provider that does nothing. */
export const NOOP_PROGRAM = `import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const provider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: Record<string, unknown>) {
        return { id: String(inputs.username), outs: { ...inputs, status: "CONFIRMED" } };
    },
    async delete() {},
};

class NoopUser extends pulumi.dynamic.Resource {
    constructor(name: string, props: Record<string, unknown>) {
        super(provider, name, props, {}, "bench", "NoopUser");
    }
}

const spec = JSON.parse(fs.readFileSync(path.join(__dirname, "bench-spec.json"), "utf8"));
for (const user of spec.users) {
    new NoopUser(user.username, { userPoolId: spec.userPoolId, username: user.username, attributes: user.attributes, endpoint: spec.endpoint, region: spec.region });
}
export const count: number = spec.users.length;
`;

/** Runs both diagnostics at N. */
export async function runDiagnostics(ctx: BenchContext, n: number): Promise<BenchRow[]> {
    const noop = await runPulumiLifecycle(ctx, n, {
        id: "diag-noop",
        label: "diagnostic: N × no-op dynamic resource",
        program: NOOP_PROGRAM,
        fullLifecycle: true,
        createsUsers: false,
        upNote: "no Cognito call: the engine's and the dynamic-provider host's own per-resource cost",
    });
    const skipCheckpoints = await runPulumiLifecycle(ctx, n, {
        id: "diag-per-resource-nockpt",
        label: "diagnostic: N × CognitoUser, PULUMI_SKIP_CHECKPOINTS",
        program: PER_RESOURCE_PROGRAM,
        fullLifecycle: false,
        createsUsers: true,
        env: { PULUMI_SKIP_CHECKPOINTS: "true" },
        upNote: "state written once at the end instead of after every step",
    });
    return [...noop, ...skipCheckpoints];
}
