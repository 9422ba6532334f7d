/**
 * The provider every CognitoUser records as `__provider`: the text `exports.handler = () =>
 * require("pulumi-cognito-user/dynamic")`, so the module ./handlers.ts is itself the provider, resolved
 * by Pulumi's dynamic-provider host from the project's node_modules (see ../shared/program/dynamicResource.ts).
 * 0.1.0 recorded a serialized stub of six methods forwarding to that module's `check`, `diff`, `create`,
 * `read`, `update` and `remove` (1,853 bytes); a stack keeps it in the outputs of every user an upgrade
 * leaves unchanged, and runs it for their refresh and destroy.
 */
import { providerText } from "../shared/program/dynamicResource";
import { ProviderModule } from "../shared/handlers";
import type { UserInputs, UserOutputs } from "../shared/types";

/** The `__provider` text of every CognitoUser (64 bytes). */
export const cognitoUserProviderText = providerText("pulumi-cognito-user/dynamic");

/** Compiles only while ./handlers.ts is a whole provider as the host calls it, and still serves 0.1.0's stub. */
export type CognitoUserProviderModule = ProviderModule<typeof import("./handlers"), UserInputs, UserOutputs>;
