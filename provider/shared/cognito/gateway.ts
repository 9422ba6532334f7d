/**
 * The one way to Cognito: a gateway per connection with one method per operation the provider calls,
 * named requests in and out. Every failure leaves it as a `CognitoUserError` naming the operation, the
 * user and the pool, with every secret of the request redacted (`translateCognitoError`); the SDK's
 * `$fault` and attempt count stay on it for a create that must judge an uncertain outcome.
 *
 * Every write names its user by a `ProvenUser`: the identity gate (`identify` in ./gatewayBase.ts) makes
 * one only from a user this operation's own answers reported as the recorded one, so no write can
 * reach a user the provider has not proven to be its own.
 *
 * This file holds the operations on one user; the pool's reads are in ./gatewayPool.ts, the sign-in and
 * MFA operations in ./gatewaySignIn.ts, how a call runs and the gate in ./gatewayBase.ts.
 */
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserAttributesCommand,
    AdminDeleteUserCommand,
    AdminDisableUserCommand,
    AdminEnableUserCommand,
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    AdminRemoveUserFromGroupCommand,
    AdminSetUserPasswordCommand,
    AdminUpdateUserAttributesCommand,
    AttributeType,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { Connection, createCognitoClient } from "./connection";
import { CognitoUserRecord, ProvenUser, UserRequest } from "./gatewayBase";
import { CognitoPool, fromAttributeList, fromUserType } from "./gatewayPool";
import { UserInputs } from "../types";

export type { CognitoUserRecord, IdentityVerdict, ProvenUser, RecordedIdentity, UserRef, UserRequest } from "./gatewayBase";
export { forgetPoolFacts, LIST_PAGE_SIZE } from "./gatewayPool";
export type { ListPage, PoolFacts } from "./gatewayPool";

/** What `adminCreateUser` sends besides the name, as the user's inputs hold it; `MessageAction` is always `SUPPRESS`. */
export type CreateUserRequest = UserRequest &
    Pick<UserInputs, "attributes" | "temporaryPassword" | "clientMetadata" | "validationData" | "forceAliasCreation">;

/** A gateway on a new client for `connection` (adaptive retry, the server clock, no endpoint from the environment). */
export function openCognitoGateway(connection: Connection): CognitoGateway {
    return new CognitoGateway(createCognitoClient(connection), connection);
}

/**
 * Cognito, as the provider calls it: one method per operation, on a client for one connection. Made per
 * provider call, never at module scope.
 */
export class CognitoGateway extends CognitoPool {
    /**
     * @param client the SDK client every call goes through
     * @param connection where it points
     * @param sameOperationAs a gateway of the same operation whose identity proofs this one accepts
     */
    constructor(client: CognitoIdentityProviderClient, connection: Connection, sameOperationAs?: CognitoGateway) {
        super(client, connection, sameOperationAs);
    }

    /** A twin making a single attempt per call, in the same operation (it writes with this gateway's proofs). */
    singleAttempt(): CognitoGateway {
        const connection = { ...this.connection, maxAttempts: 1 };
        return new CognitoGateway(createCognitoClient(connection), connection, this);
    }

    /**
     * `AdminCreateUser` with `MessageAction=SUPPRESS`: Cognito sends no email and no SMS, ever. The new
     * user is one of Cognito's answers to this operation: `identify` proves it from the record.
     */
    adminCreateUser(request: CreateUserRequest): Promise<CognitoUserRecord> {
        return this.call("AdminCreateUser", request.user, [request.temporaryPassword], async () => {
            const { User: user } = await this.client.send(
                new AdminCreateUserCommand({
                    UserPoolId: request.user.userPoolId,
                    Username: request.username,
                    UserAttributes: toAttributeList(request.attributes),
                    MessageAction: "SUPPRESS",
                    TemporaryPassword: request.temporaryPassword,
                    ClientMetadata: request.clientMetadata,
                    ValidationData: request.validationData ? toAttributeList(request.validationData) : undefined,
                    ForceAliasCreation: request.forceAliasCreation,
                }),
            );
            if (!user?.Username) throw new Error("AdminCreateUser returned no user");
            return this.received({ ...fromUserType(user), status: user.UserStatus ?? "FORCE_CHANGE_PASSWORD" });
        });
    }

