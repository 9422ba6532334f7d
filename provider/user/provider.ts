/**
 * The provider object Pulumi serializes into every CognitoUser's state. Each method only forwards to
 * `pulumi-cognito-user/dynamic`, resolved by the dynamic-provider host from the project's node_modules:
 * the serialized text stays under 2 KB (Pulumi wraps each method in ~200 bytes), captures no live object, and does not change when
 * this package is upgraded (a changed provider text would otherwise show in every diff).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { UserInputs, UserOutputs } from "../shared/types";

/** The CognitoUser dynamic provider. */
export const cognitoUserProvider: dynamic.ResourceProvider<UserInputs, UserOutputs> = {
    check: (olds, news) => require("pulumi-cognito-user/dynamic").check(olds, news),
    diff: (id, olds, news) => require("pulumi-cognito-user/dynamic").diff(id, olds, news),
    create: (inputs) => require("pulumi-cognito-user/dynamic").create(inputs),
    read: (id, props) => require("pulumi-cognito-user/dynamic").read(id, props),
    update: (id, olds, news) => require("pulumi-cognito-user/dynamic").update(id, olds, news),
    delete: (id, props) => require("pulumi-cognito-user/dynamic").remove(id, props),
};
