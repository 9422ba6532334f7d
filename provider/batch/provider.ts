/**
 * The provider object Pulumi serializes into every CognitoUserBatch's state. Each method only forwards
 * to `pulumi-cognito-user/dynamic-batch`, resolved by the dynamic-provider host from the project's
 * node_modules: the serialized text stays a few hundred bytes, captures no live object, and does not
 * change when this package is upgraded.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { BatchInputs, BatchOutputs } from "./types";

/** The CognitoUserBatch dynamic provider. */
export const cognitoUserBatchProvider: dynamic.ResourceProvider<BatchInputs, BatchOutputs> = {
    check: (olds, news) => require("pulumi-cognito-user/dynamic-batch").check(olds, news),
    diff: (id, olds, news) => require("pulumi-cognito-user/dynamic-batch").diff(id, olds, news),
    create: (inputs) => require("pulumi-cognito-user/dynamic-batch").create(inputs),
    read: (id, props) => require("pulumi-cognito-user/dynamic-batch").read(id, props),
    update: (id, olds, news) => require("pulumi-cognito-user/dynamic-batch").update(id, olds, news),
    delete: (id, props) => require("pulumi-cognito-user/dynamic-batch").remove(id, props),
};
