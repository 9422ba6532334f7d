/**
 * Password policy, checking and generation. Passwords are asserted on, never printed.
 */
import { strict as assert } from "assert";
import {
    declaredPasswordProblems,
    COGNITO_SYMBOLS,
    DEFAULT_PASSWORD_POLICY,
    generatePassword,
    GENERATED_PASSWORD_LENGTH,
    PasswordPolicy,
    passwordPolicyFromCognito,
    passwordPolicyViolations,
} from "../../provider/shared/password";

/** A small seeded generator (mulberry32), so the random policies are the same on every run. */
function seeded(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A `pick(max)` drawing from a seeded sequence, checking it is asked for a valid range. */
function seededPick(seed: number): (max: number) => number {
    const next = seeded(seed);
    return (max: number) => {
        assert.ok(Number.isInteger(max) && max > 0, "pick must be asked for a positive whole range");
        return Math.floor(next() * max);
    };
}

function randomPolicy(next: () => number): PasswordPolicy {
    return {
        minimumLength: 6 + Math.floor(next() * 94), // 6..99
        requireUppercase: next() < 0.5,
        requireLowercase: next() < 0.5,
        requireNumbers: next() < 0.5,
        requireSymbols: next() < 0.5,
    };
}

const shellUnsafe = /["'`\\]/;

describe("passwords", () => {
    describe("generatePassword", () => {
        it("meets each of 1000 random policies (lengths 6 to 99, any requirements) at the expected length", () => {
            const next = seeded(20240601);
            for (let i = 0; i < 1000; i++) {
                const policy = randomPolicy(next);
                const password = generatePassword(policy);
                // Messages name the policy, never the password.
                assert.deepEqual(passwordPolicyViolations(password, policy), [], `policy ${JSON.stringify(policy)}`);
                assert.equal(
                    password.length,
                    Math.max(policy.minimumLength, GENERATED_PASSWORD_LENGTH),
                    `length for policy ${JSON.stringify(policy)}`,
                );
                assert.ok(!shellUnsafe.test(password), `a generated password must paste into a shell (policy ${JSON.stringify(policy)})`);
            }
        });

        it("meets every combination of requirements at the boundary lengths", () => {
            for (let mask = 0; mask < 16; mask++) {
                for (const minimumLength of [6, 23, 24, 25, 98, 99]) {
                    const policy: PasswordPolicy = {
                        minimumLength,
                        requireUppercase: (mask & 1) !== 0,
                        requireLowercase: (mask & 2) !== 0,
                        requireNumbers: (mask & 4) !== 0,
                        requireSymbols: (mask & 8) !== 0,
                    };
                    const password = generatePassword(policy);
                    assert.deepEqual(passwordPolicyViolations(password, policy), [], `policy ${JSON.stringify(policy)}`);
                    assert.equal(password.length, Math.max(minimumLength, GENERATED_PASSWORD_LENGTH));
                }
            }
        });

        it("meets the strictest policy even when pick always draws the first or the last choice", () => {
            const strict: PasswordPolicy = {
                ...DEFAULT_PASSWORD_POLICY,
                minimumLength: 99,
            };
            for (const pick of [() => 0, (max: number) => max - 1]) {
                assert.deepEqual(passwordPolicyViolations(generatePassword(strict, pick), strict), []);
                assert.deepEqual(passwordPolicyViolations(generatePassword(DEFAULT_PASSWORD_POLICY, pick), DEFAULT_PASSWORD_POLICY), []);
            }
        });

        it("is deterministic for an injected pick", () => {
            const a = generatePassword(DEFAULT_PASSWORD_POLICY, seededPick(7));
            const b = generatePassword(DEFAULT_PASSWORD_POLICY, seededPick(7));
            const c = generatePassword(DEFAULT_PASSWORD_POLICY, seededPick(8));
            assert.ok(a === b, "the same picks must give the same password");
            assert.ok(a !== c, "other picks must give another password");
        });

        it("draws from crypto by default: no two of 200 passwords are equal", () => {
            const seen = new Set<string>();
            for (let i = 0; i < 200; i++) seen.add(generatePassword(DEFAULT_PASSWORD_POLICY));
            assert.equal(seen.size, 200);
        });
    });

    describe("passwordPolicyViolations", () => {
        it("names each broken rule", () => {
            const policy = { ...DEFAULT_PASSWORD_POLICY, minimumLength: 12 };
            assert.deepEqual(passwordPolicyViolations("abc", policy), [
                "shorter than 12 characters",
                "no upper-case letter",
                "no digit",
                "no symbol",
            ]);
            assert.deepEqual(passwordPolicyViolations("ABCDEFGHIJKL", policy), ["no lower-case letter", "no digit", "no symbol"]);
            assert.deepEqual(passwordPolicyViolations(" Abcdefgh1!xy", policy), ["leading or trailing white space"]);
            assert.deepEqual(passwordPolicyViolations("Abcdefgh1!xy ", policy), ["leading or trailing white space"]);
            assert.deepEqual(passwordPolicyViolations("Abcdef gh1!xy", policy), []);
        });

        it("counts every one of Cognito's symbols", () => {
            const policy: PasswordPolicy = {
                minimumLength: 1,
                requireUppercase: false,
                requireLowercase: false,
                requireNumbers: false,
                requireSymbols: true,
            };
            for (const symbol of COGNITO_SYMBOLS) assert.deepEqual(passwordPolicyViolations(`a${symbol}b`, policy), [], `symbol ${symbol}`);
        });

        it("accepts anything under an empty policy", () => {
            const none: PasswordPolicy = {
                minimumLength: 6,
                requireUppercase: false,
                requireLowercase: false,
                requireNumbers: false,
                requireSymbols: false,
            };
            assert.deepEqual(passwordPolicyViolations("aaaaaa", none), []);
        });

        it("never includes the password in what it reports", () => {
            const next = seeded(99);
            // Distinctive texts, so none is a word of the messages by chance.
            const samples = ["qzq", "zzzzzzzzzzzzzzzz", "QWQWQWQWQWQW", "98765432", "!!!!!!!!", " Lqz1!", "Tqz1! ", "x"];
            for (let i = 0; i < 200; i++) {
                const policy = randomPolicy(next);
                for (const password of samples) {
                    for (const problem of passwordPolicyViolations(password, policy)) {
                        assert.ok(!problem.includes(password), "a violation must not quote the password");
                    }
                }
            }
        });
    });

    describe("passwordPolicyFromCognito", () => {
        it("uses Cognito's defaults when the pool reports no policy", () => {
            assert.deepEqual(passwordPolicyFromCognito(undefined), DEFAULT_PASSWORD_POLICY);
            assert.notEqual(passwordPolicyFromCognito(undefined), DEFAULT_PASSWORD_POLICY, "a copy, so callers cannot change the default");
        });

        it("fills what the policy omits: length 8, requirements off", () => {
            assert.deepEqual(passwordPolicyFromCognito({}), {
                minimumLength: 8,
                requireUppercase: false,
                requireLowercase: false,
                requireNumbers: false,
                requireSymbols: false,
            });
            assert.deepEqual(passwordPolicyFromCognito({ MinimumLength: 12, RequireSymbols: true }), {
                minimumLength: 12,
                requireUppercase: false,
                requireLowercase: false,
                requireNumbers: false,
                requireSymbols: true,
            });
        });

        it("copies every field Cognito reports", () => {
            assert.deepEqual(
                passwordPolicyFromCognito({
                    MinimumLength: 6,
                    RequireUppercase: true,
                    RequireLowercase: true,
                    RequireNumbers: true,
                    RequireSymbols: false,
                }),
                {
                    minimumLength: 6,
                    requireUppercase: true,
                    requireLowercase: true,
                    requireNumbers: true,
                    requireSymbols: false,
                },
            );
        });
    });

    describe("declaredPasswordProblems: checked before any write", () => {
        const policy = { minimumLength: 12, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true };

        it("names the field, the user and every rule broken, and what to declare instead, never the password", () => {
            const weak = "short1";
            const [problem, ...rest] = declaredPasswordProblems({ password: weak }, policy, 'user "ann" in pool eu-west-1_AbC');
            assert.equal(rest.length, 0);
            assert.match(problem, /^password of user "ann" in pool eu-west-1_AbC does not meet the pool's password policy/);
            assert.match(problem, /shorter than 12 characters/);
            assert.match(problem, /no upper-case letter/);
            assert.match(problem, /no symbol/);
            assert.match(problem, /at least 12 characters with an upper-case letter, a lower-case letter, a digit and a symbol/);
            assert.ok(!problem.includes(weak));
        });

        it("checks a temporary password too, and passes one that meets the policy", () => {
            assert.equal(declaredPasswordProblems({ temporaryPassword: "nope" }, policy, "x").length, 1);
            assert.deepEqual(declaredPasswordProblems({ password: "Correct-Horse-9" }, policy, "x"), []);
        });
    });
});
