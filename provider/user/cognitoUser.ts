/**
 * `CognitoUser`: one Amazon Cognito user as a Pulumi resource, created silently with `AdminCreateUser`
 * and `MessageAction=SUPPRESS`.
 */
import * as pulumi from "@pulumi/pulumi";
import { adoptExistingDefault, ConnectionArgs, withConnectionDefaults } from "../shared/program/connectionDefaults";
import { PackageDynamicResource } from "../shared/program/dynamicResource";
import { MFA_SECRET_OUTPUTS, MfaClientArgs } from "../shared/program/mfaArgs";
import { markOutputsSecret, withSecretOutputs } from "../shared/program/secretOutputs";
import { UserFieldsArgs } from "../shared/program/userFieldsArgs";
import { cognitoUserProviderText } from "./provider";

/** The inputs of a `CognitoUser`. */
export interface CognitoUserArgs extends UserFieldsArgs, ConnectionArgs, MfaClientArgs {
    /** The user pool's id, e.g. `pool.id`. Changing it replaces the user. */
    userPoolId: pulumi.Input<string>;
    /**
     * The username, 1 to 128 characters. In pools that sign in by email or phone (`usernameAttributes`),
     * the email or phone; Cognito then assigns a UUID as the canonical Username (output `cognitoUsername`).
     * Changing it replaces the user, unless it changes to another name of the same user (its current email,
     * phone, preferred_username or sub).
     */
    username: pulumi.Input<string>;
    /**
     * Create only: if a user with this username already exists and this resource did not create it,
     * adopt it (bring it to the declared state, password included) instead of failing with USER_EXISTS.
     * Default: the stack's `cognito-user:adoptExisting`, then `COGNITO_USER_ADOPT_EXISTING=true`, then
     * false. A user this resource created itself is recognised without it, even when Cognito's answer was
     * lost. To take over one user made by hand, prefer the `import` resource option, which names it.
     */
    adoptExisting?: pulumi.Input<boolean>;
}

/** Secret inputs and outputs: Pulumi stores them encrypted and masks them in every display. */
const SECRET_PROPERTIES = ["password", "temporaryPassword", ...MFA_SECRET_OUTPUTS];

/**
 * An Amazon Cognito user, managed like any other Pulumi resource: a dynamic resource (type
 * `pulumi-nodejs:dynamic/cognito:CognitoUser`) whose provider is the package's `./dynamic` module.
 */
export class CognitoUser extends PackageDynamicResource {
    /** The user pool's id. */
    declare readonly userPoolId: pulumi.Output<string>;
    /** The username as declared (or as given in the import id). */
    declare readonly username: pulumi.Output<string>;
    /** The Username Cognito assigned: a UUID equal to `sub` in email / phone sign-in pools. */
    declare readonly cognitoUsername: pulumi.Output<string>;
    /** The user's immutable id. */
    declare readonly sub: pulumi.Output<string>;
    /** `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, ... */
    declare readonly status: pulumi.Output<string>;
    /** Whether the user can sign in, as Cognito reports it. */
    declare readonly enabled: pulumi.Output<boolean>;
    /** The declared attributes, as Cognito reports them. */
    declare readonly attributes: pulumi.Output<Record<string, string>>;
    /** The user's groups, as Cognito reports them. */
    declare readonly groups: pulumi.Output<string[]>;
    /** The permanent password, declared or generated. Secret. */
    declare readonly password: pulumi.Output<string | undefined>;
    /** The temporary password, when declared. Secret. */
    declare readonly temporaryPassword: pulumi.Output<string | undefined>;
    /** Whether the password is generated. */
    declare readonly generatePassword: pulumi.Output<boolean>;
    /** When Cognito created the user (ISO 8601). */
    declare readonly createdAt: pulumi.Output<string>;
    /** When Cognito last changed the user (ISO 8601). */
    declare readonly lastModifiedAt: pulumi.Output<string>;
    /** The user's preferred MFA method, if any. */
    declare readonly preferredMfaSetting: pulumi.Output<string | undefined>;
    /** The MFA methods the user has activated. */
    declare readonly mfaSettingList: pulumi.Output<string[]>;
    /** The MFA the provider manages (`{ totp, sms, preferred }`), as Cognito reports it; undefined when not managed. */
    declare readonly mfa: pulumi.Output<{ totp: boolean; sms: boolean; preferred?: "totp" | "sms" } | undefined>;
    /** The app client MFA enrolment signs in through. */
    declare readonly clientId: pulumi.Output<string | undefined>;
    /** The enrolled TOTP secret (base32), while `mfa.totp` is on. Secret. */
    declare readonly totpSecret: pulumi.Output<string | undefined>;
    /** The `otpauth://totp/...` URI of `totpSecret`, for an authenticator app or a QR code. Secret. */
    declare readonly totpUri: pulumi.Output<string | undefined>;
    /** AWS Region of the pool. */
    declare readonly region: pulumi.Output<string>;
    /** Cognito endpoint override, if any. */
    declare readonly endpoint: pulumi.Output<string | undefined>;

