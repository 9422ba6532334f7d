/**
 * The no-change shortcut of the batch's plan (`recordStillDeclared` in provider/batch/plan.ts): it may
 * answer "unchanged" only where the full single-user diff (`diffUser`) finds no change, over every
 * combination of the fields it looks at; and a plan of 10,000 unchanged users takes it for each.
 */
import { strict as assert } from "assert";
import { planBatch, recordStillDeclared, userInputsOf, userOutputsOf } from "../../provider/batch/plan";
import { BatchInputs, BatchOutputs, BatchUserRecord, DeclaredPasswords, DeclaredUser } from "../../provider/batch/types";
import { diffUser } from "../../provider/shared/diff";
import { UNKNOWN } from "../../provider/shared/unknown";
import { REAL_POOL } from "./fixtures";

const settings = { userPoolId: REAL_POOL, region: "eu-west-1", maxAttempts: 3, concurrency: 10, adoptExisting: false };

const attributeSets: Array<Record<string, string>> = [
    {},
    { email: "a@example.com" },
    { email: "b@example.com" },
    { email: "a@example.com", name: "A" },
    { email: UNKNOWN as unknown as string },
];
const groupSets: Array<string[] | undefined> = [undefined, [], ["viewers"], ["admins", "viewers"], ["viewers", "admins"]];
const passwordSets: Array<{ password?: string; temporaryPassword?: string }> = [
    {},
    { password: "P1" },
    { password: "P2" },
    { temporaryPassword: "T1" },
];
const mfaSets = [undefined, { totp: true, sms: false, preferred: "totp" as const }];

describe("batch: the no-change shortcut of the plan", function () {
    it("answers unchanged only where diffUser finds no change, over every combination", function () {
        let shortcuts = 0;
        let cases = 0;
        for (const recordedAttributes of attributeSets.slice(1, 4))
            for (const attributes of attributeSets)
                for (const recordedGroups of [[], ["admins", "viewers"]])
                    for (const groups of groupSets)
                        for (const enabled of [undefined, false] as const)
                            for (const recordedEnabled of [true, false])
                                for (const generate of [undefined, true] as const)
                                    for (const recordedGenerate of [undefined, true] as const)
                                        for (const declared of passwordSets)
                                            for (const recorded of passwordSets)
                                                for (const mfa of mfaSets) {
                                                    const record: BatchUserRecord = {
                                                        cognitoUsername: "ann",
                                                        sub: "sub-1",
                                                        status: "CONFIRMED",
                                                        enabled: recordedEnabled,
                                                        groups: recordedGroups as string[],
                                                        attributes: recordedAttributes,
                                                        ...(recordedGenerate ? { generatePassword: true as const } : {}),
                                                        ...(mfa ? { mfa } : {}),
                                                    };
                                                    const user: DeclaredUser = {
                                                        attributes,
                                                        ...(groups ? { groups } : {}),
                                                        ...(enabled === false ? { enabled } : {}),
                                                        ...(generate ? { generatePassword: true as const } : {}),
                                                    };
                                                    const passwords: DeclaredPasswords | undefined =
                                                        Object.keys(declared).length > 0 ? declared : undefined;
                                                    const olds = userOutputsOf(settings, "ann", record, {
                                                        passwords: recorded.password ? { ann: recorded.password } : {},
                                                        temporaryPasswords: recorded.temporaryPassword
                                                            ? { ann: recorded.temporaryPassword }
                                                            : {},
                                                    });
                                                    const news = userInputsOf(settings, "ann", user, passwords);
                                                    const unchanged = diffUser(olds, news).changed.length === 0;
                                                    const shortcut = recordStillDeclared(record, user, passwords, recorded);
                                                    cases++;
                                                    if (shortcut) shortcuts++;
                                                    if (shortcut)
                                                        assert.ok(unchanged, JSON.stringify({ record, user, passwords, recorded }));
                                                }
        assert.ok(shortcuts > 50, `the shortcut is taken in the plain cases (${shortcuts} of ${cases})`);
    });

    it("plans 10,000 unchanged users as unchanged; a changed password is still an update", function () {
        const declaredUsers: Record<string, DeclaredUser> = {};
        const users: Record<string, BatchUserRecord> = {};
        for (let i = 0; i < 10_000; i++) {
            const attributes = { email: `user-${i}@example.com`, "custom:tenant": "acme" };
            declaredUsers[`user-${i}`] = { attributes, ...(i % 2 ? { groups: ["viewers"] } : {}) };
            users[`user-${i}`] = {
                cognitoUsername: `user-${i}`,
                sub: `sub-${i}`,
                status: "CONFIRMED",
                enabled: true,
                groups: i % 2 ? ["viewers"] : [],
                attributes: { ...attributes },
            };
        }
        const news: BatchInputs = { ...settings, declaredUsers, userPasswords: { "user-0": { password: "P1" } } };
        const olds: BatchOutputs = { ...settings, users, passwords: { "user-0": "P1" }, temporaryPasswords: {}, count: 10_000 };
        const plan = planBatch(olds, news);
        assert.equal(plan.unchanged.length, 10_000);
        assert.equal(plan.create.length + plan.update.length + plan.delete.length, 0);
        // A changed password is still planned as an update (and checked against the pool's policy before it is written).
        const changed = planBatch(olds, { ...news, userPasswords: { "user-0": { password: "P2" } } });
        assert.deepEqual(
            changed.update.map((u) => [u.news.username, u.changed]),
            [["user-0", ["password"]]],
        );
    });
});
