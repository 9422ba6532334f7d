/**
 * The provider every CognitoUserBatch records as `__provider`: the text `exports.handler = () =>
 * require("pulumi-cognito-user/dynamic-batch")`, so the module ./handlers.ts is itself the provider,
 * resolved by Pulumi's dynamic-provider host from the project's node_modules (see
 * ../shared/program/dynamicResource.ts). 0.1.0 recorded a serialized stub of six forwarding methods; a stack
 * keeps it in the outputs of a batch an upgrade leaves unchanged, and runs it for its refresh and destroy.
 */
import { providerText } from "../shared/program/dynamicResource";
import { ProviderModule } from "../shared/handlers";
import type { BatchWireInputs, BatchWireOutputs } from "./wire";

/** The `__provider` text of every CognitoUserBatch (70 bytes). */
export const cognitoUserBatchProviderText = providerText("pulumi-cognito-user/dynamic-batch");

/** Compiles only while ./handlers.ts is a whole provider as the host calls it, and still serves 0.1.0's stub. */
export type CognitoUserBatchProviderModule = ProviderModule<typeof import("./handlers"), BatchWireInputs, BatchWireOutputs>;
