/**
 * The outputs a user's state records, from what Cognito reports.
 */
import { COGNITO_OWNED_ATTRIBUTES, sortKeys } from "../shared/attributes";
import { CognitoUserRecord } from "../shared/cognito/gateway";
import { CREATE_ONLY_INPUTS, dropUndefined, UserInputs, UserOutputs } from "../shared/types";

/** Password settings recorded in outputs. */
export interface PasswordOutputs {
    password?: string;
    temporaryPassword?: string;
    passwordManaged: boolean;
}

/**
 * The outputs recorded for a user: its inputs but the create-only ones (`CREATE_ONLY_INPUTS`: the state
 * carries nothing a later step does not read), with attributes, groups and `enabled` as Cognito reports
 * them. With `declared`, only those attribute names are recorded (the ones the program manages);
 * without (an import), every attribute but the ones Cognito owns.
 */
export function toUserOutputs(
    inputs: UserInputs,
    user: CognitoUserRecord,
    groups: string[],
    passwords: PasswordOutputs,
    declared?: Record<string, string>,
): UserOutputs {
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(user.attributes)) {
        if (COGNITO_OWNED_ATTRIBUTES.has(name)) continue;
        if (declared && !(name in declared)) continue;
        attributes[name] = value;
    }
    const outputs: UserOutputs = {
        ...inputs,
        attributes: sortKeys(attributes),
        enabled: user.enabled,
        groups: [...groups].sort(),
        cognitoUsername: user.username,
        sub: user.attributes.sub ?? user.username,
        status: user.status,
        createdAt: (user.createdAt ?? new Date(0)).toISOString(),
        lastModifiedAt: (user.lastModifiedAt ?? user.createdAt ?? new Date(0)).toISOString(),
        mfaSettingList: user.mfaSettingList,
        passwordManaged: passwords.passwordManaged,
    };
    for (const key of CREATE_ONLY_INPUTS) delete (outputs as Partial<UserInputs>)[key];
    delete outputs.password;
    delete outputs.temporaryPassword;
    if (passwords.password !== undefined) outputs.password = passwords.password;
    if (passwords.temporaryPassword !== undefined) outputs.temporaryPassword = passwords.temporaryPassword;
    if (user.preferredMfaSetting) outputs.preferredMfaSetting = user.preferredMfaSetting;
    return dropUndefined(outputs);
}
