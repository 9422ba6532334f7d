/**
 * The pure planning of a batch's refresh (provider/batch/readPlan.ts): which way costs less, the page
 * budgets that bound a wrong estimate, and how a scan's users are matched to the recorded ones.
 */
import * as assert from "node:assert/strict";
import { DEFAULT_QUOTA_RATES, resolveRates } from "../../provider/batch/quotas";
import {
    chooseRefreshWays,
    estimateRefresh,
    groupsByUser,
    pagesCouldPay,
    RefreshFacts,
    refreshFactsOf,
    scannedUserOf,
} from "../../provider/batch/readPlan";
import { BatchUserRecord } from "../../provider/batch/types";
import type { CognitoUserRecord } from "../../provider/shared/cognito/gateway";

const rates = resolveRates(undefined);
const facts = (n: number, poolUsers: number | undefined, more: Partial<RefreshFacts> = {}): RefreshFacts => ({
    recordedUsers: n,
    usersReadForMfa: 0,
    recordedMemberships: n,
    recordedGroups: 2,
    poolUsers,
    rates,
    ...more,
});

describe("batch refresh planning (readPlan)", function () {
    it("reads 10,000 users of a 10,000-user pool in pages, within AWS's quotas in seconds, not minutes", function () {
        const costs = estimateRefresh(facts(10_000, 10_000, { poolGroups: 2 }));
        // 167 ListUsers pages at 30/s against 10,000 AdminGetUser at 120/s.
        assert.ok(Math.abs(costs.usersPages - 167 / 30) < 1e-9);
        assert.ok(Math.abs(costs.usersPerUser - 10_000 / 120) < 1e-9);
        // 1 ListGroups page at 5/s and (2 + 167) member pages at 30/s against 10,000 AdminListGroupsForUser at 50/s.
        assert.ok(Math.abs(costs.groupsPages - (1 / 5 + 169 / 30)) < 1e-9);
        assert.ok(Math.abs(costs.groupsPerUser - 10_000 / 50) < 1e-9);
        const ways = chooseRefreshWays(facts(10_000, 10_000));
        assert.equal(ways.users, "pages");
        assert.equal(ways.groups, "pages");
    });

    it("keeps a batch of 100 users in a pool of a million one by one", function () {
        const ways = chooseRefreshWays(facts(100, 1_000_000));
        assert.equal(ways.users, "per-user");
        assert.equal(ways.groups, "per-user");
    });

    it("gives each scan the budget of the way it replaces, so a low estimate costs at most twice the per-user read", function () {
        const ways = chooseRefreshWays(facts(1_000, 1_000));
        // 1,000 AdminGetUser at 120/s is 8.33 s of UserList at 30/s: 250 pages.
        assert.equal(ways.maxUserPages, 250);
        // 1,000 AdminListGroupsForUser at 50/s is 20 s, less one ListGroups page (0.2 s): 594 pages.
        assert.equal(ways.maxMemberPages, 594);
    });

    it("weighs unpaced categories at AWS's default rates, and paced ones at the run's", function () {
        const unpaced = Object.fromEntries(Object.keys(DEFAULT_QUOTA_RATES).map((c) => [c, 0])) as typeof rates;
        assert.deepEqual(estimateRefresh(facts(500, 5_000, { rates: unpaced })), estimateRefresh(facts(500, 5_000)));
        // UserRead raised tenfold: 500 AdminGetUser cost less than a 5,000-user scan.
        assert.equal(chooseRefreshWays(facts(500, 5_000, { rates: { ...rates, userRead: 1_200 } })).users, "per-user");
        assert.equal(chooseRefreshWays(facts(500, 5_000)).users, "pages");
    });

    it("forced, takes that way for both parts with no page limit", function () {
        assert.deepEqual(chooseRefreshWays(facts(1, 1_000_000), "pages"), {
            users: "pages",
            groups: "pages",
            maxUserPages: Infinity,
            maxMemberPages: Infinity,
        });
        assert.equal(chooseRefreshWays(facts(10_000, 10_000), "per-user").users, "per-user");
    });

    it("counts the users whose MFA must be read one by one in the pages' cost", function () {
        const withMfa = estimateRefresh(facts(1_000, 1_000, { usersReadForMfa: 1_000 }));
        assert.ok(withMfa.usersPages > withMfa.usersPerUser);
        assert.equal(chooseRefreshWays(facts(1_000, 1_000, { usersReadForMfa: 1_000 })).users, "per-user");
    });

    it("does not describe the pool for a batch too small for pages to pay", function () {
        const small = facts(2, undefined);
        assert.equal(pagesCouldPay(small), false);
        assert.equal(pagesCouldPay(facts(200, undefined)), true);
    });

    it("counts memberships, groups and MFA users out of the records", function () {
        const record = (groups: string[], mfa?: boolean): BatchUserRecord => ({
            cognitoUsername: "x",
            sub: "s",
            status: "CONFIRMED",
            enabled: true,
            groups,
            attributes: {},
            ...(mfa ? { mfa: { totp: true, sms: false } } : {}),
        });
        const counted = refreshFactsOf(
            [
                ["a", record(["admins", "viewers"])],
                ["b", record(["viewers"], true)],
                ["c", record([])],
            ],
            rates,
        );
        assert.deepEqual(
            { ...counted, rates: undefined },
            { recordedUsers: 3, usersReadForMfa: 1, recordedMemberships: 3, recordedGroups: 2, rates: undefined },
        );
    });

    it("matches a scanned user by the recorded Username and sub, never by anything else", function () {
        const user = (username: string, sub: string): CognitoUserRecord => ({
            username,
            attributes: { sub, email: "ann@example.com" },
            enabled: true,
            status: "CONFIRMED",
            mfaSettingList: [],
        });
        const scanned = new Map([
            ["ann", user("ann", "sub-1")],
            ["bob", user("bob", "sub-other")],
        ]);
        assert.equal(scannedUserOf(scanned, { cognitoUsername: "ann", sub: "sub-1" })?.username, "ann");
        assert.equal(scannedUserOf(scanned, { cognitoUsername: "bob", sub: "sub-2" }), undefined, "another sub: not ours");
        assert.equal(scannedUserOf(scanned, { cognitoUsername: "ann@example.com", sub: "sub-1" }), undefined, "never by alias");
        assert.equal(scannedUserOf(scanned, { cognitoUsername: "Ann", sub: "sub-1" }), undefined);
    });

    it("turns every group's members into each user's sorted groups", function () {
        const members = new Map([
            ["viewers", ["ann", "bob"]],
            ["admins", ["bob"]],
            ["empty", []],
        ]);
        assert.deepEqual(Object.fromEntries(groupsByUser(members)), { ann: ["viewers"], bob: ["admins", "viewers"] });
    });
});
