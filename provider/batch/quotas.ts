/**
 * Cognito's request-rate quotas, by category, and which category each call the batch makes counts
 * against. Real Cognito enforces them per AWS account and Region across every user pool; past a
 * quota it answers `TooManyRequestsException`. A seeder that ignores them fails halfway.
 */

/** The quota categories the batch's calls fall in (AWS's names, camel-cased). */
export type QuotaCategory =
    | "userCreation"
    | "userUpdate"
    | "userRead"
    | "userList"
    | "userAccountRecovery"
    | "userResourceRead"
    | "userResourceUpdate"
    | "userPoolRead"
    | "userPoolResourceRead";

/** Requests per second per category; `0` means "do not pace" (for emulators that have no quota). */
export type QuotaRates = Partial<Record<QuotaCategory, number>>;

/**
 * AWS's default quotas in requests per second, from "Quotas in Amazon Cognito" (Amazon Cognito
 * Developer Guide, section "Amazon Cognito user pools API operation categories and request rate
 * quotas"): UserCreation 50, UserAccountRecovery 30, UserRead 120, UserUpdate 25, UserResourceRead
 * 50, UserResourceUpdate 25, UserList 30, UserPoolRead 15, UserPoolResourceRead 20. They hold for accounts
 * under two million monthly active users; UserCreation, UserRead and UserResourceRead can be raised on
 * request. UserPoolResourceRead is paced at 5: the same page says any one operation of that category
 * runs at most 5 requests per second against a single pool, and a batch reads one pool.
 */
export const DEFAULT_QUOTA_RATES: Readonly<Record<QuotaCategory, number>> = {
    userCreation: 50,
    userAccountRecovery: 30,
    userRead: 120,
    userUpdate: 25,
    userResourceRead: 50,
    userResourceUpdate: 25,
    userList: 30,
    userPoolRead: 15,
    userPoolResourceRead: 5,
};

/** Every category, in a stable order (for validation messages). */
export const QUOTA_CATEGORIES = Object.keys(DEFAULT_QUOTA_RATES) as QuotaCategory[];

/**
 * The category of each Cognito operation the provider calls, per the same table: `AdminSetUserPassword`
 * is an account-recovery (password) operation, group membership is a "user resource"; the listings of
 * users (`ListUsers`, `ListUsersInGroup`: "operations that return a list of users") are UserList, and
 * the listing of a pool's groups (`ListGroups`: "resources, such as groups, ... from a user pool") is
 * UserPoolResourceRead.
 */
export const OPERATION_CATEGORY: Readonly<Record<string, QuotaCategory>> = {
    AdminCreateUser: "userCreation",
    AdminSetUserPassword: "userAccountRecovery",
    AdminGetUser: "userRead",
    AdminUpdateUserAttributes: "userUpdate",
    AdminDeleteUserAttributes: "userUpdate",
    AdminEnableUser: "userUpdate",
    AdminDisableUser: "userUpdate",
    AdminDeleteUser: "userUpdate",
    AdminListGroupsForUser: "userResourceRead",
    AdminAddUserToGroup: "userResourceUpdate",
    AdminRemoveUserFromGroup: "userResourceUpdate",
    ListUsers: "userList",
    ListUsersInGroup: "userList",
    ListGroups: "userPoolResourceRead",
    DescribeUserPool: "userPoolRead",
};

/** The category an SDK command name (`AdminCreateUserCommand`) counts against, if it has one. */
export function categoryOfCommand(commandName: string): QuotaCategory | undefined {
    return OPERATION_CATEGORY[commandName.replace(/Command$/, "")];
}

/** The declared rates over AWS's defaults. */
export function resolveRates(rates: QuotaRates | undefined): Record<QuotaCategory, number> {
    return { ...DEFAULT_QUOTA_RATES, ...(rates ?? {}) };
}
