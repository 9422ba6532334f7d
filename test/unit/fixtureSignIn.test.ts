/**
 * The fixture's sign-in paths without Pulumi or Cognito: the token cache (cached while fresh, refreshed
 * before expiry, signed in anew when a refresh fails, one sign-in for concurrent requests), usernames made
 * unique per run and worker, the declaration checks of the new fields, and the types `signIn` returns.
 */
import { strict as assert } from "assert";
import { cognitoFixture, CognitoFixtureError, FixtureChallenge, FixtureTokens } from "../../provider/testing";
import { TokenCache } from "../../provider/testing/signInFlow";
import { makesUsernamesUnique, runSuffix, uniqueUsername, withUniqueEmail } from "../../provider/testing/uniqueUsernames";
import { userResourceArgs } from "../../provider/testing/signInPaths";

/** A JWT (unsigned) with the given claims. */
function jwt(claims: Record<string, unknown>): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${part({ alg: "none" })}.${part(claims)}.sig`;
}

/** Tokens that expire `inSeconds` from now. */
function tokens(label: string, inSeconds: number, refreshToken: string | undefined = "refresh"): FixtureTokens {
    const exp = Math.floor(Date.now() / 1000) + inSeconds;
    return { idToken: jwt({ exp, label }), accessToken: jwt({ exp }), refreshToken, claims: { exp, label } };
}

describe("testing fixture: token cache", () => {
    it("returns cached tokens while they have more than the margin left", async () => {
        const cache = new TokenCache(60_000);
        let signIns = 0;
        const signIn = async () => tokens(`t${++signIns}`, 3600);
        const refresh = async () => assert.fail("no refresh while fresh");
        const first = await cache.get("a", signIn, refresh);
        const second = await cache.get("a", signIn, refresh);
        assert.equal(signIns, 1);
        assert.equal(second.idToken, first.idToken);
        assert.equal((await cache.get("a", signIn, refresh, true)).claims.label, "t2", "fresh signs in anew");
    });

    it("refreshes tokens that are about to expire, and signs in anew when the refresh fails", async () => {
        const lines: string[] = [];
        const cache = new TokenCache(120_000, (line) => lines.push(line));
        await cache.get(
            "a",
            async () => tokens("old", 60),
            async () => assert.fail(),
        );
        const refreshed = await cache.get(
            "a",
            async () => assert.fail("no new sign-in"),
            async (t) => tokens(`refreshed-${t.claims.label}`, 3600),
        );
        assert.equal(refreshed.claims.label, "refreshed-old");
        assert.match(lines.join("\n"), /signIn\("a"\): tokens refreshed \(REFRESH_TOKEN_AUTH\)/);

        await cache.get(
            "b",
            async () => tokens("old", 60),
            async () => assert.fail(),
        );
        const renewed = await cache.get(
            "b",
            async () => tokens("new", 3600),
            async () => Promise.reject(Object.assign(new Error("no"), { name: "NotAuthorizedException" })),
        );
        assert.equal(renewed.claims.label, "new");
        assert.match(lines.join("\n"), /refreshing failed \(NotAuthorizedException\); signing in anew/);
    });

    it("shares one sign-in between concurrent requests for a user, and hands out copies", async () => {
        const cache = new TokenCache(60_000);
        let signIns = 0;
        const signIn = () => new Promise<FixtureTokens>((resolve) => setTimeout(() => resolve(tokens(`t${++signIns}`, 3600)), 20));
        const [a, b] = await Promise.all([
            cache.get("a", signIn, async () => assert.fail()),
            cache.get("a", signIn, async () => assert.fail()),
        ]);
        assert.equal(signIns, 1);
        a.claims.label = "changed";
        assert.equal(b.claims.label, "t1");
        assert.equal((await cache.get("a", signIn, async () => assert.fail())).claims.label, "t1");
    });
});

describe("testing fixture: unique usernames", () => {
    const saved = process.env.MOCHA_WORKER_ID;
    afterEach(() => {
        if (saved === undefined) delete process.env.MOCHA_WORKER_ID;
        else process.env.MOCHA_WORKER_ID = saved;
    });

    it("are on by default only in a test runner's worker (mocha --parallel, Jest, Vitest, Playwright)", () => {
        const names = ["MOCHA_WORKER_ID", "JEST_WORKER_ID", "VITEST_POOL_ID", "TEST_WORKER_INDEX"];
        for (const name of names) delete process.env[name];
        assert.equal(makesUsernamesUnique(undefined), false);
        assert.equal(makesUsernamesUnique(true), true);
        for (const name of names) {
            process.env[name] = "1";
            assert.equal(makesUsernamesUnique(undefined), true, name);
            assert.equal(makesUsernamesUnique(false), false, name);
            assert.equal(runSuffix("3f2a9c"), "w1-3f2a9c", name);
            delete process.env[name];
        }
    });

    it("keep an email an email, and the email attribute follows an email username", () => {
        assert.equal(uniqueUsername("admin@example.com", "w1-3f2a9c"), "admin+w1-3f2a9c@example.com");
        assert.equal(uniqueUsername("admin", "w1-3f2a9c"), "admin-w1-3f2a9c");
        assert.equal(uniqueUsername("+15555550100", "w1-3f2a9c"), "+15555550100");
        assert.ok(uniqueUsername("x".repeat(128), "w1-3f2a9c").length <= 128);
        assert.deepEqual(withUniqueEmail({ email: "Admin@example.com", given_name: "A" }, "admin@example.com", "admin+s@example.com"), {
            email: "admin+s@example.com",
            given_name: "A",
        });
        assert.deepEqual(withUniqueEmail({ email: "other@example.com" }, "admin@example.com", "admin+s@example.com"), {
            email: "other@example.com",
        });
    });

    it("map a declaration to the user's CognitoUser inputs", () => {
        assert.deepEqual(userResourceArgs({ username: "a", mfa: { totp: true } }, "client1", undefined), {
            username: "a",
            attributes: undefined,
            password: undefined,
            temporaryPassword: undefined,
            generatePassword: true,
            enabled: undefined,
            mfa: { totp: true },
            clientId: "client1",
        });
        const temp = userResourceArgs({ username: "t@example.com", temporaryPassword: "Temp-Passw0rd!", enabled: false }, "client1", "s1");
        assert.equal(temp.username, "t+s1@example.com");
        assert.equal(temp.generatePassword, undefined);
        assert.equal(temp.clientId, undefined);
        assert.equal(temp.enabled, false);
    });
});

describe("testing fixture: sign-in path declarations", () => {
    it("rejects a temporary password with a password or with TOTP, and MFA other than TOTP", () => {
        const error = (() => {
            try {
                cognitoFixture({
                    users: {
                        both: { username: "a", password: "Passw0rd!Passw0rd", temporaryPassword: "Temp-Passw0rd!" },
                        tempTotp: { username: "b", temporaryPassword: "Temp-Passw0rd!", mfa: { totp: true } },
                        sms: { username: "c", mfa: { sms: true } as never },
                    },
                });
            } catch (e) {
                return e as CognitoFixtureError;
            }
            assert.fail("expected a declaration error");
        })();
        assert.ok(error instanceof CognitoFixtureError);
        assert.match(error.message, /user "both": declare password or temporaryPassword, not both/);
        assert.match(error.message, /user "tempTotp": mfa needs a permanent password/);
        assert.match(error.message, /user "sms": mfa is \{ totp: true \}/);
        assert.ok(!error.message.includes("Temp-Passw0rd!"));
    });

    it("types signIn: tokens for users with a permanent password, tokens or a challenge for a temporary one", () => {
        const users = cognitoFixture({
            users: {
                admin: { username: "admin" },
                first: { username: "first", temporaryPassword: "Temp-Passw0rd!" },
                otp: { username: "o", mfa: { totp: true } },
            },
        });
        // Compile-time checks only: the fixture is never up here.
        const typed = async () => {
            const admin: FixtureTokens = await users.signIn("admin");
            const otp: FixtureTokens = await users.signIn("otp");
            const first: FixtureTokens | FixtureChallenge = await users.signIn("first");
            // @ts-expect-error a temporary-password user may get a challenge back
            const notTokens: FixtureTokens = await users.signIn("first");
            const completed: FixtureTokens = await users.signIn("first", { newPassword: "New-Passw0rd!" });
            const code: string = users.totp("otp");
            return [admin, otp, first, notTokens, completed, code];
        };
        assert.equal(typeof typed, "function");
    });
});
