/**
 * MFA, the pure part: TOTP codes against RFC 6238's own test vectors, the `otpauth://` URI, validation
 * of `mfa` and `clientId`, the diff and plan from recorded state (state without MFA shows no change),
 * the read-back that records drift, and the batch's mfa (check, CSV column, plan).
 */
import { strict as assert } from "assert";
import { checkBatch, planBatch } from "../../provider/batch/plan";
import { parseUsersCsv } from "../../provider/batch/load";
import { BatchOutputs } from "../../provider/batch/types";
import { totpUrisOf } from "../../provider/batch/mfa";
import { diffUser } from "../../provider/core/diff";
import { mfaFromCognito, normalizeMfa, planMfa, sameMfa, totpCode, totpStep, totpUri, withMfaReadBack } from "../../provider/core/mfa";
import { UNKNOWN, UserOutputs } from "../../provider/core/types";
import { chooseEnrolmentFlow } from "../../provider/lifecycle/mfa";
import { checkedInputs, createdOutputs, failureOf, failuresFor, LOCAL_POOL, TEST_PASSWORD } from "./fixtures";

/** RFC 6238 appendix B's SHA-1 secret: the ASCII "12345678901234567890", in base32. */
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP codes (otpauth)", () => {
    it("match RFC 6238's SHA-1 test vectors (the last six of its eight digits)", () => {
        const vectors: Array<[number, string]> = [
            [59, "94287082"],
            [1111111109, "07081804"],
            [1111111111, "14050471"],
            [1234567890, "89005924"],
            [2000000000, "69279037"],
            [20000000000, "65353130"],
        ];
        for (const [seconds, eight] of vectors) assert.equal(totpCode(RFC_SECRET, seconds * 1000), eight.slice(2), `T = ${seconds}`);
    });

    it("accept secrets in lower case, with spaces, and without base32 padding (moto's fixed secret)", () => {
        assert.equal(totpCode(RFC_SECRET.toLowerCase().replace(/(.{4})/g, "$1 "), 59_000), "287082");
        assert.match(totpCode("asdfasdfasdf", 59_000), /^\d{6}$/);
    });

    it("change every 30 seconds", () => {
        assert.equal(totpCode(RFC_SECRET, 30_000), totpCode(RFC_SECRET, 59_999));
        assert.notEqual(totpCode(RFC_SECRET, 59_999), totpCode(RFC_SECRET, 60_000));
        assert.deepEqual(totpStep(61_000), { step: 2, msToNext: 29_000 });
    });

    it("give an otpauth:// URI with the secret, label, issuer and Cognito's parameters", () => {
        const uri = new URL(totpUri(RFC_SECRET, "alice@example.com", "eu-west-1_AbCdEf123"));
        assert.equal(uri.protocol, "otpauth:");
        assert.equal(uri.host, "totp");
        assert.equal(decodeURIComponent(uri.pathname), "/eu-west-1_AbCdEf123:alice@example.com");
        assert.equal(uri.searchParams.get("secret"), RFC_SECRET);
        assert.equal(uri.searchParams.get("issuer"), "eu-west-1_AbCdEf123");
        assert.equal(uri.searchParams.get("algorithm"), "SHA1");
        assert.equal(uri.searchParams.get("digits"), "6");
        assert.equal(uri.searchParams.get("period"), "30");
    });
});