    /**
     * `AdminGetUser`: by Username, or by an alias (email, phone, preferred_username) where the pool has
     * aliases. `operation` names the call in errors when it has a purpose to tell (`AdminGetUser (before the update)`).
     */
    adminGetUser(request: UserRequest & { operation?: string }): Promise<CognitoUserRecord> {
        return this.call(request.operation ?? "AdminGetUser", request.user, [], async () => {
            const r = await this.client.send(new AdminGetUserCommand(this.userInput(request)));
            return this.received({
                username: r.Username ?? request.username,
                attributes: fromAttributeList(r.UserAttributes),
                enabled: r.Enabled ?? true,
                status: r.UserStatus ?? "UNKNOWN",
                createdAt: r.UserCreateDate,
                lastModifiedAt: r.UserLastModifiedDate,
                preferredMfaSetting: r.PreferredMfaSetting,
                mfaSettingList: r.UserMFASettingList ?? [],
            });
        });
    }

    /** `AdminListGroupsForUser`, every page; group names sorted. */
    adminListGroupsForUser(request: UserRequest): Promise<string[]> {
        return this.call("AdminListGroupsForUser", request.user, [], async () => {
            const groups: string[] = [];
            let nextToken: string | undefined;
            do {
                const r = await this.client.send(
                    new AdminListGroupsForUserCommand({ ...this.userInput(request), NextToken: nextToken, Limit: 60 }),
                );
                for (const g of r.Groups ?? []) if (g.GroupName) groups.push(g.GroupName);
                nextToken = r.NextToken;
            } while (nextToken);
            return groups.sort();
        });
    }

    /** `AdminDeleteUser`. */
    async adminDeleteUser(request: { user: ProvenUser }): Promise<void> {
        const input = this.writeTarget(request.user);
        await this.call("AdminDeleteUser", request.user.ref, [], () => this.client.send(new AdminDeleteUserCommand(input)));
    }

    /** `AdminSetUserPassword`: permanent makes the user CONFIRMED, temporary FORCE_CHANGE_PASSWORD. */
    async adminSetUserPassword(request: { user: ProvenUser; password: string; permanent: boolean }): Promise<void> {
        const input = { ...this.writeTarget(request.user), Password: request.password, Permanent: request.permanent };
        await this.call("AdminSetUserPassword", request.user.ref, [request.password], () =>
            this.client.send(new AdminSetUserPasswordCommand(input)),
        );
    }

    /** `AdminUpdateUserAttributes` for added and changed attributes. */
    async adminUpdateUserAttributes(request: { user: ProvenUser; attributes: Record<string, string> }): Promise<void> {
        const input = { ...this.writeTarget(request.user), UserAttributes: toAttributeList(request.attributes) };
        await this.call("AdminUpdateUserAttributes", request.user.ref, [], () =>
            this.client.send(new AdminUpdateUserAttributesCommand(input)),
        );
    }

    /** `AdminDeleteUserAttributes` for removed attributes. */
    async adminDeleteUserAttributes(request: { user: ProvenUser; names: string[] }): Promise<void> {
        const input = { ...this.writeTarget(request.user), UserAttributeNames: request.names };
        await this.call("AdminDeleteUserAttributes", request.user.ref, [], () =>
            this.client.send(new AdminDeleteUserAttributesCommand(input)),
        );
    }

    /** `AdminEnableUser`. */
    async adminEnableUser(request: { user: ProvenUser }): Promise<void> {
        const input = this.writeTarget(request.user);
        await this.call("AdminEnableUser", request.user.ref, [], () => this.client.send(new AdminEnableUserCommand(input)));
    }

    /** `AdminDisableUser`. */
    async adminDisableUser(request: { user: ProvenUser }): Promise<void> {
        const input = this.writeTarget(request.user);
        await this.call("AdminDisableUser", request.user.ref, [], () => this.client.send(new AdminDisableUserCommand(input)));
    }

    /** `AdminAddUserToGroup`; errors name the group: `AdminAddUserToGroup(admins)`. */
    async adminAddUserToGroup(request: { user: ProvenUser; group: string }): Promise<void> {
        const input = { ...this.writeTarget(request.user), GroupName: request.group };
        await this.call(`AdminAddUserToGroup(${request.group})`, request.user.ref, [], () =>
            this.client.send(new AdminAddUserToGroupCommand(input)),
        );
    }

    /** `AdminRemoveUserFromGroup`; errors name the group. */
    async adminRemoveUserFromGroup(request: { user: ProvenUser; group: string }): Promise<void> {
        const input = { ...this.writeTarget(request.user), GroupName: request.group };
        await this.call(`AdminRemoveUserFromGroup(${request.group})`, request.user.ref, [], () =>
            this.client.send(new AdminRemoveUserFromGroupCommand(input)),
        );
    }
}

/** `{ name: value }` as Cognito's `[{ Name, Value }]`. */
function toAttributeList(attributes: Record<string, string>): AttributeType[] {
    return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}
