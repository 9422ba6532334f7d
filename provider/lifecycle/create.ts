/**
 * Creating a user, all or nothing: `AdminCreateUser` (SUPPRESS), then the password, the groups and the
 * disable. If any step after the user exists fails, the user is deleted again.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserError, redact } from "../core/errors";
import { generatePassword, PasswordPolicy } from "../core/password";
import { UserInputs, UserOutputs } from "../core/types";
import { adminAddUserToGroup } from "../cognito/adminAddUserToGroup";
import { adminCreateUser } from "../cognito/adminCreateUser";
import { adminDeleteUser } from "../cognito/adminDeleteUser";
import { fromAttributeList } from "../cognito/attributeList";
import { adminSetUserEnabled } from "../cognito/adminSetUserEnabled";
import { adminSetUserPassword } from "../cognito/adminSetUserPassword";
import { describePasswordPolicy } from "../cognito/describePasswordPolicy";
import { toUserOutputs } from "./outputs";
import { readUser } from "./read";
import { convergeExistingUser } from "./import";
import { step, UserRef } from "./step";

/** Options for `createUser`. */
export interface CreateUserOptions {
    /** The pool's password policy, when the caller already has it (the batch reads it once). */
    passwordPolicy?: PasswordPolicy;
}

/** Creates the user and everything declared for it; returns its outputs. Leaves nothing behind on failure. */
export async function createUser(
    client: CognitoIdentityProviderClient,
    inputs: UserInputs,
    options: CreateUserOptions = {},
): Promise<UserOutputs> {
    const ref: UserRef = { userPoolId: inputs.userPoolId, username: inputs.username, secrets: [inputs.password, inputs.temporaryPassword] };

    let permanentPassword = inputs.password;
    if (inputs.generatePassword) {
        const policy =
            options.passwordPolicy ?? (await step("DescribeUserPool", ref, () => describePasswordPolicy(client, inputs.userPoolId)));
        permanentPassword = generatePassword(policy);
        ref.secrets!.push(permanentPassword);
    }

    let created;
    try {
        created = await step("AdminCreateUser", ref, () =>
            adminCreateUser(client, {
                userPoolId: inputs.userPoolId,
                username: inputs.username,
                attributes: inputs.attributes,
                temporaryPassword: inputs.temporaryPassword,
                clientMetadata: inputs.clientMetadata,
                validationData: inputs.validationData,
                forceAliasCreation: inputs.forceAliasCreation,
            }),
        );
    } catch (error) {
        if (inputs.adoptExisting && (error as CognitoUserError).code === "USER_EXISTS") return adoptUser(client, inputs, permanentPassword);
        throw error;
    }
    // Every later call uses the Username Cognito assigned: in email-as-username pools it is a UUID
    // that survives email changes, and looking a user up by it never scans the pool.
    const canonical = created.Username!;
    let status = created.UserStatus ?? "FORCE_CHANGE_PASSWORD";

    const followUps: Array<[string, () => Promise<void>]> = [];
    if (permanentPassword !== undefined) {
        followUps.push([
            "AdminSetUserPassword",
            () => adminSetUserPassword(client, inputs.userPoolId, canonical, permanentPassword!, true),
        ]);
    }
    for (const group of inputs.groups) {
        followUps.push([`AdminAddUserToGroup(${group})`, () => adminAddUserToGroup(client, inputs.userPoolId, canonical, group)]);
    }
    if (!inputs.enabled) followUps.push(["AdminDisableUser", () => adminSetUserEnabled(client, inputs.userPoolId, canonical, false)]);

    for (const [operation, call] of followUps) {
        try {
            await step(operation, ref, call);
        } catch (error) {
            await rollBack(client, inputs, canonical, operation, error as Error, ref);
        }
    }
    if (permanentPassword !== undefined) status = "CONFIRMED";

    const attributes = fromAttributeList(created.Attributes);
    return toUserOutputs(
        inputs,
        {
            username: canonical,
            attributes,
            enabled: inputs.enabled,
            status,
            createdAt: created.UserCreateDate,
            lastModifiedAt: created.UserLastModifiedDate,
            mfaSettingList: [],
        },
        inputs.groups,
        { password: permanentPassword, temporaryPassword: inputs.temporaryPassword, passwordManaged: true },
        inputs.attributes,
    );
}

/**
 * Brings an existing user with the same username to the declared state, as if it had been created now:
 * the recovery path after an interrupted `pulumi up` left users the state does not know.
 */
async function adoptUser(
    client: CognitoIdentityProviderClient,
    inputs: UserInputs,
    permanentPassword: string | undefined,
): Promise<UserOutputs> {
    // Read it as an adopted user whose password is managed, so the declared password is set as well.
    const existing = await readUser(client, inputs, inputs.username);
    if (!existing)
        throw new CognitoUserError(
            "NOT_FOUND",
            `user "${inputs.username}" was reported to exist in pool ${inputs.userPoolId} but cannot be read.`,
        );
    // A generated password is made once here; update must set it, not generate another.
    const declared = inputs.generatePassword ? { ...inputs, generatePassword: false, password: permanentPassword } : inputs;
    const outputs = await convergeExistingUser(client, existing, declared, {
        passwordManaged: true,
        password: undefined,
        temporaryPassword: undefined,
        generatePassword: false,
    });
    return { ...outputs, generatePassword: inputs.generatePassword };
}

/** Deletes the half-created user and raises an error naming the failed step; never returns. */
async function rollBack(
    client: CognitoIdentityProviderClient,
    inputs: UserInputs,
    canonical: string,
    operation: string,
    cause: Error,
    ref: UserRef,
): Promise<never> {
    const reason = (cause as CognitoUserError).toJSON?.().message ?? redact(cause.message, ref.secrets ?? []);
    try {
        await adminDeleteUser(client, inputs.userPoolId, canonical);
    } catch (deleteError) {
        const why = redact((deleteError as Error).message, ref.secrets ?? []);
        throw new CognitoUserError(
            "ROLLBACK_FAILED",
            `creating user "${inputs.username}" in pool ${inputs.userPoolId} failed at ${operation}: ${reason} ` +
                `Deleting the half-created user (Username ${canonical}) failed too: ${why}. Delete it by hand: ` +
                `aws cognito-idp admin-delete-user --user-pool-id ${inputs.userPoolId} --username ${canonical}`,
            { operation },
        );
    }
    const code = (cause as CognitoUserError).code ?? "COGNITO_ERROR";
    throw new CognitoUserError(
        code,
        `creating user "${inputs.username}" failed at ${operation}; the user was deleted again, nothing is left behind. ${reason}`,
        {
            operation,
            cognitoName: (cause as CognitoUserError).cognitoName,
        },
    );
}
