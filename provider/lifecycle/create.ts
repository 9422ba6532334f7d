/**
 * Creating a user, all or nothing: the declared passwords checked against the pool's policy, then
 * `AdminCreateUser` (SUPPRESS), the password, the groups and the disable. If any step after the user
 * exists fails, the user is deleted again. A create recognises its own work: when the answer to
 * `AdminCreateUser` was lost and a retry meets the user, that user is finished, not refused.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUserError, isResourceNotFound, poolNotFoundError, redact, translateCognitoError } from "../core/errors";
import { declaredPasswordProblems, generatePassword, PasswordPolicy } from "../core/password";
import { UserInputs, UserOutputs } from "../core/types";
import { adminAddUserToGroup } from "../cognito/adminAddUserToGroup";
import { adminCreateUser } from "../cognito/adminCreateUser";
import { CognitoUserRecord } from "../cognito/adminGetUser";
import { fromAttributeList } from "../cognito/attributeList";
import { adminSetUserEnabled } from "../cognito/adminSetUserEnabled";
import { adminSetUserPassword } from "../cognito/adminSetUserPassword";
import { describeConnection, serverTimeOf } from "../cognito/client";
import { describeUserPool } from "../cognito/describeUserPool";
import { deleteUser } from "./delete";
import { toUserOutputs } from "./outputs";
import { getUser, readUser } from "./read";
import { convergeExistingUser } from "./import";
import { mfaFollowUps, MfaState, prepareMfa } from "./mfa";
import { withMfaState } from "../core/mfa";
import { step, UserRef } from "./step";

/** Options for `createUser`. */
export interface CreateUserOptions {
    /**
     * When the first try to create this user began (local ms). A caller that tries a create again (the
     * batch, after throttling) passes the first try's time, so a user an earlier try made is recognised.
     */
    firstTryAt?: number;
}

/** How far before the first try a user's creation time may fall and still be ours: the `Date` header has whole seconds. */
const CLOCK_TOLERANCE_MS = 1000;

/** The pool's password policy, read once per pool and service for the whole run. */
export async function poolPasswordPolicy(client: CognitoIdentityProviderClient, inputs: UserInputs, ref: UserRef): Promise<PasswordPolicy> {
    const connection = `${inputs.region}|${inputs.endpoint ?? ""}|${inputs.profile ?? ""}`;
    try {
        const facts = await step("DescribeUserPool", ref, () => describeUserPool(client, inputs.userPoolId, connection));
        return facts.passwordPolicy;
    } catch (error) {
        if (!isResourceNotFound(error)) throw error;
        throw poolNotFoundError({
            operation: "DescribeUserPool",
            username: inputs.username,
            userPoolId: inputs.userPoolId,
            where: describeConnection(inputs),
        });
    }
}

/** Raises VALIDATION_ERROR, before any write, when a declared password breaks the pool's policy. */
export function assertPasswordsMeetPolicy(
    declared: { password?: string; temporaryPassword?: string },
    policy: PasswordPolicy,
    who: string,
): void {
    const problems = declaredPasswordProblems(declared, policy, who);
    if (problems.length > 0) throw new CognitoUserError("VALIDATION_ERROR", problems.join(" "));
}

/** Creates the user and everything declared for it; returns its outputs. Leaves nothing behind on failure. */
export async function createUser(
    client: CognitoIdentityProviderClient,
    inputs: UserInputs,
    options: CreateUserOptions = {},
): Promise<UserOutputs> {
    const ref: UserRef = { userPoolId: inputs.userPoolId, username: inputs.username, secrets: [inputs.password, inputs.temporaryPassword] };
    const who = `user "${inputs.username}" in pool ${inputs.userPoolId}`;

    let permanentPassword = inputs.password;
    if (inputs.generatePassword || inputs.password !== undefined || inputs.temporaryPassword !== undefined) {
        const policy = await poolPasswordPolicy(client, inputs, ref);
        assertPasswordsMeetPolicy(inputs, policy, who);
        if (inputs.generatePassword) {
            permanentPassword = generatePassword(policy);
            ref.secrets!.push(permanentPassword);
        }
    }

    // Before any write: the pool allows the declared MFA and the app client can sign the user in.
    const mfa = await prepareMfa(client, {}, inputs, ref);

    const firstTryAt = options.firstTryAt ?? Date.now();
    let created: CognitoUserRecord;
    try {
        created = await sendCreate(client, inputs, ref, firstTryAt, options.firstTryAt !== undefined);
    } catch (error) {
        if (inputs.adoptExisting && (error as CognitoUserError).code === "USER_EXISTS") return adoptUser(client, inputs, permanentPassword);
        throw error;
    }
    // Every later call uses the Username Cognito assigned: in email-as-username pools it is a UUID
    // that survives email changes, and looking a user up by it never scans the pool.
    const canonical = created.username;

    // Each step is safe to repeat: a retry after a lost answer sets the same password, adds to a group
    // the user is already in, or disables a disabled user.
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
    let mfaState: MfaState | undefined;
    const subject = { inputs, cognitoUsername: canonical, password: permanentPassword, ref };
    followUps.push(...mfaFollowUps(client, mfa, subject, (state) => (mfaState = state)));
    if (!inputs.enabled) followUps.push(["AdminDisableUser", () => adminSetUserEnabled(client, inputs.userPoolId, canonical, false)]);

    for (const [operation, call] of followUps) {
        try {
            await step(operation, ref, call);
        } catch (error) {
            await rollBack(client, inputs, created, operation, error as Error, ref);
        }
    }

    return withMfaState(
        toUserOutputs(
            inputs,
            {
                ...created,
                enabled: inputs.enabled,
                status: permanentPassword !== undefined ? "CONFIRMED" : created.status,
                mfaSettingList: [],
            },
            inputs.groups,
            { password: permanentPassword, temporaryPassword: inputs.temporaryPassword, passwordManaged: true },
            inputs.attributes,
        ),
        mfaState,
    );
}

