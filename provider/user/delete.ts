/**
 * Deleting a user, by its recorded canonical Username at the service recorded for it, after the
 * identity check proved it is that very user (Username and sub). A user Cognito answers is not there
 * counts as deleted (a retry after a lost answer lands here), and so does one whose pool is proven
 * deleted; a Username another user now holds is never deleted: IDENTITY_MISMATCH.
 */
import { isUserNotFound } from "../shared/errors";
import { CognitoGateway, ProvenUser, RecordedIdentity } from "../shared/cognito/gateway";
import { identityMismatchError } from "../shared/cognito/identityGate";
import { proveRecordedUser, ReadContext } from "./read";

/**
 * Deletes the recorded user; succeeds when it is already gone. `proven`: the user as this operation
 * already proved it (a rollback of its own create, a batch that proved its users in pages); otherwise
 * proved here, in one `AdminGetUser`.
 */
export async function deleteUser(
    cognito: CognitoGateway,
    context: ReadContext,
    recorded: RecordedIdentity,
    proven?: ProvenUser,
): Promise<void> {
    let user = proven;
    if (!user) {
        const verdict = await proveRecordedUser(cognito, context, recorded, { operation: "AdminGetUser (before AdminDeleteUser)" });
        if (verdict.kind === "gone" || verdict.kind === "poolGone") return;
        if (verdict.kind === "takenOver") {
            const ref = { userPoolId: context.userPoolId, username: context.username, resourceUrn: context.resourceUrn };
            throw identityMismatchError({ ref, recorded, foundSub: verdict.foundSub, operation: "AdminDeleteUser" });
        }
        user = verdict.proven;
    }
    try {
        await cognito.adminDeleteUser({ user });
    } catch (error) {
        if (isUserNotFound(error)) return;
        throw error;
    }
}
