/**
 * Updating a user in place: only the calls the change needs, then a read back. Declared passwords are
 * checked against the pool's policy before anything is written; when a step still fails midway, the
 * error carries what was applied, so the state records it and the next `pulumi up` converges.
 */
import { describeConnection } from "../shared/cognito/connection";
import { planUserUpdate } from "../shared/diff";
import { CognitoUserError, translateCognitoError, urnText } from "../shared/errors";
import { CognitoGateway, ProvenUser, UserRef } from "../shared/cognito/gateway";
import { identityMismatchError } from "../shared/cognito/identityGate";
import { generatePassword } from "../shared/password";
import { assertPasswordsMeetPolicy, poolPasswordPolicy } from "../shared/cognito/poolPolicy";
import { UserInputs, UserOutputs } from "../shared/types";
import { proveRecordedUser, readBack } from "./read";
import { withMfaState } from "../shared/mfa";
import { applyMfa, unchangedMfaState } from "./mfa";
import { assertCanEnrol, prepareMfa } from "./mfaPrepare";

/**
 * An update that failed after changing Cognito: `applied` is the user as far as the update got (what
 * the state must record so the next diff sees what is left). Not enumerable: it holds passwords.
 */
export class PartialUpdateError extends CognitoUserError {
    declare readonly applied: UserOutputs;

    constructor(cause: CognitoUserError, applied: UserOutputs) {
        super(cause.code, cause.toJSON().message, { operation: cause.operation, cognitoName: cause.cognitoName });
        Object.defineProperty(this, "applied", { value: applied, enumerable: false });
    }
}

/**
 * The identity check an update begins with, before any write: one `AdminGetUser` at `news`' connection
 * proves it holds the very user recorded in `olds` (canonical Username and sub). `AdminUpdateUserAttributes`
 * and the others also accept alias values, and a name deleted and made again belongs to another user, so a
 * name alone could reach someone else. Raises otherwise, naming the way out, with nothing written: a user
 * is never re-pointed to a service that does not provably hold it, nor written to once another holds its name.
 */
export async function proveUpdateTarget(cognito: CognitoGateway, olds: UserOutputs, news: UserInputs, ref: UserRef): Promise<ProvenUser> {
    const moved = olds.region !== news.region || (olds.endpoint ?? undefined) !== (news.endpoint ?? undefined);
    const operation = "AdminGetUser (before the update)";
    const context = { ...news, accountId: olds.accountId };
    const verdict = await proveRecordedUser(cognito, context, olds, { operation, ref }).catch((error) => {
        if (moved) return undefined; // the new connection cannot even find the pool: it does not hold the user
        throw error;
    });
    if (verdict?.kind === "same") return verdict.proven;
    if (verdict?.kind === "takenOver")
        throw identityMismatchError({ ref, recorded: olds, foundSub: verdict.foundSub, operation: "update" });
    const who = `user "${olds.username}" (Username ${olds.cognitoUsername}, sub ${olds.sub})`;
    throw new CognitoUserError(
        "NOT_FOUND",
        moved
            ? `${who} was created at ${describeConnection(olds)}, and ${describeConnection(news)} does not hold it. ` +
                  "A user is never moved by a change of Region or endpoint, nor by AWS_REGION or AWS_ENDPOINT_URL* in the environment: " +
                  "restore the connection it was created with (declare `region` / `endpoint`, or unset the variables), " +
                  `or, to create it anew there, run \`pulumi up --replace ${urnText(news.resourceUrn)}\`. Nothing was changed.`
            : `${who} is no longer in pool ${olds.userPoolId}${verdict?.kind === "poolGone" ? ", which was deleted" : ""}: ` +
                  "run `pulumi refresh` (it drops the user from the state), then `pulumi up` to create it again. Nothing was changed.",
        { operation },
    );
}

/**
 * Applies the difference between the recorded outputs and the new inputs; returns the new outputs.
 * `proven`: the user as this operation already proved it (an adoption, a batch that proved its users in
 * pages); otherwise `proveUpdateTarget` proves it first, in one `AdminGetUser`.
 */
