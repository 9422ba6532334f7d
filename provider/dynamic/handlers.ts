/**
 * The CognitoUser provider's implementation, loaded inside Pulumi's dynamic-provider host through
 * `require("pulumi-cognito-user/dynamic")`. The serialized provider (./provider.ts) is only a stub that
 * forwards here, so state stays small and an upgrade of this package changes no state.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { CognitoUserError, withCognitoUserErrors } from "../core/errors";
import { diffUser } from "../core/diff";
import { UserInputs, UserOutputs } from "../core/types";
import { validateUserInputs } from "../core/validate";
import { createCognitoClient, Connection } from "../cognito/client";
import { createUser } from "../lifecycle/create";
import { deleteUser } from "../lifecycle/delete";
import { importUser } from "../lifecycle/import";
import { readUser } from "../lifecycle/read";
import { updateUser } from "../lifecycle/update";

/** The id of a user resource: `<userPoolId>/<canonical Username>`; import accepts any name for the user after the slash. */
export function userResourceId(userPoolId: string, username: string): string {
    return `${userPoolId}/${username}`;
}

/** Splits `<userPoolId>/<username>`; the username may itself contain slashes. */
export function parseUserResourceId(id: string): { userPoolId: string; username: string } {
    const slash = id.indexOf("/");
    if (slash <= 0 || slash === id.length - 1) {
        throw new CognitoUserError(
            "VALIDATION_ERROR",
            `"${id}" is not a CognitoUser id: expected "<userPoolId>/<username>", e.g. "eu-west-1_AbCdEf123/admin@example.com".`,
        );
    }
    return { userPoolId: id.slice(0, slash), username: id.slice(slash + 1) };
}

/** The connection recorded for a user. */
export function connectionOf(inputs: Partial<UserInputs>): Connection {
    return { region: inputs.region!, endpoint: inputs.endpoint, profile: inputs.profile, maxAttempts: inputs.maxAttempts };
}

/** `check`: validates every input before any Cognito call. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const { inputs, failures } = validateUserInputs(news);
    if (failures.length > 0) return { inputs: news, failures };
    return { inputs: inputs as unknown as Record<string, unknown> };
}

/** `diff`: what changed, what needs a new user, and whether the old one must go first. */
export async function diff(_id: string, olds: UserOutputs, news: UserInputs): Promise<dynamic.DiffResult> {
    const d = diffUser(olds, news);
    return { changes: d.changed.length > 0, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

/** `create`: the user, all or nothing; or, with `importId` (the `import` resource option), the existing user adopted. */
export async function create(inputs: UserInputs): Promise<dynamic.CreateResult> {
    return withCognitoUserErrors(async () => {
        const client = createCognitoClient(connectionOf(inputs));
        const outs = inputs.importId ? await importUser(client, inputs) : await createUser(client, inputs);
        return { id: userResourceId(inputs.userPoolId, outs.cognitoUsername), outs };
    });
}

/**
 * `read`: refresh and `CognitoUser.get`. Reports a user that is gone with an empty id, so `pulumi refresh`
 * drops it. (Pulumi's import step never gets here for a dynamic provider: see lifecycle/import.ts.)
 */
export async function read(id: string, props: Partial<UserOutputs> = {}): Promise<dynamic.ReadResult> {
    return withCognitoUserErrors(async () => {
        const fromId = parseUserResourceId(id);
        const known = props.userPoolId !== undefined && props.region !== undefined;
        // Recorded state holds a generated password next to `generatePassword: true`, which check rejects
        // as declared inputs: only the rest is validated, and the flag is carried over as recorded.
        const { password: _password, temporaryPassword: _temporaryPassword, generatePassword, ...rest } = props;
        const { inputs, failures } = validateUserInputs({
            ...rest,
            userPoolId: props.userPoolId ?? fromId.userPoolId,
            username: props.username ?? fromId.username,
        });
        if (failures.length > 0) {
            throw new CognitoUserError("VALIDATION_ERROR", failures.map((f) => `${f.property}: ${f.reason}`).join(" "));
        }
        inputs.generatePassword = generatePassword === true;
        const name = props.cognitoUsername ?? fromId.username;
        const outs = await readUser(createCognitoClient(connectionOf(inputs)), inputs, name, known ? props : undefined);
        if (!outs) return { id: "", props: {} };
        return { id: userResourceId(inputs.userPoolId, outs.cognitoUsername), props: outs };
    });
}

/** `update`: in place, only the calls the change needs. */
export async function update(_id: string, olds: UserOutputs, news: UserInputs): Promise<dynamic.UpdateResult> {
    return withCognitoUserErrors(async () => ({ outs: await updateUser(createCognitoClient(connectionOf(news)), olds, news) }));
}

/** `delete`: a user or pool already gone counts as deleted. */
export async function remove(id: string, props: Partial<UserOutputs>): Promise<void> {
    return withCognitoUserErrors(async () => {
        const { userPoolId, username } =
            props.userPoolId && props.cognitoUsername
                ? { userPoolId: props.userPoolId, username: props.cognitoUsername }
                : parseUserResourceId(id);
        await deleteUser(createCognitoClient(connectionOf(props)), userPoolId, username, props.username ?? username);
    });
}
