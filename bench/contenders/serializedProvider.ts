/**
 * The serialized provider's size: Pulumi stores it in every dynamic resource's state (`__provider`),
 * so for N `CognitoUser`s it is paid N times. Serialized exactly as `pulumi.dynamic.Resource` does:
 * `serializeFunction(() => provider, { allowSecrets: true })` from @pulumi/pulumi's closure serializer.
 */
import * as path from "path";
import { repoRoot } from "../../scripts/pulumiEnv";

/** Serialized bytes per provider; undefined for a provider not built (yet). */
export interface SerializedProviderSizes {
    cognitoUser?: number;
    cognitoUserBatch?: number;
}

/** Serializes one provider object as the dynamic resource would. */
async function serializedBytes(provider: unknown): Promise<number> {
    const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
        serializeFunction(func: () => unknown, args: { allowSecrets: boolean }): Promise<{ text: string }>;
    };
    const serialized = await closure.serializeFunction(() => provider, { allowSecrets: true });
    return Buffer.byteLength(serialized.text, "utf8");
}

/** Both providers' sizes, from the built package (dist/). */
export async function measureSerializedProviders(): Promise<SerializedProviderSizes> {
    const sizes: SerializedProviderSizes = {};
    const { cognitoUserProvider } = require(path.join(repoRoot, "dist/provider/user/provider")) as { cognitoUserProvider: unknown };
    sizes.cognitoUser = await serializedBytes(cognitoUserProvider);
    try {
        const { cognitoUserBatchProvider } = require(path.join(repoRoot, "dist/provider/batch/provider")) as {
            cognitoUserBatchProvider?: unknown;
        };
        if (cognitoUserBatchProvider) sizes.cognitoUserBatch = await serializedBytes(cognitoUserBatchProvider);
    } catch {
        // not built yet
    }
    return sizes;
}
