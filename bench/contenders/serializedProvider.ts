/**
 * The recorded provider's size: Pulumi stores it in every dynamic resource's state (`__provider`, in
 * inputs and outputs), so for N `CognitoUser`s it is paid 2N times. Both resources record a fixed text
 * (provider/shared/program/dynamicResource.ts) rather than the closure serializer's output; this reads that text
 * from the built package (dist/), as the resources record it.
 */
import * as path from "path";
import { repoRoot } from "../../scripts/pulumiEnv";

/** Recorded provider bytes per resource type; undefined for a provider not built (yet). */
export interface SerializedProviderSizes {
    cognitoUser?: number;
    cognitoUserBatch?: number;
}

/** The bytes of a built module's exported provider text, if it has one. */
function providerTextBytes(module: string, exportName: string): number | undefined {
    try {
        const text = (require(path.join(repoRoot, "dist/provider", module)) as Record<string, unknown>)[exportName];
        return typeof text === "string" ? Buffer.byteLength(text, "utf8") : undefined;
    } catch {
        return undefined; // not built yet
    }
}

/** Both providers' sizes, from the built package (dist/). */
export async function measureSerializedProviders(): Promise<SerializedProviderSizes> {
    return {
        cognitoUser: providerTextBytes("user/provider", "cognitoUserProviderText"),
        cognitoUserBatch: providerTextBytes("batch/provider", "cognitoUserBatchProviderText"),
    };
}
