/**
 * Shared builders for the pure unit tests: inputs as `check` would return them, and outputs as `create`
 * would record them, so diff tests start from realistic state rather than hand-written objects.
 */
import { strict as assert } from "assert";
import { InputFailure, UserInputs, UserOutputs } from "../../provider/shared/types";
import { validateUserInputs } from "../../provider/shared/validate";
import { toUserOutputs } from "../../provider/user/outputs";

/** A real-Cognito pool id. */
export const REAL_POOL = "eu-west-1_AbCdEf123";
/** A cognito-local pool id. */
export const LOCAL_POOL = "local_AbCd1234";
/** A password used only as test data; tests never print it. */
export const TEST_PASSWORD = "Unit-Test-Passw0rd!";

/** Raw inputs that pass validation; tests override single properties. */
export function rawInputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        userPoolId: REAL_POOL,
        username: "alice",
        attributes: { email: "alice@example.com" },
        ...overrides,
    };
}

/** Validates raw inputs that must be valid and returns the normalized inputs. */
export function checkedInputs(overrides: Record<string, unknown> = {}): UserInputs {
    const { inputs, failures } = validateUserInputs(rawInputs(overrides));
    assert.deepEqual(failures, [], "fixture inputs must be valid");
    return inputs;
}

/** The failures validation reports for raw inputs built from `overrides`. */
export function failuresFor(overrides: Record<string, unknown>): InputFailure[] {
    return validateUserInputs(rawInputs(overrides)).failures;
}

/**
 * The outputs `create` records for `inputs`, with Cognito's answer simulated: the given canonical
 * Username and sub, every declared attribute echoed back (plus `sub`, which Cognito owns).
 */
export function createdOutputs(
    inputs: UserInputs,
    cognito: {
        username?: string;
        sub?: string;
        generatedPassword?: string;
        passwordManaged?: boolean;
    } = {},
): UserOutputs {
    const sub = cognito.sub ?? "0b5e1c1a-7f0e-4c55-9a55-3f5a1b2c3d4e";
    const password = inputs.generatePassword ? cognito.generatedPassword : inputs.password;
    return toUserOutputs(
        inputs,
        {
            username: cognito.username ?? inputs.username,
            attributes: { ...inputs.attributes, sub },
            enabled: inputs.enabled,
            status: password !== undefined ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD",
            createdAt: new Date("2024-01-01T00:00:00Z"),
            lastModifiedAt: new Date("2024-01-01T00:00:00Z"),
            mfaSettingList: [],
        },
        inputs.groups,
        {
            password,
            temporaryPassword: inputs.temporaryPassword,
            passwordManaged: cognito.passwordManaged ?? true,
        },
        inputs.attributes,
    );
}

/** The failure for one property; fails the test when there is none. */
export function failureOf(failures: InputFailure[], property: string): InputFailure {
    const found = failures.find((f) => f.property === property);
    assert.ok(found, `expected a failure for ${property}, got ${JSON.stringify(failures.map((f) => f.property))}`);
    return found;
}
