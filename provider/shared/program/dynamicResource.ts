/**
 * What every resource of this package records as its provider, and the base class that records it.
 *
 * Pulumi's dynamic-provider host runs a dynamic resource from the text in its `__provider` property, in
 * its inputs and its outputs: `requireFromString(text).handler()` gives the provider, resolving any
 * `require` from the project's folder. `pulumi.dynamic.Resource` fills that property with its closure
 * serializer, whose smallest output here is 253 bytes (the handlers module captured as
 * `require("pulumi-cognito-user/dynamic")`), and only when the module's real path is under node_modules:
 * loaded through a path outside node_modules, as in this repository, it serializes the whole package by
 * value (134,085 bytes; both measured with @pulumi/pulumi 3.276). The text here is that module reference
 * without the serializer's wrapping: 64 bytes, the same wherever the package is loaded from and
 * whichever @pulumi/pulumi records it, and the host finds in it exactly what it finds in the
 * serializer's text (an `exports.handler` returning the provider).
 */
import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_KEY } from "../handlers";

/**
 * The package subpaths whose modules are the providers. Every recorded provider text requires one of
 * them, so they are a contract with every stack's state (test/fixtures/state-0.1.0/README.md).
 */
export type ProviderSubpath = "pulumi-cognito-user/dynamic" | "pulumi-cognito-user/dynamic-batch";

/**
 * The `__provider` text of a resource whose provider is the module at `subpath`: the module itself is the
 * provider, so it exports `check`, `diff`, `create`, `read`, `update` and `delete` (and no `configure`).
 */
export function providerText(subpath: ProviderSubpath): string {
    return `exports.handler = () => require(${JSON.stringify(subpath)});\n`;
}

/**
 * A dynamic resource of this package, registered exactly as `pulumi.dynamic.Resource` registers one (type
 * `pulumi-nodejs:dynamic/cognito:<type>`, served by the same dynamic-provider host), with `provider`, a
 * `providerText`, as its `__provider` instead of a serialized closure, and its own URN as the input
 * `resourceUrn`, for the errors that must name it.
 */
export abstract class PackageDynamicResource extends pulumi.CustomResource {
    protected constructor(provider: string, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        if (PROVIDER_KEY in props) throw new Error(`a dynamic resource must not define ${PROVIDER_KEY}`);
        const fullType = `pulumi-nodejs:dynamic/cognito:${type}`;
        // The provider never learns a resource's URN, yet the way out of some errors is a command that
        // needs it (`pulumi state delete`): the program computes it as the engine will.
        const resourceUrn = pulumi.createUrn(name, fullType, opts?.parent);
        super(fullType, name, { ...props, resourceUrn, [PROVIDER_KEY]: provider }, opts);
    }
}
