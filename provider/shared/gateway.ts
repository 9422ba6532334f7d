/**
 * The one way to Cognito: a gateway per connection with one method per operation the provider calls,
 * named requests in and out. Every failure leaves it as a `CognitoUserError` naming the operation, the
 * user and the pool, with every secret of the request redacted (`translateCognitoError`); the SDK's
 * `$fault` and attempt count stay on it for a create that must judge an uncertain outcome.
 *
 * This file holds the operations on users and pools; the sign-in and MFA operations are in
 * ./gatewaySignIn.ts, how a call runs (errors, caching) in ./gatewayBase.ts.
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
    DescribeUserPoolCommand,
    ListGroupsCommand,
    ListUsersCommand,
    ListUsersInGroupCommand,
    UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { Connection, createCognitoClient } from "./connection";
import { UserRef, UserRequest } from "./gatewayBase";
import { CognitoSignIn } from "./gatewaySignIn";
import { PasswordPolicy, passwordPolicyFromCognito } from "./password";
import { UserInputs } from "./types";

export type { UserRef, UserRequest } from "./gatewayBase";

/** A user as Cognito reports it. */
export interface CognitoUserRecord {
    /** The canonical Username. */
    username: string;
    attributes: Record<string, string>;
    enabled: boolean;
    status: string;
    createdAt?: Date;
    lastModifiedAt?: Date;
    preferredMfaSetting?: string;
    mfaSettingList: string[];
}

/** What `adminCreateUser` sends besides the name, as the user's inputs hold it; `MessageAction` is always `SUPPRESS`. */
export type CreateUserRequest = UserRequest &
    Pick<UserInputs, "attributes" | "temporaryPassword" | "clientMetadata" | "validationData" | "forceAliasCreation">;

/** What the provider needs to know about a pool before it writes a user: from `DescribeUserPool`. */
export interface PoolFacts {
    /** The password policy every declared password is checked against before any write. */
    passwordPolicy: PasswordPolicy;
    /** `UsernameAttributes`: `email` and / or `phone_number` when users sign in with them instead of a username. */
    usernameAttributes: string[];
    /** `AliasAttributes`: attributes a user may also sign in with, besides the username. */
    aliasAttributes: string[];
    /** `EstimatedNumberOfUsers`: how many users the pool holds, roughly (what a scan of the pool costs). */
    estimatedNumberOfUsers?: number;
}

/** One page of a listing: its items and the token of the next page (absent on the last). */
export interface ListPage<T> {
    items: T[];
    nextToken?: string;
}

/** The most items one page of `ListUsers`, `ListUsersInGroup` or `ListGroups` holds. */
export const LIST_PAGE_SIZE = 60;

/** One read per pool and connection for the life of the process (one `pulumi up`): the facts do not change mid-run. */
const poolFacts = new Map<string, Promise<PoolFacts>>();

/** Forgets every pool's facts: for tests that give one pool id different answers. */
export function forgetPoolFacts(): void {
    poolFacts.clear();
}

/** A gateway on a new client for `connection` (adaptive retry, the server clock, no endpoint from the environment). */
export function openCognitoGateway(connection: Connection): CognitoGateway {
    return new CognitoGateway(createCognitoClient(connection), connection);
}

/**
 * Cognito, as the provider calls it: one method per operation, on a client for one connection. Made per
 * provider call, never at module scope.
 */
