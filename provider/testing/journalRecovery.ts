/**
 * Removing the users a killed run left in a pool of the caller's, from its journal (./journal.ts), with
 * the provider's own delete and identity checks. A user whose create answered is deleted only once
 * proven by its recorded Username and sub; one whose create never answered (the kill came first) only
 * when it is recognised the way the provider's create recognises its own interrupted create: created
 * after the journaled start, with the attributes sent. Anything else is left alone, with a warning.
 */
import { CognitoUserError, isUserNotFound } from "../shared/errors";
import { CognitoGateway, openCognitoGateway } from "../shared/cognito/gateway";
import { DEFAULT_MAX_ATTEMPTS } from "../shared/types";
import { isOwnUser } from "../user/create";
import { deleteUser } from "../user/delete";
import { errorText } from "./declaration";
import { appendJournal, JournaledUser, journaledUsers, readJournal } from "./journal";

/** What recovering one dead run's journal did. */
export interface JournalRecoveryResult {
    /** Users deleted (or found already gone). */
    removed: number;
    /** Users left alone because they could not be proven the run's own: each also warned about. */
    leftAlone: string[];
}

/**
 * Deletes the users the journal in `runDir` says a dead run created and did not delete. Each deleted one
 * is journaled, so a recovery cut short resumes where it stopped.
 *
 * @throws when a user could not be reached or deleted: the run stays for a later attempt.
 */
export async function recoverJournaledUsers(runDir: string, log: (line: string) => void): Promise<JournalRecoveryResult> {
    const result: JournalRecoveryResult = { removed: 0, leftAlone: [] };
    const gateways = new Map<string, CognitoGateway>();
    const problems: string[] = [];
    try {
        for (const user of journaledUsers(readJournal(runDir)).values()) {
            if (user.deleted) continue;
            const { connection } = user.creating;
            const where = JSON.stringify(connection);
            let cognito = gateways.get(where);
            if (!cognito) {
                cognito = openCognitoGateway({ ...connection, maxAttempts: DEFAULT_MAX_ATTEMPTS });
                gateways.set(where, cognito);
            }
            try {
                const outcome = await recoverUser(cognito, user);
                if (outcome === "removed") {
                    appendJournal(runDir, { kind: "deleted", key: user.creating.key });
                    result.removed++;
                    log(
                        `deleted user "${user.creating.key}" (${user.creating.username}) of a dead run from pool ${user.creating.userPoolId}`,
                    );
                } else {
                    result.leftAlone.push(user.creating.username);
                    console.warn(`cognitoFixture: ${outcome}`);
                }
            } catch (error) {
                problems.push(
                    `user "${user.creating.key}" (${user.creating.username}) in pool ${user.creating.userPoolId}: ${errorText(error)}`,
                );
            }
        }
    } finally {
        for (const cognito of gateways.values()) cognito.destroy();
    }
    if (problems.length > 0) throw new Error(`deleting the dead run's users failed: ${problems.join("; ")}`);
    return result;
}

/** Deletes one journaled user when it is proven the run's own: "removed", or why it was left alone. */
async function recoverUser(cognito: CognitoGateway, user: JournaledUser): Promise<"removed" | string> {
    const { creating, created } = user;
    const context = { ...creating.connection, userPoolId: creating.userPoolId, username: creating.username };
    if (created) {
        // The provider's delete: proves Username and sub first; a user gone (or its pool deleted) counts as deleted.
        try {
            await deleteUser(cognito, context, { cognitoUsername: created.cognitoUsername, sub: created.sub });
        } catch (error) {
            if ((error as CognitoUserError).code !== "IDENTITY_MISMATCH") throw error;
            // The run's user is gone and another user holds the name now: that user is not ours to delete.
            return `user "${creating.key}" (${creating.username}) in pool ${creating.userPoolId}: ${(error as CognitoUserError).toJSON().message}`;
        }
        return "removed";
    }
    // The create's answer was never read: the user may or may not exist, and the name may be someone else's.
    const ref = { userPoolId: creating.userPoolId, username: creating.username };
    let found;
    try {
        found = await cognito.adminGetUser({ user: ref, username: creating.username, operation: "AdminGetUser (recover a dead run)" });
    } catch (error) {
        if (isUserNotFound(error)) return "removed"; // never created
        throw error;
    }
    if (!isOwnUser(found, creating, cognito.serverTime(creating.startedAt))) {
        return (
            `user "${creating.key}" (${creating.username}) in pool ${creating.userPoolId}: a dead fixture run was creating it when it died, ` +
            `but the user there was not created by that run (created ${found.createdAt?.toISOString() ?? "at an unknown time"}, ` +
            `the run started ${new Date(creating.startedAt).toISOString()}), so it is left alone; delete it by hand if it is a leftover`
        );
    }
    const verdict = cognito.identify(found, { cognitoUsername: found.username, sub: found.attributes.sub }, ref);
    if (verdict.kind !== "same") return "removed";
    await deleteUser(cognito, context, { cognitoUsername: verdict.proven.cognitoUsername, sub: verdict.proven.sub }, verdict.proven);
    return "removed";
}