describe("mfa validation", () => {
    const withTotp = { generatePassword: true, clientId: "abc123client", mfa: { totp: true } };

    it("normalizes mfa: both flags, and the preferred method", () => {
        assert.deepEqual(checkedInputs(withTotp).mfa, { totp: true, sms: false, preferred: "totp" });
        assert.deepEqual(normalizeMfa({ totp: true, sms: true }), { totp: true, sms: true, preferred: "totp" });
        assert.deepEqual(normalizeMfa({ totp: true, sms: true, preferred: "sms" }), { totp: true, sms: true, preferred: "sms" });
        assert.deepEqual(normalizeMfa({}), { totp: false, sms: false });
        assert.equal(checkedInputs({}).mfa, undefined, "absent: not managed");
    });

    it("rejects MFA with a temporary password, naming the fix and never the password", () => {
        const failures = failuresFor({ ...withTotp, generatePassword: undefined, temporaryPassword: TEST_PASSWORD });
        const failure = failureOf(failures, "mfa");
        assert.match(failure.reason, /permanent password/);
        assert.ok(!JSON.stringify(failures).includes(TEST_PASSWORD));
    });

    it("rejects MFA without a password the provider knows", () => {
        assert.match(failureOf(failuresFor({ clientId: "abc123client", mfa: { totp: true } }), "mfa").reason, /generatePassword: true/);
    });

    it("rejects TOTP without clientId, naming the auth flows it needs", () => {
        const failure = failureOf(failuresFor({ generatePassword: true, mfa: { totp: true } }), "clientId");
        assert.match(failure.reason, /ALLOW_ADMIN_USER_PASSWORD_AUTH/);
    });

    it("rejects SMS without a verified phone", () => {
        assert.match(failureOf(failuresFor({ generatePassword: true, mfa: { sms: true } }), "mfa.sms").reason, /phone_number_verified/);
        const ok = failuresFor({
            generatePassword: true,
            attributes: { phone_number: "+15555550100", phone_number_verified: "true" },
            mfa: { sms: true },
        });
        assert.deepEqual(ok, []);
    });

    it("rejects unknown settings, non-booleans and a preferred method that is off", () => {
        failureOf(failuresFor({ ...withTotp, mfa: { totp: true, email: true } }), "mfa.email");
        failureOf(failuresFor({ ...withTotp, mfa: { totp: "yes" } }), "mfa.totp");
        failureOf(failuresFor({ ...withTotp, mfa: { totp: true, preferred: "sms" } }), "mfa.preferred");
        failureOf(failuresFor({ ...withTotp, mfa: true }), "mfa");
        failureOf(failuresFor({ ...withTotp, clientId: "not a client id" }), "clientId");
    });

    it("accepts unknown values during preview", () => {
        assert.deepEqual(failuresFor({ generatePassword: true, clientId: UNKNOWN, mfa: UNKNOWN }), []);
        assert.deepEqual(failuresFor({ generatePassword: true, clientId: UNKNOWN, mfa: { totp: UNKNOWN } }), []);
        assert.deepEqual(failuresFor({ generatePassword: UNKNOWN, clientId: "abc123client", mfa: { totp: true } }), []);
    });

    it("mfa off needs neither a password nor a client", () => {
        assert.deepEqual(failuresFor({ mfa: { totp: false, sms: false } }), []);
    });
});