    /**
     * Declares a user. `pulumi up` creates it with `AdminCreateUser` and `MessageAction=SUPPRESS`: no email,
     * no SMS. To adopt an existing user pass `{ import: "<userPoolId>/<username>" }` (the name may also be the
     * user's email, phone or sub): `pulumi up` then takes it over instead of creating one, and fails if it
     * does not exist.
     */
    constructor(name: string, args: CognitoUserArgs, opts?: pulumi.CustomResourceOptions) {
        // Pulumi's import step cannot serve a dynamic provider (its host gets no serialized provider on that
        // Read and fails), so the option becomes a create-only input and the provider's create adopts the user.
        const { import: importId, ...options } = opts ?? {};
        // Every input and output is listed, even when undefined: Pulumi exposes an output only for keys
        // present here.
        const props: Record<string, unknown> = {
            userPoolId: args?.userPoolId,
            username: args?.username,
            attributes: args?.attributes,
            password: args?.password === undefined ? undefined : pulumi.secret(args.password),
            temporaryPassword: args?.temporaryPassword === undefined ? undefined : pulumi.secret(args.temporaryPassword),
            generatePassword: args?.generatePassword,
            enabled: args?.enabled,
            groups: args?.groups,
            clientMetadata: args?.clientMetadata,
            validationData: args?.validationData,
            forceAliasCreation: args?.forceAliasCreation,
            mfa: args?.mfa,
            clientId: args?.clientId,
            adoptExisting: args?.adoptExisting ?? adoptExistingDefault(),
            importId,
            ...withConnectionDefaults(args ?? {}, args?.userPoolId),
            cognitoUsername: undefined,
            sub: undefined,
            status: undefined,
            createdAt: undefined,
            lastModifiedAt: undefined,
            preferredMfaSetting: undefined,
            mfaSettingList: undefined,
            totpSecret: undefined,
            totpUri: undefined,
        };
        super(cognitoUserProviderText, "CognitoUser", name, props, withSecretOutputs(options, SECRET_PROPERTIES));
        markOutputsSecret(this, SECRET_PROPERTIES);
    }

    /**
     * Reads an existing user into the program without managing it. `id` is `<userPoolId>/<username>`,
     * where username may also be an email, phone or sub.
     */
    static get(name: string, id: pulumi.Input<string>, args?: ConnectionArgs, opts?: pulumi.CustomResourceOptions): CognitoUser {
        const pair = pulumi.output(id).apply((value) => {
            const slash = value.indexOf("/");
            return { userPoolId: value.slice(0, slash), username: value.slice(slash + 1) };
        });
        return new CognitoUser(name, { ...(args ?? {}), userPoolId: pair.userPoolId, username: pair.username }, { ...opts, id });
    }
}
