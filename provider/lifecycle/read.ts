/**
 * Reading a user back: for refresh (drift), import and `CognitoUser.get`.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { isNotFound } from "../core/errors";
import { UserInputs, UserOutputs } from "../core/types";
import { adminGetUser, CognitoUserRecord } from "../cognito/adminGetUser";
import { adminListGroupsForUser } from "../cognito/adminListGroupsForUser";
import { listUsersByAttribute } from "../cognito/listUsersByAttribute";
import { toUserOutputs } from "./outputs";
import { step } from "./step";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Finds a user by its Username, an alias (email, phone, preferred_username) or its sub. Returns
 * undefined when the user (or the pool) does not exist.
 */
export async function findUser(
    client: CognitoIdentityProviderClient,
    userPoolId: string,
    name: string,
): Promise<CognitoUserRecord | undefined> {
    const ref = { userPoolId, username: name };
    try {
        return await step("AdminGetUser", ref, () => adminGetUser(client, userPoolId, name));
    } catch (error) {
        if (!isNotFound(error)) throw error;
    }
    // Real Cognito does not promise that AdminGetUser accepts a sub, and accepts an email or phone only
    // where the pool has it as an alias: search for it instead.
    const attribute = uuidPattern.test(name) ? "sub" : name.includes("@") ? "email" : name.startsWith("+") ? "phone_number" : undefined;
    if (!attribute) return undefined;
    let matches: string[];
    try {
        matches = await step("ListUsers", ref, () => listUsersByAttribute(client, userPoolId, attribute, name));
    } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
    }
    if (matches.length !== 1) return undefined;
    try {
        return await step("AdminGetUser", ref, () => adminGetUser(client, userPoolId, matches[0]));
    } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
    }
}

/**
 * Reads the user recorded in `olds` (or named by `name`, for an import). Returns undefined when it is
 * gone, so `pulumi refresh` drops it and the next `up` recreates it.
 */
export async function readUser(
    client: CognitoIdentityProviderClient,
    inputs: UserInputs,
    name: string,
    olds?: Partial<UserOutputs>,
): Promise<UserOutputs | undefined> {
    const user = await findUser(client, inputs.userPoolId, name);
    if (!user) return undefined;
    const groups = await step("AdminListGroupsForUser", inputs, () => adminListGroupsForUser(client, inputs.userPoolId, user.username));
    const adopted = olds?.cognitoUsername === undefined;
    return toUserOutputs(
        inputs,
        user,
        groups,
        {
            password: olds?.password,
            temporaryPassword: olds?.temporaryPassword,
            passwordManaged: adopted ? false : (olds?.passwordManaged ?? true),
        },
        adopted ? undefined : (olds?.attributes ?? {}),
    );
}
