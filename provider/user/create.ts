/**
 * Creating a user, all or nothing: the declared passwords checked against the pool's policy, then
 * `AdminCreateUser` (SUPPRESS), the password, the groups and the disable. If any step after the user
 * exists fails, the user is deleted again. A create recognises its own work: when the answer to
 * `AdminCreateUser` was lost and a retry meets the user, that user is finished, not refused.
 */
import { CognitoUserError, redact, translateCognitoError } from "../shared/errors";
import { CognitoGateway, CognitoUserRecord, ProvenUser, UserRef } from "../shared/cognito/gateway";
import { generatePassword } from "../shared/password";
import { assertPasswordsMeetPolicy, poolPasswordPolicy } from "../shared/cognito/poolPolicy";
import { UserInputs, UserOutputs } from "../shared/types";
import { deleteUser } from "./delete";
import { convergeExistingUser } from "./import";
import { toUserOutputs } from "./outputs";
import { getUser, poolAccount, readBack } from "./read";
import { withMfaState } from "../shared/mfa";
import { mfaFollowUps, MfaState } from "./mfa";
import { prepareMfa } from "./mfaPrepare";

/** Options for `createUser`. */
export interface CreateUserOptions {
    /**
     * When the first try to create this user began (local ms). A caller that tries a create again (the
     * batch, after throttling) passes the first try's time, so a user an earlier try made is recognised.
     */
    firstTryAt?: number;
    /**
     * Called once Cognito's answer proved the new user, before any other write: a caller that journals
     * its creates (the test fixtures) records the identity a later cleanup proves, even if its process
     * is killed during the steps that follow.
     */
    onCreated?: (identity: { cognitoUsername: string; sub: string }) => void;
}

/** How far before the first try a user's creation time may fall and still be ours: the `Date` header has whole seconds. */
const CLOCK_TOLERANCE_MS = 1000;

