/**
 * Secret outputs of a dynamic resource, program side. A dynamic provider cannot return secrets itself
 * (its host does not accept them, pulumi/pulumi#3012): `additionalSecretOutputs` makes the engine
 * encrypt them in state, and wrapping the resource's outputs in `pulumi.secret` makes the program treat
 * them as secret whatever engine (or mock) it runs under.
 */
import * as pulumi from "@pulumi/pulumi";

/** The options with `names` added to `additionalSecretOutputs`, keeping what the caller gave. */
export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, names: readonly string[]): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...names])] };
}

/** Wraps the resource's outputs `names` in `pulumi.secret`; call it at the end of the constructor. */
export function markOutputsSecret(resource: object, names: readonly string[]): void {
    const outputs = resource as Record<string, pulumi.Output<unknown>>;
    for (const name of names) outputs[name] = pulumi.secret(outputs[name]);
}