describe("mfa diff and plan", () => {
    const base = { generatePassword: true, clientId: "abc123client" };
    const secret = RFC_SECRET;
    /** Outputs as create records them for `raw`, with the MFA the create applied. */
    function recorded(raw: Record<string, unknown>): UserOutputs {
        const inputs = checkedInputs({ ...base, ...raw });
        const outs = createdOutputs(inputs, { generatedPassword: TEST_PASSWORD });
        if (inputs.mfa?.totp) outs.totpSecret = secret;
        return outs;
    }

    it("state written before MFA existed, and a program without mfa: no change", () => {
        const old = recorded({}) as Partial<UserOutputs>;
        delete old.mfa;
        delete old.clientId;
        const news = checkedInputs({ generatePassword: true });
        assert.deepEqual(diffUser(old, news).changed, []);
        assert.deepEqual(planMfa(old, news), { enrolTotp: false, setPreference: false });
    });

    it("declaring TOTP enrols; the same declaration again changes nothing", () => {
        const olds = recorded({});
        const news = checkedInputs({ ...base, mfa: { totp: true } });
        assert.deepEqual(diffUser(olds, news).changed, ["mfa"]);
        assert.equal(planMfa(olds, news).enrolTotp, true);
        assert.deepEqual(diffUser(recorded({ mfa: { totp: true } }), news).changed, []);
    });

    it("TOTP declared and recorded on, but no secret recorded (an adopted user): enrol anew", () => {
        const olds = recorded({ mfa: { totp: true } });
        delete olds.totpSecret;
        const plan = planMfa(olds, checkedInputs({ ...base, mfa: { totp: true } }));
        assert.deepEqual(plan, { desired: { totp: true, sms: false, preferred: "totp" }, enrolTotp: true, setPreference: true });
    });

    it("turning TOTP off, or removing a declared mfa, sets the preference off without enrolling", () => {
        const olds = recorded({ mfa: { totp: true } });
        for (const news of [checkedInputs({ ...base, mfa: { totp: false } }), checkedInputs(base)]) {
            assert.deepEqual(diffUser(olds, news).changed, ["mfa"]);
            assert.deepEqual(planMfa(olds, news), { desired: { totp: false, sms: false }, enrolTotp: false, setPreference: true });
        }
    });

    it("adding SMS to TOTP sets the preference only; the preferred method counts only when both are on", () => {
        const attributes = { phone_number: "+15555550100", phone_number_verified: "true" };
        const olds = recorded({ attributes, mfa: { totp: true } });
        const plan = planMfa(olds, checkedInputs({ ...base, attributes, mfa: { totp: true, sms: true } }));
        assert.equal(plan.enrolTotp, false);
        assert.equal(plan.setPreference, true);
        assert.equal(sameMfa({ totp: true, sms: false }, { totp: true, sms: false, preferred: "totp" }), true);
        assert.equal(sameMfa({ totp: true, sms: true, preferred: "sms" }, { totp: true, sms: true, preferred: "totp" }), false);
    });

    it("a changed clientId is recorded by an update", () => {
        const olds = recorded({ mfa: { totp: true } });
        assert.deepEqual(diffUser(olds, checkedInputs({ ...base, clientId: "other456client", mfa: { totp: true } })).changed, ["clientId"]);
    });

    it("an unknown mfa during preview is a change", () => {
        assert.ok(diffUser(recorded({}), { ...checkedInputs(base), mfa: UNKNOWN as never }).changed.includes("mfa"));
    });
});

describe("mfa read-back (refresh)", () => {
    const outputs = (list: string[], preferred?: string) =>
        ({
            mfaSettingList: list,
            preferredMfaSetting: preferred,
            mfa: { totp: true, sms: false },
            totpSecret: "X",
            totpUri: "otpauth://x",
        }) as Partial<UserOutputs>;

    it("reads Cognito's setting list for a managed user, keeping the secret while TOTP is on", () => {
        const recorded = { mfa: normalizeMfa({ totp: true }), totpSecret: RFC_SECRET, totpUri: "otpauth://totp/x" };
        const on = withMfaReadBack(outputs(["SOFTWARE_TOKEN_MFA"], "SOFTWARE_TOKEN_MFA"), recorded);
        assert.deepEqual(on.mfa, { totp: true, sms: false, preferred: "totp" });
        assert.equal(on.totpSecret, RFC_SECRET);
        const drifted = withMfaReadBack(outputs([]), recorded);
        assert.deepEqual(drifted.mfa, { totp: false, sms: false });
        assert.equal(drifted.totpSecret, undefined);
        assert.equal("totpUri" in drifted, false);
    });

    it("records no MFA for a user whose MFA is not managed", () => {
        const read = withMfaReadBack(outputs(["SOFTWARE_TOKEN_MFA"]), {});
        assert.equal("mfa" in read, false);
        assert.equal("totpSecret" in read, false);
    });

    it("maps Cognito's names", () => {
        assert.deepEqual(mfaFromCognito(["SMS_MFA", "SOFTWARE_TOKEN_MFA"], "SMS_MFA"), { totp: true, sms: true, preferred: "sms" });
        assert.deepEqual(mfaFromCognito(undefined, undefined), { totp: false, sms: false });
    });
});