/** Creates the user and everything declared for it; returns its outputs. Leaves nothing behind on failure. */
export async function createUser(cognito: CognitoGateway, inputs: UserInputs, options: CreateUserOptions = {}): Promise<UserOutputs> {
    const user: UserRef = {
        userPoolId: inputs.userPoolId,
        username: inputs.username,
        secrets: [inputs.password, inputs.temporaryPassword],
        resourceUrn: inputs.resourceUrn,
    };
    const who = `user "${inputs.username}" in pool ${inputs.userPoolId}`;

    let permanentPassword = inputs.password;
    if (inputs.generatePassword || inputs.password !== undefined || inputs.temporaryPassword !== undefined) {
        const policy = await poolPasswordPolicy(cognito, inputs, user);
        assertPasswordsMeetPolicy(inputs, policy, who);
        if (inputs.generatePassword) {
            permanentPassword = generatePassword(policy);
            user.secrets!.push(permanentPassword);
        }
    }

    // Before any write: the pool allows the declared MFA and the app client can sign the user in.
    const mfa = await prepareMfa(cognito, {}, inputs, user);

    const firstTryAt = options.firstTryAt ?? Date.now();
    let created: CognitoUserRecord;
    try {
        created = await sendCreate(cognito, inputs, user, firstTryAt, options.firstTryAt !== undefined);
    } catch (error) {
        if (inputs.adoptExisting && (error as CognitoUserError).code === "USER_EXISTS")
            return adoptUser(cognito, inputs, permanentPassword);
        throw error;
    }
    // Every later call uses the Username Cognito assigned: in email-as-username pools it is a UUID
    // that survives email changes, and looking a user up by it never scans the pool. Cognito's answer
    // (or, after a lost answer, the user recognised as this create's own) is the proof writes need.
    const verdict = cognito.identify(created, { cognitoUsername: created.username, sub: created.attributes.sub }, user);
    if (verdict.kind !== "same") throw new CognitoUserError("COGNITO_ERROR", `AdminCreateUser answered no user for "${inputs.username}".`);
    const proven = verdict.proven;
    options.onCreated?.({ cognitoUsername: proven.cognitoUsername, sub: proven.sub });

    // Each step is safe to repeat: a retry after a lost answer sets the same password, adds to a group
    // the user is already in, or disables a disabled user.
    const followUps: Array<[string, () => Promise<void>]> = [];
    const password = permanentPassword;
    if (password !== undefined) {
        followUps.push(["AdminSetUserPassword", () => cognito.adminSetUserPassword({ user: proven, password, permanent: true })]);
    }
    for (const group of inputs.groups) {
        followUps.push([`AdminAddUserToGroup(${group})`, () => cognito.adminAddUserToGroup({ user: proven, group })]);
    }
    let mfaState: MfaState | undefined;
    const subject = { inputs, user: proven, password: permanentPassword };
    followUps.push(...mfaFollowUps(cognito, mfa, subject, (state) => (mfaState = state)));
    if (!inputs.enabled) followUps.push(["AdminDisableUser", () => cognito.adminDisableUser({ user: proven })]);

    for (const [operation, call] of followUps) {
        try {
            await call();
        } catch (error) {
            // A gateway error names its call already; a step of several calls (MFA) is named here.
            const failure = translateCognitoError(error, {
                operation,
                username: inputs.username,
                userPoolId: inputs.userPoolId,
                secrets: user.secrets,
            });
            await rollBack(cognito, inputs, proven, operation, failure);
        }
    }

    const accountId = await poolAccount(cognito, inputs);
    const outputs = withMfaState(
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
    return accountId ? { ...outputs, accountId } : outputs;
}

/**
 * `AdminCreateUser`, and when its outcome is uncertain, what Cognito really holds. The outcome is
 * uncertain when the SDK tried more than once (an earlier try may have been applied and its answer
 * lost), when no definite answer came (network failure, a 5xx, throttling to the end), or when the
 * caller tried before. Then the user under that name is ours if Cognito created it after the first try
 * began, with the attributes sent; a user that existed before is never taken: USER_EXISTS.
 */
async function sendCreate(
    cognito: CognitoGateway,
    inputs: UserInputs,
    user: UserRef,
    firstTryAt: number,
    triedBefore: boolean,
): Promise<CognitoUserRecord> {
    try {
        return await cognito.adminCreateUser({
            user,
            username: inputs.username,
            attributes: inputs.attributes,
            temporaryPassword: inputs.temporaryPassword,
            clientMetadata: inputs.clientMetadata,
            validationData: inputs.validationData,
            forceAliasCreation: inputs.forceAliasCreation,
        });
    } catch (failure) {
        const error = failure as CognitoUserError;
        const exists = error.code === "USER_EXISTS";
        const definite = error.sdk?.fault === "client" && error.code !== "THROTTLED";
        const uncertain = triedBefore || (error.sdk?.attempts ?? 1) > 1 || !definite;
        if (!uncertain || (definite && !exists)) throw exists ? userExistsError(inputs, undefined) : error;

        let found: CognitoUserRecord | undefined;
        try {
            found = await getUser(cognito, inputs, inputs.username, { operation: "AdminGetUser (after AdminCreateUser)" });
        } catch {
            throw new CognitoUserError(
                error.code,
                `${error.message.replace(/^\[[A-Z_]+\] /, "")} Whether the user was created could not be read either; ` +
                    `if it exists, adopt it with the resource option \`{ import: "${inputs.userPoolId}/${inputs.username}" }\`.`,
                { operation: "AdminCreateUser", cognitoName: error.cognitoName },
            );
        }
        if (!found) throw error; // not created: nothing is left behind
        if (isOwnUser(found, inputs, cognito.serverTime(firstTryAt))) return found;
        throw userExistsError(inputs, found);
    }
}

/**
 * Whether `user` is the one this create made: created after the first try began, with every attribute
 * sent. Also how the test fixtures' crash recovery recognises a user whose create a killed run journaled
 * but never saw answered (../testing/journalRecovery.ts).
 */
export function isOwnUser(user: CognitoUserRecord, inputs: Pick<UserInputs, "attributes">, firstTryServerMs: number): boolean {
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
async function adoptUser(cognito: CognitoGateway, inputs: UserInputs, permanentPassword: string | undefined): Promise<UserOutputs> {
    // The user of that very Username (not one an alias names), proven as it is now: adoption was asked for.
    const found = await getUser(cognito, inputs, inputs.username, { operation: "AdminGetUser (to adopt)" });
    const verdict = cognito.identify(
        found,
        { cognitoUsername: inputs.username },
        { userPoolId: inputs.userPoolId, username: inputs.username, resourceUrn: inputs.resourceUrn },
    );
    if (verdict.kind !== "same")
        throw new CognitoUserError(
            "NOT_FOUND",
            `user "${inputs.username}" was reported to exist in pool ${inputs.userPoolId} but no user has that Username.`,
        );
    // Read it as an adopted user whose password is managed, so the declared password is set as well.
    const existing = await readBack(cognito, inputs, verdict.record);
    // A generated password is made once here; update must set it, not generate another.
    const declared = inputs.generatePassword ? { ...inputs, generatePassword: false, password: permanentPassword } : inputs;
    const outputs = await convergeExistingUser(
        cognito,
        existing,
        declared,
        { passwordManaged: true, password: undefined, temporaryPassword: undefined, generatePassword: false },
        verdict.proven,
    );
    return { ...outputs, generatePassword: inputs.generatePassword };
}

/**
 * Deletes the half-created user and raises an error naming the failed step; never returns. A user
 * already gone (a lost answer to the delete) counts as deleted: ROLLBACK_FAILED only when a user is
 * really left.
 */
async function rollBack(cognito: CognitoGateway, inputs: UserInputs, created: ProvenUser, operation: string, cause: Error): Promise<never> {
    const user = created.ref;
    const canonical = created.cognitoUsername;
    const reason = (cause as CognitoUserError).toJSON?.().message ?? redact(cause.message, user.secrets ?? []);
    try {
        await deleteUser(cognito, inputs, { cognitoUsername: canonical, sub: created.sub }, created);
    } catch (deleteError) {
        const left = await getUser(cognito, inputs, canonical).then(
            (found) => found !== undefined,
            () => true,
        );
        if (left) {
            const why = redact((deleteError as Error).message, user.secrets ?? []);
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