/**
 * `AdminCreateUser`, and when its outcome is uncertain, what Cognito really holds. The outcome is
 * uncertain when the SDK tried more than once (an earlier try may have been applied and its answer
 * lost), when no definite answer came (network failure, a 5xx, throttling to the end), or when the
 * caller tried before. Then the user under that name is ours if Cognito created it after the first try
 * began, with the attributes sent; a user that existed before is never taken: USER_EXISTS.
 */
async function sendCreate(
    client: CognitoIdentityProviderClient,
    inputs: UserInputs,
    ref: UserRef,
    firstTryAt: number,
    triedBefore: boolean,
): Promise<CognitoUserRecord> {
    try {
        const user = await adminCreateUser(client, {
            userPoolId: inputs.userPoolId,
            username: inputs.username,
            attributes: inputs.attributes,
            temporaryPassword: inputs.temporaryPassword,
            clientMetadata: inputs.clientMetadata,
            validationData: inputs.validationData,
            forceAliasCreation: inputs.forceAliasCreation,
        });
        return {
            username: user.Username!,
            attributes: fromAttributeList(user.Attributes),
            enabled: user.Enabled ?? true,
            status: user.UserStatus ?? "FORCE_CHANGE_PASSWORD",
            createdAt: user.UserCreateDate,
            lastModifiedAt: user.UserLastModifiedDate,
            mfaSettingList: [],
        };
    } catch (raw) {
        const error = translateCognitoError(raw, { operation: "AdminCreateUser", ...ref });
        const sdk = raw as { $fault?: string; $metadata?: { attempts?: number } };
        const exists = error.code === "USER_EXISTS";
        const definite = sdk.$fault === "client" && error.code !== "THROTTLED";
        const uncertain = triedBefore || (sdk.$metadata?.attempts ?? 1) > 1 || !definite;
        if (!uncertain || (definite && !exists)) throw exists ? userExistsError(inputs, undefined) : error;

        let found: CognitoUserRecord | undefined;
        try {
            found = await getUser(client, inputs, inputs.username, { operation: "AdminGetUser (after AdminCreateUser)" });
        } catch {
            throw new CognitoUserError(
                error.code,
                `${error.message.replace(/^\[[A-Z_]+\] /, "")} Whether the user was created could not be read either; ` +
                    `if it exists, adopt it with the resource option \`{ import: "${inputs.userPoolId}/${inputs.username}" }\`.`,
                { operation: "AdminCreateUser", cognitoName: error.cognitoName },
            );
        }
        if (!found) throw error; // not created: nothing is left behind
        if (isOwnUser(found, inputs, serverTimeOf(client, firstTryAt))) return found;
        throw userExistsError(inputs, found);
    }
}

/** Whether `user` is the one this create made: created after the first try began, with every attribute sent. */
function isOwnUser(user: CognitoUserRecord, inputs: UserInputs, firstTryServerMs: number): boolean {
    if (!user.createdAt || user.createdAt.getTime() < firstTryServerMs - CLOCK_TOLERANCE_MS) return false;
    return Object.entries(inputs.attributes).every(([name, value]) => {
        const actual = user.attributes[name];
        return name === "email" ? actual?.toLowerCase() === value.toLowerCase() : actual === value;
    });
}

/** USER_EXISTS, telling what is known: the user existed before this create, and the one safe way to manage it. */
function userExistsError(inputs: UserInputs, existing: CognitoUserRecord | undefined): CognitoUserError {
    const since = existing?.createdAt ? ` (created ${existing.createdAt.toISOString()})` : "";
    return new CognitoUserError(
        "USER_EXISTS",
        `AdminCreateUser failed for user "${inputs.username}" in pool ${inputs.userPoolId}: a user of that name already exists${since}, ` +
            "and this resource did not create it: it was there before this create began. Nothing was changed. " +
            `To manage that user with this resource, adopt it with the resource option \`{ import: "${inputs.userPoolId}/${inputs.username}" }\`; ` +
            "to create a new user, declare another username.",
        { operation: "AdminCreateUser", cognitoName: "UsernameExistsException" },
    );
}

/**
 * Brings an existing user with the same username to the declared state, as if it had been created now:
 * what `adoptExisting: true` asks for.
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

/**
 * Deletes the half-created user and raises an error naming the failed step; never returns. A user
 * already gone (a lost answer to the delete) counts as deleted: ROLLBACK_FAILED only when a user is
 * really left.
 */
async function rollBack(
    client: CognitoIdentityProviderClient,
    inputs: UserInputs,
    created: CognitoUserRecord,
    operation: string,
    cause: Error,
    ref: UserRef,
): Promise<never> {
    const canonical = created.username;
    const reason = (cause as CognitoUserError).toJSON?.().message ?? redact(cause.message, ref.secrets ?? []);
    try {
        await deleteUser(client, inputs, canonical, created.attributes.sub);
    } catch (deleteError) {
        const left = await getUser(client, inputs, canonical).then(
            (user) => user !== undefined,
            () => true,
        );
        if (left) {
            const why = redact((deleteError as Error).message, ref.secrets ?? []);
            throw new CognitoUserError(
                "ROLLBACK_FAILED",
                `creating user "${inputs.username}" in pool ${inputs.userPoolId} failed at ${operation}: ${reason} ` +
                    `Deleting the half-created user (Username ${canonical}) failed too: ${why}. Delete it by hand: ` +
                    `aws cognito-idp admin-delete-user --user-pool-id ${inputs.userPoolId} --username ${canonical}`,
                { operation },
            );
        }
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
