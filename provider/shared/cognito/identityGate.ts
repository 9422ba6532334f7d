/**
 * The identity gate's rule, pure: whether a user Cognito reported is the very user the state recorded
 * (the same canonical Username and the same sub), and the error when the recorded Username now belongs
 * to another user. The gateway (./gatewayBase.ts) applies the rule to its own answers and is the only
 * maker of the `ProvenUser` every write demands; nothing here calls Cognito.
 */
import { CognitoUserError, urnText } from "../errors";

declare const provenBrand: unique symbol;

/** Who a call is about, for its errors: the pool, the name the program knows the user by, and values no error may show. */
export interface UserRef {
    userPoolId: string;
    /** The name the program knows the user by (the declared username). */
    username: string;
    /** Values that must never appear in an error. */
    secrets?: Array<string | undefined>;
    /** The resource's URN, when known: named by errors whose way out is a command that needs it. */
    resourceUrn?: string;
}

/**
 * A user whose identity Cognito confirmed in this operation, through the gateway that will write to it:
 * its canonical Username and its sub, as one of that gateway's answers reported them. The gateway's
 * write methods take nothing else, and only the gateway makes one (from an answer it received), so no
 * code path can write to a user it has not proven to be the recorded one.
 */
export interface ProvenUser {
    readonly [provenBrand]: true;
    /** Who the user is, for errors. */
    readonly ref: UserRef;
    /** The canonical Username Cognito confirmed: every write names the user by it. */
    readonly cognitoUsername: string;
    /** The sub Cognito confirmed. */
    readonly sub: string;
}

/** What the state knows of a user's identity. */
export interface RecordedIdentity {
    /** The canonical Username recorded at create. */
    cognitoUsername: string;
    /** The sub recorded at create; absent only for a user being adopted, whose sub is what Cognito reports. */
    sub?: string;
}

/** How a user Cognito reported compares with the recorded one. */
export type IdentityJudgement =
    /** The very user: the same canonical Username and sub. */
    | { kind: "same" }
    /** No user has the recorded Username (or the name resolved, as an alias, to another user's Username). */
    | { kind: "gone" }
    /** A user has the recorded Username, but another sub: the recorded user was deleted and the name taken again. */
    | { kind: "takenOver"; foundSub: string };

/** The judgement on `found` (Cognito's user under the recorded Username, undefined when it has none). */
export function judgeIdentity(
    found: { username: string; attributes: Record<string, string> } | undefined,
    recorded: RecordedIdentity,
): IdentityJudgement {
    if (!found || found.username !== recorded.cognitoUsername) return { kind: "gone" };
    const sub = found.attributes.sub;
    if (recorded.sub && sub && sub !== recorded.sub) return { kind: "takenOver", foundSub: sub };
    return { kind: "same" };
}

/** A recorded user whose Username another user now holds, as an error or a refresh's warning tells it. */
export interface TakenOver {
    /** The user as the program knows it, with the resource's URN when recorded. */
    ref: UserRef;
    recorded: RecordedIdentity;
    /** The sub of the user that now holds the Username. */
    foundSub: string;
    /** A member of a batch: its way out is the batch's. */
    batch?: boolean;
}

/** `user "tina" (resource <urn>) in pool <id>: the username tina now belongs to another user (sub B); the recorded user (sub A) is gone`. */
function takenOverFacts({ ref, recorded, foundSub }: TakenOver): string {
    const resource = ref.resourceUrn ? ` (resource ${ref.resourceUrn})` : "";
    return (
        `user "${ref.username}"${resource} in pool ${ref.userPoolId}: the username ${recorded.cognitoUsername} ` +
        `now belongs to another user (sub ${foundSub}); the recorded user (sub ${recorded.sub}) is gone`
    );
}

/** What to do after the refresh that drops such a user. */
function afterTheDrop({ ref, recorded, batch }: TakenOver): string {
    return batch
        ? "declare another username for it, or remove it from the declaration (to manage the user that now holds the name, " +
              "set `adoptExisting: true`, only if that user is in fact yours)."
        : "declare another username to create a new user, or, only if the user that now holds the name is in fact yours, " +
              `adopt it with the resource option \`{ import: "${ref.userPoolId}/${recorded.cognitoUsername}" }\`.`;
}

/**
 * The error for a recorded user whose Username another user now holds: names the resource, the user,
 * both subs and the ways out; nothing was written.
 */
export function identityMismatchError(context: TakenOver & { operation: string }): CognitoUserError {
    const drop = context.batch
        ? "`pulumi refresh` drops it from this batch"
        : `\`pulumi refresh\` drops this resource from the state (or \`pulumi state delete ${urnText(context.ref.resourceUrn)}\`)`;
    return new CognitoUserError(
        "IDENTITY_MISMATCH",
        `${context.operation} refused for ${takenOverFacts(context)}. Nothing was written to either. Way out: ${drop}; then ${afterTheDrop(context)}`,
        { operation: context.operation },
    );
}

/** The warning of a refresh that drops such a user, saying the same. */
export function takenOverWarning(context: TakenOver): string {
    const from = context.batch ? "from the batch" : "from the state";
    return `${takenOverFacts(context)}. The refresh drops it ${from} and leaves the other user alone; ${afterTheDrop(context)}`;
}