export async function updateUser(cognito: CognitoGateway, olds: UserOutputs, news: UserInputs, proven?: ProvenUser): Promise<UserOutputs> {
    const plan = planUserUpdate(olds, news);
    const username = olds.cognitoUsername;
    const pool = news.userPoolId;
    const secrets = [news.password, news.temporaryPassword, olds.password];
    const target =
        proven ??
        (await proveUpdateTarget(cognito, olds, news, { userPoolId: pool, username: news.username, resourceUrn: news.resourceUrn }));
    // The proof's ref collects every secret a later error must not show (the MFA steps add theirs).
    const user: UserRef = target.ref;
    user.secrets = [...(user.secrets ?? []), ...secrets];

    // Before any write: a declared password the pool would refuse fails the update with nothing changed.
    let password: string | undefined;
    if (plan.password.kind === "permanent" || plan.password.kind === "temporary") {
        const policy = await poolPasswordPolicy(cognito, news, user);
        const who = `user "${news.username}" in pool ${pool}`;
        if (plan.password.kind === "temporary") assertPasswordsMeetPolicy({ temporaryPassword: news.temporaryPassword }, policy, who);
        else if (plan.password.source === "declared") assertPasswordsMeetPolicy({ password: news.password }, policy, who);
        password = plan.password.kind === "permanent" ? (news.password ?? generatePassword(policy)) : undefined;
        if (password) user.secrets!.push(password);
    }

    // Before any write: the pool allows the declared MFA, the app client can sign the user in.
    const mfa = await prepareMfa(cognito, olds, news, user);
    assertCanEnrol(olds, news, mfa);

    // What Cognito holds so far: the connection (proven above) and each step as it succeeds.
    const applied: UserOutputs = {
        ...olds,
        region: news.region,
        endpoint: news.endpoint,
        profile: news.profile,
        maxAttempts: news.maxAttempts,
    };
    if (news.endpoint === undefined) delete applied.endpoint;
    if (news.profile === undefined) delete applied.profile;
    const run = async (call: () => Promise<void>, record: () => void) => {
        try {
            await call();
        } catch (error) {
            if (error instanceof CognitoUserError) throw new PartialUpdateError(error, { ...applied });
            throw error;
        }
        record();
    };

    const toWrite = withVerificationPairs(plan.attributes.toWrite, news.attributes);
    if (Object.keys(toWrite).length > 0) {
        await run(
            () => cognito.adminUpdateUserAttributes({ user: target, attributes: toWrite }),
            () => (applied.attributes = { ...applied.attributes, ...toWrite }),
        );
    }
    if (plan.attributes.toDelete.length > 0) {
        await run(
            () => cognito.adminDeleteUserAttributes({ user: target, names: plan.attributes.toDelete }),
            () =>
                (applied.attributes = Object.fromEntries(
                    Object.entries(applied.attributes).filter(([n]) => !plan.attributes.toDelete.includes(n)),
                )),
        );
    }
    if (plan.password.kind !== "keep") {
        const permanent = plan.password.kind === "permanent";
        const value = permanent ? password! : news.temporaryPassword!;
        await run(
            () => cognito.adminSetUserPassword({ user: target, password: value, permanent }),
            () => {
                Object.assign(applied, { password: permanent ? value : undefined, temporaryPassword: permanent ? undefined : value });
                Object.assign(applied, { passwordManaged: true, generatePassword: news.generatePassword });
            },
        );
    }
    for (const group of plan.groupsToAdd) {
        await run(
            () => cognito.adminAddUserToGroup({ user: target, group }),
            () => (applied.groups = [...new Set([...applied.groups, group])].sort()),
        );
    }
    for (const group of plan.groupsToRemove) {
        await run(
            () => cognito.adminRemoveUserFromGroup({ user: target, group }),
            () => (applied.groups = applied.groups.filter((g) => g !== group)),
        );
    }
    // MFA signs in as the user: after an enable, before a disable, with the password Cognito now has.
    let mfaState = unchangedMfaState(olds, news);
    const mfaStep = async () => {
        if (!mfa.plan.setPreference) return;
        const subject = { inputs: news, user: target, password: applied.password, knownSecret: olds.totpSecret };
        await run(
            async () => {
                try {
                    mfaState = await applyMfa(cognito, subject, mfa);
                } catch (error) {
                    throw translateCognitoError(error, {
                        operation: "MFA",
                        username: news.username,
                        userPoolId: pool,
                        secrets: user.secrets,
                    });
                }
            },
            () => withMfaState(applied, mfaState),
        );
    };
    if (plan.enable === false) await mfaStep();
    if (plan.enable !== undefined) {
        const enable = plan.enable;
        await run(
            () => (enable ? cognito.adminEnableUser({ user: target }) : cognito.adminDisableUser({ user: target })),
            () => (applied.enabled = enable),
        );
    }
    if (plan.enable !== false) await mfaStep();

    // A password is recorded only as the provider set it: it cannot be read back. Without a new one,
    // the declared one stands as recorded (an imported user's stays unrecorded until one is declared).
    const managed = applied.passwordManaged !== false;
    const kept =
        plan.password.kind !== "keep"
            ? { password: applied.password, temporaryPassword: applied.temporaryPassword }
            : {
                  password: managed ? (news.password ?? (news.generatePassword ? olds.password : undefined)) : undefined,
                  temporaryPassword: managed ? news.temporaryPassword : undefined,
              };
    const recorded = withMfaState({ ...olds, attributes: news.attributes, ...kept, passwordManaged: managed }, mfaState);
    const after = await proveRecordedUser(cognito, { ...news, accountId: olds.accountId }, olds, {
        operation: "AdminGetUser (after the update)",
        ref: user,
    });
    if (after.kind === "takenOver")
        throw identityMismatchError({ ref: user, recorded: olds, foundSub: after.foundSub, operation: "update (reading back)" });
    const outputs = after.kind === "same" ? await readBack(cognito, news, after.record, recorded) : undefined;
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
