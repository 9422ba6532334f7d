/**
 * MFA before any write: the plan (../shared/mfa.ts), and a check that Cognito can carry it out: the
 * pool's MFA is not OFF and allows each declared method, and, to enrol a software token, the app client
 * exists and allows a password flow. Each problem is a VALIDATION_ERROR naming the fix.
 */
import { describeConnection } from "../shared/cognito/connection";
import { CognitoUserError, isResourceNotFound } from "../shared/errors";
import { CognitoGateway, UserRef } from "../shared/cognito/gateway";
import { AppClientFacts, SignInClient } from "../shared/cognito/gatewaySignIn";
import { MfaPlan, mfaEnabled, planMfa } from "../shared/mfa";
import { UserInputs, UserOutputs } from "../shared/types";

/** The password flows the provider signs in with to enrol a token. */
export type EnrolmentFlow = SignInClient["flow"];

/** What the provider learned about the app client (DescribeUserPoolClient): the client it signs in through. */
export type EnrolmentClient = SignInClient;

/** What `prepareMfa` found, before any write. */
export interface MfaPreparation {
    plan: MfaPlan;
    /** The app client, when the plan signs in (an enrolment). */
    app?: EnrolmentClient;
}

/**
 * The flow to enrol with: ADMIN_USER_PASSWORD_AUTH (the provider holds admin credentials) where the
 * client allows it, else USER_PASSWORD_AUTH (legacy names included); undefined when it allows neither.
 */
export function chooseEnrolmentFlow(explicitAuthFlows: readonly string[]): EnrolmentFlow | undefined {
    const flows = new Set(explicitAuthFlows);
    if (flows.has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || flows.has("ADMIN_NO_SRP_AUTH")) return "ADMIN_USER_PASSWORD_AUTH";
    if (flows.has("ALLOW_USER_PASSWORD_AUTH") || flows.has("USER_PASSWORD_AUTH")) return "USER_PASSWORD_AUTH";
    return undefined;
}

/**
 * Plans the MFA part of a create or update and checks, before any write, that Cognito can do it: the
 * pool's MFA is not OFF and allows each declared method, and (to enrol a token) the app client exists
 * and allows a password flow. Each problem is a VALIDATION_ERROR naming the fix.
 */
export async function prepareMfa(
    cognito: CognitoGateway,
    olds: Partial<UserOutputs>,
    inputs: UserInputs,
    ref: UserRef,
): Promise<MfaPreparation> {
    const plan = planMfa(olds, inputs);
    if (!plan.setPreference || !mfaEnabled(plan.desired)) return { plan };
    const desired = plan.desired!;
    const who = `user "${inputs.username}" in pool ${inputs.userPoolId}`;

    const pool = await cognito.getUserPoolMfaConfig({ user: ref });
    const fixes: string[] = [];
    if (pool.mode === "OFF") {
        fixes.push(
            `pool ${inputs.userPoolId} has MFA turned OFF: set its MFA to OPTIONAL (\`mfaConfiguration: "OPTIONAL"\` on aws.cognito.UserPool, or SetUserPoolMfaConfig)`,
        );
    }
    if (desired.totp && !pool.totp)
        fixes.push(
            `pool ${inputs.userPoolId} does not allow software tokens: enable them (\`softwareTokenMfaConfiguration: { enabled: true }\` on aws.cognito.UserPool)`,
        );
    if (desired.sms && !pool.sms)
        fixes.push(
            `pool ${inputs.userPoolId} has no SMS configuration for MFA: give it one (\`smsConfiguration\` with an SNS caller role on aws.cognito.UserPool)`,
        );
    if (fixes.length > 0) {
        throw new CognitoUserError("VALIDATION_ERROR", `mfa of ${who} cannot be set: ${fixes.join("; ")}. Nothing was changed.`, {
            operation: "GetUserPoolMfaConfig",
        });
    }
    if (!plan.enrolTotp) return { plan };
    const app = await enrolmentClient(cognito, inputs, ref);
    ref.secrets?.push(app.clientSecret);
    return { plan, app };
}

/** The app client the provider signs in through, checked: it exists and allows a password flow. */
export async function enrolmentClient(cognito: CognitoGateway, inputs: UserInputs, ref: UserRef): Promise<EnrolmentClient> {
    const clientId = inputs.clientId;
    const who = `user "${inputs.username}" in pool ${inputs.userPoolId}`;
    if (!clientId) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `mfa.totp of ${who} needs \`clientId\`: the app client the provider signs in through to enrol the software token. Nothing was changed.`,
        );
    }
    let app: AppClientFacts;
    try {
        app = await cognito.describeUserPoolClient({ user: ref, clientId });
    } catch (error) {
        if (!isResourceNotFound(error)) throw error;
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `clientId ${clientId} of ${who} is not an app client of that pool (at ${describeConnection(inputs)}): pass one of the pool's app clients, e.g. \`clientId: client.id\`. Nothing was changed.`,
            { operation: "DescribeUserPoolClient", cognitoName: "ResourceNotFoundException" },
        );
    }
    const flow = chooseEnrolmentFlow(app.flows);
    if (!flow) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `app client ${clientId} of pool ${inputs.userPoolId} allows no password sign-in (it allows: ${app.flows.join(", ") || "Cognito's defaults"}), ` +
                `so the provider cannot sign in as ${who} to enrol its software token: add ALLOW_ADMIN_USER_PASSWORD_AUTH ` +
                "(or ALLOW_USER_PASSWORD_AUTH) to the client's explicit auth flows (`explicitAuthFlows` on aws.cognito.UserPoolClient), or name another client. Nothing was changed.",
            { operation: "DescribeUserPoolClient" },
        );
    }
    return { clientId, clientSecret: app.secret, flow };
}

/**
 * Where in an update the MFA step goes: before a disable (a disabled user cannot sign in to enrol), and
 * after an enable. A user that stays disabled cannot enrol: a VALIDATION_ERROR before any write.
 */
export function assertCanEnrol(olds: Partial<UserOutputs>, news: UserInputs, prepared: MfaPreparation): void {
    if (!prepared.plan.enrolTotp) return;
    if (olds.enabled === false && news.enabled === false) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `user "${news.username}" is disabled, so the provider cannot sign in as it to enrol its software token: ` +
                "enable it (`enabled: true`) for the update that turns mfa.totp on; it may be disabled again afterwards. Nothing was changed.",
        );
    }
}
