/**
 * Updating a user in place: only the calls the change needs, then a read back.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserError } from "../core/errors";
import { planUserUpdate } from "../core/diff";
import { generatePassword } from "../core/password";
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

/** Applies the difference between the recorded outputs and the new inputs; returns the new outputs. */
export async function updateUser(client: CognitoIdentityProviderClient, olds: UserOutputs, news: UserInputs): Promise<UserOutputs> {
    const plan = planUserUpdate(olds, news);
    const username = olds.cognitoUsername;
    const pool = news.userPoolId;
    const ref: UserRef = { userPoolId: pool, username: news.username, secrets: [news.password, news.temporaryPassword, olds.password] };

    if (Object.keys(plan.attributes.toWrite).length > 0) {
        await step("AdminUpdateUserAttributes", ref, () => adminUpdateUserAttributes(client, pool, username, plan.attributes.toWrite));
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
                const policy = await step("DescribeUserPool", ref, () => describePasswordPolicy(client, pool));
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

    for (const group of plan.groupsToAdd) await step(`AdminAddUserToGroup(${group})`, ref, () => adminAddUserToGroup(client, pool, username, group));
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
        throw new CognitoUserError("NOT_FOUND", `user "${news.username}" (Username ${username}) disappeared from pool ${pool} during the update; run \`pulumi refresh\` and \`pulumi up\` to recreate it.`);
    }
    return outputs;
}
