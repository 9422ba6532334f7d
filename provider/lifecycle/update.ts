/**
 * Updating a user in place: only the calls the change needs, then a read back.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserError } from "../core/errors";
import { planUserUpdate } from "../core/diff";
import { generatePassword, PasswordPolicy } from "../core/password";
import { UserInputs, UserOutputs } from "../core/types";
import { adminAddUserToGroup } from "../cognito/adminAddUserToGroup";
import { adminDeleteUserAttributes } from "../cognito/adminDeleteUserAttributes";
import { adminRemoveUserFromGroup } from "../cognito/adminRemoveUserFromGroup";
import { adminSetUserEnabled } from "../cognito/adminSetUserEnabled";
import { adminSetUserPassword } from "../cognito/adminSetUserPassword";
import { adminUpdateUserAttributes } from "../cognito/adminUpdateUserAttributes";
import { describePasswordPolicy } from "../cognito/describePasswordPolicy";
import { readUser } from "./read";
import { step, UserRef } from "./step";

/** Options for `updateUser`. */
export interface UpdateUserOptions {
    /** The pool's password policy, when the caller already has it (the batch reads it once). */
    passwordPolicy?: PasswordPolicy;
}

/** Applies the difference between the recorded outputs and the new inputs; returns the new outputs. */
export async function updateUser(
    client: CognitoIdentityProviderClient,
    olds: UserOutputs,
    news: UserInputs,
    options: UpdateUserOptions = {},
): Promise<UserOutputs> {
    const plan = planUserUpdate(olds, news);
    const username = olds.cognitoUsername;
    const pool = news.userPoolId;
    const ref: UserRef = { userPoolId: pool, username: news.username, secrets: [news.password, news.temporaryPassword, olds.password] };

    const toWrite = withVerificationPairs(plan.attributes.toWrite, news.attributes);
    if (Object.keys(toWrite).length > 0) {
        await step("AdminUpdateUserAttributes", ref, () => adminUpdateUserAttributes(client, pool, username, toWrite));
    }
    if (plan.attributes.toDelete.length > 0) {
        await step("AdminDeleteUserAttributes", ref, () => adminDeleteUserAttributes(client, pool, username, plan.attributes.toDelete));
    }

    // A generated password stays the same on later updates; a new one is made only when generation is switched on.
    let password = news.password ?? (news.generatePassword ? olds.password : undefined);
    let passwordManaged = olds.passwordManaged !== false;
    switch (plan.password.kind) {
        case "permanent": {
            if (plan.password.source === "generated") {
                const policy = options.passwordPolicy ?? (await step("DescribeUserPool", ref, () => describePasswordPolicy(client, pool)));
                password = generatePassword(policy);
                ref.secrets!.push(password);
            }
            const value = password!;
            await step("AdminSetUserPassword", ref, () => adminSetUserPassword(client, pool, username, value, true));
            passwordManaged = true;
            break;
        }
        case "temporary":
            await step("AdminSetUserPassword", ref, () => adminSetUserPassword(client, pool, username, news.temporaryPassword!, false));
            passwordManaged = true;
            break;
        case "keep":
            break;
    }

    for (const group of plan.groupsToAdd)
        await step(`AdminAddUserToGroup(${group})`, ref, () => adminAddUserToGroup(client, pool, username, group));
    for (const group of plan.groupsToRemove)
        await step(`AdminRemoveUserFromGroup(${group})`, ref, () => adminRemoveUserFromGroup(client, pool, username, group));
    if (plan.enable !== undefined) {
        const enable = plan.enable;
        await step(enable ? "AdminEnableUser" : "AdminDisableUser", ref, () => adminSetUserEnabled(client, pool, username, enable));
    }

    const outputs = await readUser(client, news, username, {
        ...olds,
        attributes: news.attributes,
        password,
        temporaryPassword: news.temporaryPassword,
        passwordManaged,
    });
    if (!outputs) {
        throw new CognitoUserError(
            "NOT_FOUND",
            `user "${news.username}" (Username ${username}) disappeared from pool ${pool} during the update; run \`pulumi refresh\` and \`pulumi up\` to recreate it.`,
        );
    }
    return outputs;
}

/** An address attribute and the flag saying it is verified. */
const VERIFIED_PAIRS = [
    ["email", "email_verified"],
    ["phone_number", "phone_number_verified"],
] as const;

/**
 * The attributes to write, with each address and its `_verified` flag sent together whenever either
 * is written and the program declares both: Cognito resets the flag to false when the address changes
 * without it (drift right after the update), and refuses a flag sent without its address
 * ("Email is required to verify/un-verify an email").
 */
export function withVerificationPairs(toWrite: Record<string, string>, declared: Record<string, string>): Record<string, string> {
    const out = { ...toWrite };
    for (const [address, flag] of VERIFIED_PAIRS) {
        if (!(address in out) && !(flag in out)) continue;
        if (declared[address] !== undefined) out[address] = declared[address];
        if (declared[flag] !== undefined) out[flag] = declared[flag];
    }
    return out;
}
