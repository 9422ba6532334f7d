/**
 * Adopting an existing user named by the `import` resource option. Pulumi's own import step cannot
 * serve a dynamic provider (its host gets no serialized provider on that Read), so `CognitoUser`
 * turns the option into the `importId` input and the engine runs an ordinary create, which lands here.
 */
import { CognitoUserError } from "../shared/errors";
import { CognitoGateway, ProvenUser } from "../shared/cognito/gateway";
import { namesSameUser } from "../shared/diff";
import { UserInputs, UserOutputs } from "../shared/types";
import { findUserByAnyName, readBack } from "./read";
import { updateUser } from "./update";

/**
 * Finds the user `inputs.importId` names and brings it to the declared state, as an import followed by
 * an update would: declared attributes written (undeclared ones left alone), groups and `enabled` as
 * declared, and a declared (or generated) password set. Without one, the password stays as it is in
 * Cognito and no `password` output is recorded: it cannot be read back.
 *
 * @throws CognitoUserError NOT_FOUND when no such user exists (nothing is created), VALIDATION_ERROR
 *   when the declared username names another user.
 */
export async function importUser(cognito: CognitoGateway, inputs: UserInputs): Promise<UserOutputs> {
    const importId = inputs.importId!;
    const name = importId.slice(importId.indexOf("/") + 1);
    const found = await findUserByAnyName(cognito, inputs, name);
    // The user found is proven as it is now (its own Username and sub): adopting it is what was asked.
    const ref = { userPoolId: inputs.userPoolId, username: inputs.username, resourceUrn: inputs.resourceUrn };
    const verdict = found && cognito.identify(found, { cognitoUsername: found.username, sub: found.attributes.sub }, ref);
    if (verdict?.kind !== "same") {
        throw new CognitoUserError(
            "NOT_FOUND",
            `cannot import "${importId}": pool ${inputs.userPoolId} has no user "${name}" (looked up by Username, email, phone and sub). ` +
                "Check the id, or remove the `import` option to create the user.",
        );
    }
    const existing = await readBack(cognito, inputs, verdict.record);
    // `existing` carries the declared username; judge by what Cognito knows the user as.
    if (!namesSameUser({ ...existing, username: existing.cognitoUsername }, inputs.username)) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `the import id "${importId}" names the user with Username ${existing.cognitoUsername}, but username "${inputs.username}" is not one of its names ` +
                "(Username, email, phone, preferred_username, sub): declare that user's username, or import the user you declared.",
        );
    }
    return convergeExistingUser(cognito, existing, inputs, {}, verdict.proven);
}

/**
 * Brings an existing user, as read, to the declared state. Only declared attributes are compared, so
 * undeclared ones stay as they are and unchanged ones are not written again. (The engine shows an
 * adoption as a create, so a deletion here would surprise: nothing announces it.) `recorded` overrides
 * what counts as the user's recorded password settings; `proven` is the user as this operation proved it.
 */
export async function convergeExistingUser(
    cognito: CognitoGateway,
    existing: UserOutputs,
    inputs: UserInputs,
    recorded: Partial<UserOutputs>,
    proven: ProvenUser,
): Promise<UserOutputs> {
    const declared = Object.fromEntries(Object.entries(existing.attributes).filter(([attribute]) => attribute in inputs.attributes));
    return updateUser(cognito, { ...existing, ...recorded, attributes: declared }, inputs, proven);
}