export class CognitoGateway extends CognitoSignIn {
    /** `AdminCreateUser` with `MessageAction=SUPPRESS`: Cognito sends no email and no SMS, ever. */
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
            return { ...fromUserType(user), status: user.UserStatus ?? "FORCE_CHANGE_PASSWORD" };
        });
    }

    /**
     * `AdminGetUser`: by Username, or by an alias (email, phone, preferred_username) where the pool has
     * aliases. `operation` names the call in errors when it has a purpose to tell (`AdminGetUser (before the update)`).
     */
    adminGetUser(request: UserRequest & { operation?: string }): Promise<CognitoUserRecord> {
        return this.call(request.operation ?? "AdminGetUser", request.user, [], async () => {
            const r = await this.client.send(new AdminGetUserCommand(this.userInput(request)));
            return {
                username: r.Username ?? request.username,
                attributes: fromAttributeList(r.UserAttributes),
                enabled: r.Enabled ?? true,
                status: r.UserStatus ?? "UNKNOWN",
                createdAt: r.UserCreateDate,
                lastModifiedAt: r.UserLastModifiedDate,
                preferredMfaSetting: r.PreferredMfaSetting,
                mfaSettingList: r.UserMFASettingList ?? [],
            };
        });
    }

    /** `AdminDeleteUser`. */
    async adminDeleteUser(request: UserRequest): Promise<void> {
        await this.call("AdminDeleteUser", request.user, [], () => this.client.send(new AdminDeleteUserCommand(this.userInput(request))));
    }

    /** `AdminSetUserPassword`: permanent makes the user CONFIRMED, temporary FORCE_CHANGE_PASSWORD. */
    async adminSetUserPassword(request: UserRequest & { password: string; permanent: boolean }): Promise<void> {
        const input = { ...this.userInput(request), Password: request.password, Permanent: request.permanent };
        await this.call("AdminSetUserPassword", request.user, [request.password], () =>
            this.client.send(new AdminSetUserPasswordCommand(input)),
        );
    }

    /** `AdminUpdateUserAttributes` for added and changed attributes. */
    async adminUpdateUserAttributes(request: UserRequest & { attributes: Record<string, string> }): Promise<void> {
        const input = { ...this.userInput(request), UserAttributes: toAttributeList(request.attributes) };
        await this.call("AdminUpdateUserAttributes", request.user, [], () => this.client.send(new AdminUpdateUserAttributesCommand(input)));
    }

    /** `AdminDeleteUserAttributes` for removed attributes. */
    async adminDeleteUserAttributes(request: UserRequest & { names: string[] }): Promise<void> {
        const input = { ...this.userInput(request), UserAttributeNames: request.names };
        await this.call("AdminDeleteUserAttributes", request.user, [], () => this.client.send(new AdminDeleteUserAttributesCommand(input)));
    }

    /** `AdminEnableUser`. */
    async adminEnableUser(request: UserRequest): Promise<void> {
        await this.call("AdminEnableUser", request.user, [], () => this.client.send(new AdminEnableUserCommand(this.userInput(request))));
    }

    /** `AdminDisableUser`. */
    async adminDisableUser(request: UserRequest): Promise<void> {
        await this.call("AdminDisableUser", request.user, [], () => this.client.send(new AdminDisableUserCommand(this.userInput(request))));
    }

    /** `AdminAddUserToGroup`; errors name the group: `AdminAddUserToGroup(admins)`. */
    async adminAddUserToGroup(request: UserRequest & { group: string }): Promise<void> {
        const input = { ...this.userInput(request), GroupName: request.group };
        await this.call(`AdminAddUserToGroup(${request.group})`, request.user, [], () =>
            this.client.send(new AdminAddUserToGroupCommand(input)),
        );
    }

    /** `AdminRemoveUserFromGroup`; errors name the group. */
    async adminRemoveUserFromGroup(request: UserRequest & { group: string }): Promise<void> {
        const input = { ...this.userInput(request), GroupName: request.group };
        await this.call(`AdminRemoveUserFromGroup(${request.group})`, request.user, [], () =>
            this.client.send(new AdminRemoveUserFromGroupCommand(input)),
        );
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

    /**
     * `ListUsers` with an exact-match filter on one attribute; the canonical Usernames found (at most two:
     * enough to tell one from several). Finds a user by `sub`, which `AdminGetUser` is not guaranteed to accept.
     */
    listUsers(request: {
        user: UserRef;
        attribute: "sub" | "email" | "phone_number" | "preferred_username";
        value: string;
    }): Promise<string[]> {
        const escaped = request.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
        const input = { UserPoolId: request.user.userPoolId, Filter: `${request.attribute} = "${escaped}"`, Limit: 2 };
        return this.call("ListUsers", request.user, [], async () => {
            const r = await this.client.send(new ListUsersCommand(input));
            return (r.Users ?? []).map((u) => u.Username).filter((u): u is string => !!u);
        });
    }

    /**
     * One page of `ListUsers` without a filter: every user of the pool, 60 a page, as `AdminGetUser`
     * reports them except the MFA settings, which a listing does not carry (`mfaSettingList` is empty).
     * `request.user` names the batch in errors.
     */
    listUsersPage(request: { user: UserRef; nextToken?: string }): Promise<ListPage<CognitoUserRecord>> {
        const input = { UserPoolId: request.user.userPoolId, Limit: LIST_PAGE_SIZE, PaginationToken: request.nextToken };
        return this.call("ListUsers", request.user, [], async () => {
            const r = await this.client.send(new ListUsersCommand(input));
            return { items: (r.Users ?? []).filter((u) => !!u.Username).map(fromUserType), nextToken: r.PaginationToken || undefined };
        });
    }

    /** One page of `ListGroups`: group names, 60 a page. */
    listGroupsPage(request: { user: UserRef; nextToken?: string }): Promise<ListPage<string>> {
        const input = { UserPoolId: request.user.userPoolId, Limit: LIST_PAGE_SIZE, NextToken: request.nextToken };
        return this.call("ListGroups", request.user, [], async () => {
            const r = await this.client.send(new ListGroupsCommand(input));
            const names = (r.Groups ?? []).map((g) => g.GroupName).filter((g): g is string => !!g);
            return { items: names, nextToken: r.NextToken || undefined };
        });
    }

    /** One page of `ListUsersInGroup`: the canonical Usernames of the group's members, 60 a page; errors name the group. */
    listUsersInGroupPage(request: { user: UserRef; group: string; nextToken?: string }): Promise<ListPage<string>> {
        const input = {
            UserPoolId: request.user.userPoolId,
            GroupName: request.group,
            Limit: LIST_PAGE_SIZE,
            NextToken: request.nextToken,
        };
        return this.call(`ListUsersInGroup(${request.group})`, request.user, [], async () => {
            const r = await this.client.send(new ListUsersInGroupCommand(input));
            const names = (r.Users ?? []).map((u) => u.Username).filter((u): u is string => !!u);
            return { items: names, nextToken: r.NextToken || undefined };
        });
    }

    /**
     * `DescribeUserPool`: the pool's facts, read once per process for a pool at this connection. A failed
     * read is not cached, so a later call tries again.
     */
    describeUserPool(request: { user: UserRef }): Promise<PoolFacts> {
        const { userPoolId } = request.user;
        return this.cachedCall(poolFacts, userPoolId, "DescribeUserPool", request.user, async () => {
            const r = await this.client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
            return {
                passwordPolicy: passwordPolicyFromCognito(r.UserPool?.Policies?.PasswordPolicy),
                usernameAttributes: r.UserPool?.UsernameAttributes ?? [],
                aliasAttributes: r.UserPool?.AliasAttributes ?? [],
                estimatedNumberOfUsers: r.UserPool?.EstimatedNumberOfUsers,
            };
        });
    }
}

/** `{ name: value }` as Cognito's `[{ Name, Value }]`. */
function toAttributeList(attributes: Record<string, string>): AttributeType[] {
    return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

/**
 * A `UserType` (a user of a `ListUsers` page, or `AdminCreateUser`'s answer) as the gateway's record; no
 * MFA settings, which neither carries.
 */
function fromUserType(user: UserType): CognitoUserRecord {
    return {
        username: user.Username as string,
        attributes: fromAttributeList(user.Attributes),
        enabled: user.Enabled ?? true,
        status: user.UserStatus ?? "UNKNOWN",
        createdAt: user.UserCreateDate,
        lastModifiedAt: user.UserLastModifiedDate,
        mfaSettingList: [],
    };
}

/** Cognito's `[{ Name, Value }]` as `{ name: value }`. */
function fromAttributeList(list: AttributeType[] | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { Name, Value } of list ?? []) if (Name) out[Name] = Value ?? "";
    return out;
}
