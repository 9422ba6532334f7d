/**
 * The CognitoUser provider: this module itself, loaded inside Pulumi's dynamic-provider host through
 * `require("pulumi-cognito-user/dynamic")`, which is all the `__provider` text in state holds
 * (./provider.ts); 0.1.0's recorded stub calls the same functions, `remove` for `delete`.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { connectionOf } from "../shared/cognito/connection";
import { diffUser } from "../shared/diff";
import { CognitoUserError, withCognitoUserErrors } from "../shared/errors";
import { openCognitoGateway } from "../shared/cognito/gateway";
import { checkResult, Handlers, RawInputs, withProviderOf, WithProvider } from "../shared/handlers";
import { DEFAULT_MAX_ATTEMPTS, UserInputs, UserOutputs } from "../shared/types";
import { regionFromPoolId, validateUserInputs } from "../shared/validate";
import { createUser } from "./create";
import { deleteUser } from "./delete";
import { importUser } from "./import";
import { findUserByAnyName, readBack, refreshUser } from "./read";
import { PartialUpdateError, updateUser } from "./update";
import { watchEngine } from "../shared/engineLifeline";
import { favourMemoryInHost } from "../shared/hostMemory";

// Loaded by Pulumi's dynamic-provider host: once the CLI that started it is killed, stop and exit;
// and keep the host's heap near what it holds (../shared/hostMemory.ts).
watchEngine();
favourMemoryInHost();

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

/** `check`: validates every input before any Cognito call; no failure ever shows a password. */
export async function check(_olds: unknown, news: RawInputs<UserInputs>): Promise<dynamic.CheckResult<UserInputs>> {
    const declared = [news.password, news.temporaryPassword].filter((v): v is string => typeof v === "string");
    return checkResult(validateUserInputs(news), news, declared);
}

/** `diff`: what changed, and what needs a new user (created before the old one is deleted). */
export async function diff(_id: string, olds: UserOutputs, news: UserInputs): Promise<dynamic.DiffResult> {
    const d = diffUser(olds, news);
    return { changes: d.changed.length > 0, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

/** `create`: the user, all or nothing; or, with `importId` (the `import` resource option), the existing user adopted. */
export async function create(inputs: UserInputs): Promise<{ id: string; outs: UserOutputs }> {
    return withCognitoUserErrors(async () => {
        const cognito = openCognitoGateway(connectionOf(inputs));
        const outs = inputs.importId ? await importUser(cognito, inputs) : await createUser(cognito, inputs);
        return { id: userResourceId(inputs.userPoolId, outs.cognitoUsername), outs };
    });
}

/**
 * The inputs a recorded user stands for, taken as recorded: never validated again, so a rule added by
 * a later version cannot break the refresh or destroy of a user an earlier version created.
 */
export function recordedInputs(id: string, props: Partial<UserOutputs>): UserInputs {
    const fromId = parseUserResourceId(id);
    const userPoolId = props.userPoolId ?? fromId.userPoolId;
    return {
        ...props,
        userPoolId,
        username: props.username ?? fromId.username,
        attributes: props.attributes ?? {},
        generatePassword: props.generatePassword === true,
        enabled: props.enabled !== false,
        groups: props.groups ?? [],
        // Create only: read and delete never use them (0.1.0's outputs recorded them, later ones do not).
        forceAliasCreation: false,
        adoptExisting: false,
        region: props.region ?? regionFromPoolId(userPoolId) ?? "us-east-1",
        maxAttempts: props.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    };
}

/**
 * `read`: refresh, by the recorded canonical Username at the recorded connection only. A user Cognito
 * says is gone, or whose Username another user now holds (with a warning), is reported with an empty id,
 * so `pulumi refresh` drops it; a pool that cannot be found is "gone" only when proven deleted in the
 * recorded account, and an error otherwise. `CognitoUser.get` (nothing recorded yet) may name the user by any of its
 * names. (Pulumi's import step never gets here for a dynamic provider: see import.ts.)
 */
export async function read(id: string, props: Partial<UserOutputs> = {}): Promise<dynamic.ReadResult<UserOutputs>> {
    return withCognitoUserErrors(async () => {
        const inputs = recordedInputs(id, props);
        const recorded = props.cognitoUsername !== undefined;
        const name = props.cognitoUsername ?? parseUserResourceId(id).username;
        const cognito = openCognitoGateway(connectionOf(inputs));
        const outs = recorded
            ? await refreshUser(cognito, inputs, { ...props, cognitoUsername: name })
            : await findUserByAnyName(cognito, inputs, name).then((found) => found && readBack(cognito, inputs, found));
        if (!outs) return { id: "" }; // gone: the host records no properties, the engine drops the resource
        return { id: userResourceId(inputs.userPoolId, outs.cognitoUsername), props: outs };
    });
}

/**
 * `update`: in place, only the calls the change needs, at the declared connection once it is proven to
 * hold the same user. A failure midway records what was applied (Pulumi's partial-failure path), so
 * the next `pulumi up` finishes the change without a refresh.
 */
export async function update(id: string, olds: UserOutputs, news: WithProvider<UserInputs>): Promise<{ outs: UserOutputs }> {
    return withCognitoUserErrors(async () => {
        try {
            return { outs: await updateUser(openCognitoGateway(connectionOf(news)), olds, news) };
        } catch (error) {
            if (!(error instanceof PartialUpdateError)) throw error;
            throw Object.assign(error, { id, reasons: [error.message], properties: withProviderOf(error.applied, news) });
        }
    });
}

/** `delete`: by the recorded canonical Username at the recorded connection; a user already gone counts as deleted. */
export async function remove(id: string, props: Partial<UserOutputs>): Promise<void> {
    return withCognitoUserErrors(async () => {
        const inputs = recordedInputs(id, props);
        const name = props.cognitoUsername ?? parseUserResourceId(id).username;
        const context = { ...inputs, accountId: props.accountId };
        await deleteUser(openCognitoGateway(connectionOf(inputs)), context, { cognitoUsername: name, sub: props.sub });
    });
}

/** The handlers together, as Pulumi's interface types them: the compiler checks they are what the host calls. */
export const userHandlers = { check, diff, create, read, update, delete: remove } satisfies Handlers<UserInputs, UserOutputs>;

/**
 * `delete` for the host, which uses this module itself as the provider (./provider.ts); `remove` stays
 * for the stub 0.1.0 recorded.
 */
export { remove as delete };
