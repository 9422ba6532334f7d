/**
 * Program-side defaults for where Cognito is: read once per resource in the Pulumi program and passed
 * as inputs, so they are recorded in state and read/delete always reach the same service.
 */
import * as pulumi from "@pulumi/pulumi";
import { regionFromPoolId } from "../validate";

/** Connection inputs a resource may set; any it leaves out come from configuration or the environment. */
export interface ConnectionArgs {
    /**
     * AWS Region of the pool. A real pool id names its Region (`eu-west-1_AbC…`): that Region is used, and
     * a `region` that contradicts it is a validation error. For ids that name none (emulators'
     * `local_…`), the default is the stack's `aws:region`, then `AWS_REGION` / `AWS_DEFAULT_REGION`.
     * Recorded at create; refresh and destroy use the recorded Region. A change is an update that first
     * proves the new Region holds the same user (Username and sub), never a replacement.
     */
    region?: pulumi.Input<string>;
    /**
     * Cognito endpoint, for cognito-local, moto or LocalStack (e.g. `http://127.0.0.1:9229`). Default: the
     * stack's `cognito-user:endpoint`, then `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, then AWS's own.
     * Recorded at create; refresh and destroy use the recorded endpoint and never one from the environment.
     * A change is an update that first proves the new endpoint holds the same user, never a replacement.
     */
    endpoint?: pulumi.Input<string>;
    /**
     * Named AWS profile for credentials. Default: the stack's `aws:profile`, then the SDK's default chain
     * (`AWS_PROFILE`, ...). A name, never a credential. Recorded; a change is an update with no Cognito call.
     */
    profile?: pulumi.Input<string>;
    /** Attempts per Cognito call, retries of throttled calls included (SDK adaptive retry). Default 8. Recorded; a change is an update with no Cognito call. */
    maxAttempts?: pulumi.Input<number>;
}

/** Whether creates adopt existing users of the same name: `cognito-user:adoptExisting`, then `COGNITO_USER_ADOPT_EXISTING`. */
export function adoptExistingDefault(): boolean {
    const configured = new pulumi.Config("cognito-user").getBoolean("adoptExisting");
    return configured ?? /^(1|true|yes)$/i.test(process.env.COGNITO_USER_ADOPT_EXISTING ?? "");
}

/**
 * The connection inputs with configuration and environment defaults filled in. The Region a real pool
 * id names wins over any default, so `AWS_REGION` or `aws:region` never move a user.
 */
export function withConnectionDefaults(args: ConnectionArgs, userPoolId?: pulumi.Input<string>): ConnectionArgs {
    const aws = new pulumi.Config("aws");
    const ours = new pulumi.Config("cognito-user");
    const env = process.env;
    const configured = aws.get("region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const region =
        args.region ??
        (userPoolId === undefined
            ? configured
            : (pulumi
                  .output(userPoolId)
                  .apply((id) => (typeof id === "string" ? regionFromPoolId(id) : undefined) ?? configured) as pulumi.Output<string>));
    return {
        region,
        endpoint: args.endpoint ?? ours.get("endpoint") ?? env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
        profile: args.profile ?? aws.get("profile"),
        maxAttempts: args.maxAttempts ?? ours.getNumber("maxAttempts"),
    };
}
