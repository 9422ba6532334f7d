/**
 * Program-side defaults for where Cognito is: read once per resource in the Pulumi program and passed
 * as inputs, so they are recorded in state and read/delete always reach the same service.
 */
import * as pulumi from "@pulumi/pulumi";

/** Connection inputs a resource may set; any it leaves out come from configuration or the environment. */
export interface ConnectionArgs {
    /** AWS Region of the pool. Default: the stack's `aws:region`, then `AWS_REGION` / `AWS_DEFAULT_REGION`, then the Region in a real pool id. Changing it replaces the user. */
    region?: pulumi.Input<string>;
    /**
     * Cognito endpoint, for cognito-local or LocalStack (e.g. `http://127.0.0.1:9229`). Default: the
     * stack's `cognito-user:endpoint`, then `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, then AWS.
     * Changing it replaces the user.
     */
    endpoint?: pulumi.Input<string>;
    /** Named AWS profile for credentials. Default: the stack's `aws:profile`, then the SDK's default chain (`AWS_PROFILE`, ...). A name, never a credential. */
    profile?: pulumi.Input<string>;
    /** Attempts per Cognito call, retries of throttled calls included (SDK adaptive retry). Default 8. */
    maxAttempts?: pulumi.Input<number>;
}

/** Whether creates adopt existing users of the same name: `cognito-user:adoptExisting`, then `COGNITO_USER_ADOPT_EXISTING`. */
export function adoptExistingDefault(): boolean {
    const configured = new pulumi.Config("cognito-user").getBoolean("adoptExisting");
    return configured ?? /^(1|true|yes)$/i.test(process.env.COGNITO_USER_ADOPT_EXISTING ?? "");
}

/** The connection inputs with configuration and environment defaults filled in. */
export function withConnectionDefaults(args: ConnectionArgs): ConnectionArgs {
    const aws = new pulumi.Config("aws");
    const ours = new pulumi.Config("cognito-user");
    const env = process.env;
    return {
        region: args.region ?? aws.get("region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
        endpoint: args.endpoint ?? ours.get("endpoint") ?? env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
        profile: args.profile ?? aws.get("profile"),
        maxAttempts: args.maxAttempts ?? ours.getNumber("maxAttempts"),
    };
}