describe("enrolment flow", () => {
    it("prefers the admin password flow, falls back to the user password flow, legacy names included", () => {
        assert.equal(chooseEnrolmentFlow(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"]), "ADMIN_USER_PASSWORD_AUTH");
        assert.equal(chooseEnrolmentFlow(["ADMIN_NO_SRP_AUTH"]), "ADMIN_USER_PASSWORD_AUTH");
        assert.equal(chooseEnrolmentFlow(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]), "USER_PASSWORD_AUTH");
        assert.equal(chooseEnrolmentFlow(["USER_PASSWORD_AUTH"]), "USER_PASSWORD_AUTH");
        assert.equal(chooseEnrolmentFlow(["ALLOW_USER_SRP_AUTH"]), undefined);
        assert.equal(chooseEnrolmentFlow([]), undefined);
    });
});

describe("batch mfa", () => {
    const raw = (users: unknown[], extra: Record<string, unknown> = {}) => ({
        userPoolId: LOCAL_POOL,
        endpoint: "http://127.0.0.1:9229",
        declaredUsers: users,
        ...extra,
    });

    it("check takes mfa per user and clientId for the batch; TOTP without it fails on the user's mfa.totp", () => {
        const ok = checkBatch(raw([{ username: "a", generatePassword: true, mfa: { totp: true } }], { clientId: "abc123client" }));
        assert.deepEqual(ok.failures, []);
        assert.deepEqual(ok.inputs.declaredUsers.a.mfa, { totp: true, sms: false, preferred: "totp" });
        assert.equal(ok.inputs.clientId, "abc123client");
        const missing = checkBatch(raw([{ username: "a", generatePassword: true, mfa: { totp: true } }]));
        assert.match(failureOf(missing.failures, "users[0].mfa.totp").reason, /clientId/);
        const bad = checkBatch(raw([{ username: "a", generatePassword: true }], { clientId: "no spaces allowed" }));
        failureOf(bad.failures, "clientId");
    });

    it("the CSV column mfa: totp, sms, both (the first preferred) or none", () => {
        const users = parseUsersCsv("username,mfa\na,totp\nb,sms;totp\nc,none\nd,\n");
        assert.deepEqual(
            users.map((u) => u.mfa),
            [{ totp: true, sms: false }, { totp: true, sms: true, preferred: "sms" }, { totp: false, sms: false }, undefined],
        );
        assert.throws(() => parseUsersCsv("username,mfa\na,email\n"), /column mfa/);
    });

    it("plans an update for a user whose mfa changed, nothing for one recorded as declared; old state needs no totpSecrets", () => {
        const inputs = checkBatch(
            raw(
                [
                    { username: "a", generatePassword: true, mfa: { totp: true } },
                    { username: "b", generatePassword: true },
                ],
                { clientId: "abc123client" },
            ),
        ).inputs;
        const record = {
            cognitoUsername: "a",
            sub: "s",
            status: "CONFIRMED",
            enabled: true,
            groups: [],
            attributes: {},
            generatePassword: true as const,
        };
        const olds: Partial<BatchOutputs> = {
            ...inputs,
            users: { a: { ...record }, b: { ...record, cognitoUsername: "b" } },
            passwords: { a: TEST_PASSWORD, b: TEST_PASSWORD },
            temporaryPasswords: {},
        };
        const plan = planBatch(olds, inputs);
        assert.deepEqual(
            plan.update.map((u) => u.news.username),
            ["a"],
        );
        assert.deepEqual(plan.unchanged, ["b"]);
        const enrolled = {
            ...olds,
            users: { ...olds.users, a: { ...record, mfa: { totp: true, sms: false, preferred: "totp" as const } } },
            totpSecrets: { a: RFC_SECRET },
        };
        assert.deepEqual(planBatch(enrolled, inputs).update, []);
    });

    it("derives the otpauth URIs from the secrets", () => {
        assert.deepEqual(Object.keys(totpUrisOf(LOCAL_POOL, { a: RFC_SECRET })), ["a"]);
        assert.deepEqual(totpUrisOf(LOCAL_POOL, undefined), {});
    });
});
