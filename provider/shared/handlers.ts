/**
 * What the handlers of both resources share: the shapes Pulumi's dynamic-provider host hands them and
 * takes back (`dynamic.ResourceProvider<Inputs, Outputs>`), `check`'s answer, and the serialized
 * provider the engine must find again in whatever it records.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { InputFailure, RawInputs } from "./types";
import { withoutSecretValues } from "./validate";

export type { RawInputs } from "./types";

/** The property in which Pulumi keeps the serialized provider, in inputs and outputs; recorded state must keep it, or refresh breaks. */
export const PROVIDER_KEY = "__provider";

/** Properties as the host hands them over: with the serialized provider (absent in tests that call a handler directly). */
export type WithProvider<T> = T & { [PROVIDER_KEY]?: string };

/** A resource's handlers, as the host calls them: `delete` is the module's `remove`. */
export type Handlers<Inputs, Outputs> = dynamic.ResourceProvider<WithProvider<Inputs>, Outputs>;

/** What the host calls on a provider. */
type ProviderMethod = "check" | "diff" | "create" | "read" | "update" | "delete";

/**
 * `Module` when a handlers module is itself a whole provider: every method the host calls, `remove` as
 * well (0.1.0's recorded stub calls it for `delete`), and no `configure` (the host would call it).
 * A compile error otherwise.
 */
export type ProviderModule<
    Module extends Required<Pick<Handlers<Inputs, Outputs>, ProviderMethod>> & {
        remove: Handlers<Inputs, Outputs>["delete"];
        configure?: never;
    },
    Inputs,
    Outputs,
> = Module;

/**
 * `check`'s answer: the checked inputs, or every failure, none showing a secret value (`secrets`, the
 * declared passwords, or what finds them) on a property the engine prints. With failures the host keeps the program's inputs.
 */
export function checkResult<T>(
    checked: { inputs: T; failures: InputFailure[] },
    raw: RawInputs<T>,
    secrets: string[] | (() => string[]),
): dynamic.CheckResult<T> {
    if (checked.failures.length > 0) {
        // Collected only for failures: a batch's passwords are found by walking every user.
        const values = typeof secrets === "function" ? secrets() : secrets;
        return { failures: withoutSecretValues(checked.failures, raw, values) };
    }
    return { inputs: checked.inputs };
}

/**
 * The outputs the engine records when an operation fails after changing Cognito (the host's
 * `ErrorResourceInitFailed` path), with the serialized provider of the inputs: every later step needs it.
 */
export function withProviderOf<T extends object>(outputs: T, inputs: WithProvider<object>): WithProvider<T> {
    return { ...outputs, [PROVIDER_KEY]: inputs[PROVIDER_KEY] };
}
