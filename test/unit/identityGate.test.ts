/**
 * The identity gate's pure rules: whether a user Cognito reports is the recorded one, when a missing
 * pool counts as deleted, which endpoints are loopback emulators, and how a batch proves many users.
 */
import { strict as assert } from "assert";
import { isLoopbackEndpoint } from "../../provider/shared/cognito/connection";
import { errorShape } from "../../provider/shared/errors";
import { identityMismatchError, judgeIdentity, takenOverWarning } from "../../provider/shared/cognito/identityGate";
import { judgeMissingPool } from "../../provider/shared/cognito/poolMissing";
import { chooseProofWay } from "../../provider/batch/readPlan";
import { DEFAULT_QUOTA_RATES } from "../../provider/batch/quotas";

const recorded = { cognitoUsername: "tina", sub: "sub-a" };
const user = (username: string, sub?: string) => ({ username, attributes: (sub ? { sub } : {}) as Record<string, string> });

describe("judgeIdentity: the very user, or why not", () => {
    it("is the same user only with the recorded Username and sub", () => {
        assert.deepEqual(judgeIdentity(user("tina", "sub-a"), recorded), { kind: "same" });
    });
    it("a user under the recorded Username with another sub took the name over", () => {
        assert.deepEqual(judgeIdentity(user("tina", "sub-b"), recorded), { kind: "takenOver", foundSub: "sub-b" });
    });
    it("no user, or the name resolved as an alias to another user's Username, is gone", () => {
        assert.deepEqual(judgeIdentity(undefined, recorded), { kind: "gone" });
        assert.deepEqual(judgeIdentity(user("5cbb0910", "sub-a"), recorded), { kind: "gone" });
    });
    it("without a recorded sub (a user being adopted), the Username decides", () => {
        assert.deepEqual(judgeIdentity(user("tina", "sub-b"), { cognitoUsername: "tina" }), { kind: "same" });
    });
});

describe("identityMismatchError", () => {
    const ref = {
        userPoolId: "eu-west-1_AbCdEf123",
        username: "tina",
        resourceUrn: "urn:pulumi:dev::seed::pulumi-nodejs:dynamic/cognito:CognitoUser::tina",
    };
    it("names the resource, the user, both subs and the way out, with the [CODE] prefix", () => {
        const error = identityMismatchError({ ref, recorded, foundSub: "sub-b", operation: "update" });
        assert.equal(errorShape(error).code, "IDENTITY_MISMATCH");
        assert.match(error.message, /^\[IDENTITY_MISMATCH\] update refused for user "tina"/);
        for (const part of [
            ref.resourceUrn,
            "sub-a",
            "sub-b",
            "Nothing was written",
            "pulumi refresh",
            `pulumi state delete '${ref.resourceUrn}'`,
            "import",
        ])
            assert.ok(error.message.includes(part), `missing: ${part}`);
    });
    it("says how to find the URN when the state does not record it", () => {
        const error = identityMismatchError({
            ref: { ...ref, resourceUrn: undefined },
            recorded,
            foundSub: "sub-b",
            operation: "AdminDeleteUser",
        });
        assert.match(error.message, /pulumi stack --show-urns/);
    });
    it("a refresh's warning says the same, and that the other user is left alone", () => {
        const warning = takenOverWarning({ ref, recorded, foundSub: "sub-b" });
        for (const part of [ref.resourceUrn, "sub-a", "sub-b", "drops it from the state", "leaves the other user alone"])
            assert.ok(warning.includes(part), `missing: ${part}`);
    });
    it("a batch's user gets the batch's way out", () => {
        const error = identityMismatchError({ ref, recorded, foundSub: "sub-b", operation: "update", batch: true });
        assert.match(error.message, /drops it from this batch/);
        assert.match(error.message, /adoptExisting: true/);
    });
});

describe("judgeMissingPool: a pool Cognito cannot find is gone only with proof", () => {
    const place = { userPoolId: "eu-west-1_AbCdEf123", region: "eu-west-1", accountId: "123456789012" };
    it("the caller acts in the recorded account: gone", () => {
        assert.deepEqual(judgeMissingPool(place, { account: "123456789012" }), { gone: true });
    });
    it("another account: not gone, naming both", () => {
        const judgement = judgeMissingPool(place, { account: "111111111111" });
        assert.equal(judgement.gone, false);
        assert.match((judgement as { why: string }).why, /created in AWS account 123456789012.*account 111111111111/);
    });
    it("no account recorded (an earlier version's state): not gone, and says how to record it", () => {
        const judgement = judgeMissingPool({ ...place, accountId: undefined }, { account: "123456789012" });
        assert.equal(judgement.gone, false);
        assert.match((judgement as { why: string }).why, /pulumi refresh/);
    });
    it("the caller's account unreadable: not gone", () => {
        assert.equal(judgeMissingPool(place, { failed: "no credentials" }).gone, false);
    });
    it("a loopback emulator that serves no STS has no accounts: gone; any other endpoint proves nothing", () => {
        assert.deepEqual(judgeMissingPool({ ...place, endpoint: "http://127.0.0.1:9229" }, { stsNotServed: true }), { gone: true });
        assert.equal(
            judgeMissingPool({ ...place, endpoint: "https://cognito-idp-fips.us-east-1.amazonaws.com" }, { stsNotServed: true }).gone,
            false,
        );
    });
});

describe("isLoopbackEndpoint", () => {
    it("is true only for this machine's addresses", () => {
        for (const endpoint of ["http://127.0.0.1:9229", "http://localhost:4566", "http://127.1.2.3:5000", "http://[::1]:9229"])
            assert.ok(isLoopbackEndpoint(endpoint), endpoint);
        for (const endpoint of [
            undefined,
            "https://cognito-idp-fips.us-east-1.amazonaws.com",
            "https://vpce-1.cognito-idp.eu-west-1.vpce.amazonaws.com",
            "http://10.0.0.1:9229",
            "not a url",
        ])
            assert.ok(!isLoopbackEndpoint(endpoint), String(endpoint));
    });
});

describe("chooseProofWay: a batch proves its users one by one, or in pages, whichever costs less", () => {
    it("a few users of a big pool: one AdminGetUser each", () => {
        assert.equal(chooseProofWay(10, 100_000, DEFAULT_QUOTA_RATES).way, "per-user");
    });
    it("most of a pool: pages of ListUsers, within the budget of the per-user way", () => {
        const plan = chooseProofWay(10_000, 10_500, DEFAULT_QUOTA_RATES);
        assert.equal(plan.way, "pages");
        assert.equal(plan.maxPages, Math.floor((10_000 / 120) * 30));
    });
    it("an unknown pool size is taken to be the users written", () => {
        assert.equal(chooseProofWay(600, undefined, DEFAULT_QUOTA_RATES).way, "pages");
    });
});
