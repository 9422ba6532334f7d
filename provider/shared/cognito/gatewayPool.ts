/**
 * The Cognito gateway's reads about a pool as a whole (`CognitoGateway` in ./gateway.ts inherits them):
 * its facts, read once per run; its users, groups and members in pages; and whose AWS account the
 * caller's credentials are (STS), the one fact that tells a deleted pool from a pool in another account.
 */
import {
    DescribeUserPoolCommand,
    ListGroupsCommand,
    ListUsersCommand,
    ListUsersInGroupCommand,
    UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createStsClient } from "./connection";
import { CognitoUserRecord, UserRef } from "./gatewayBase";
import { CognitoSignIn } from "./gatewaySignIn";
import { PasswordPolicy, passwordPolicyFromCognito } from "../password";

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
    /** The AWS account that holds the pool, from its ARN: recorded at create, it tells later whether a missing pool is gone. */
    accountId?: string;
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
/** Whose account the caller's credentials act in: STS's answer, or that the endpoint serves no STS (cognito-local). */
export type CallerAccount = { account: string } | { stsNotServed: true };

/** The caller's account per connection, for the life of the process. */
const callerAccounts = new Map<string, Promise<CallerAccount>>();

/**
 * Whether an STS call got an HTTP answer that is not STS's (cognito-local answers 400 with a body no STS
 * client can read): the endpoint serves no STS. A refused connection or an STS error is not that.
 */
function answeredButNotSts(error: unknown): boolean {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (e?.$metadata?.httpStatusCode === undefined) return false;
    return e.name === "Error" || e.name === "UnknownError" || /Deserialization error|parse error/i.test(e.message ?? "");
}

/** Forgets every pool's facts and the callers' accounts: for tests that give one pool id different answers. */
export function forgetPoolFacts(): void {
    poolFacts.clear();
    callerAccounts.clear();
}

/** The account in an ARN (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`). */
export function accountOfArn(arn: string | undefined): string | undefined {
    const account = arn?.split(":")[4];
    return account ? account : undefined;
}

/** A pool's reads: its facts, its listings, and the caller's account. */
export abstract class CognitoPool extends CognitoSignIn {
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
                accountId: accountOfArn(r.UserPool?.Arn),
            };
        });
    }

    /**
     * STS `GetCallerIdentity` with the credentials and Region of this connection: the account the
     * caller's credentials act in, once per connection for the life of the process. Asked of the recorded
     * endpoint only when it is a loopback emulator (moto, LocalStack serve STS there); otherwise of AWS's
     * STS, as a FIPS or VPC Cognito endpoint serves no STS.
     */
    callerAccount(request: { user: UserRef }): Promise<CallerAccount> {
        return this.cachedCall(callerAccounts, "sts", "sts:GetCallerIdentity", request.user, async () => {
            const sts = createStsClient(this.connection);
            try {
                const r = await sts.send(new GetCallerIdentityCommand({}));
                if (!r.Account) throw new Error("GetCallerIdentity returned no account");
                return { account: r.Account };
            } catch (error) {
                if (answeredButNotSts(error)) return { stsNotServed: true };
                throw error;
            } finally {
                sts.destroy();
            }
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
     * A page's users are Cognito's answers to this operation: the identity check accepts them.
     * `request.user` names the batch in errors.
     */
    listUsersPage(request: { user: UserRef; nextToken?: string }): Promise<ListPage<CognitoUserRecord>> {
        const input = { UserPoolId: request.user.userPoolId, Limit: LIST_PAGE_SIZE, PaginationToken: request.nextToken };
        return this.call("ListUsers", request.user, [], async () => {
            const r = await this.client.send(new ListUsersCommand(input));
            const items = (r.Users ?? []).filter((u) => !!u.Username).map((u) => this.received(fromUserType(u)));
            return { items, nextToken: r.PaginationToken || undefined };
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
}

/**
 * A `UserType` (a user of a `ListUsers` page, or `AdminCreateUser`'s answer) as the gateway's record; no
 * MFA settings, which neither carries.
 */
export function fromUserType(user: UserType): CognitoUserRecord {
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
export function fromAttributeList(list: Array<{ Name?: string; Value?: string }> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { Name, Value } of list ?? []) if (Name) out[Name] = Value ?? "";
    return out;
}
