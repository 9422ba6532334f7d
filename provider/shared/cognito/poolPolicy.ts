/**
 * The pool's password policy as a write needs it: read once per pool and connection for the whole run,
 * and every declared password checked against it before anything is written.
 */
import { describeConnection } from "./connection";
import { CognitoUserError, isResourceNotFound, poolNotFoundError } from "../errors";
import { CognitoGateway, UserRef } from "./gateway";
import { declaredPasswordProblems, PasswordPolicy } from "../password";
import { UserInputs } from "../types";

/** The pool's password policy (`DescribeUserPool`); a pool Cognito cannot find is NOT_FOUND, naming the connection. */
export async function poolPasswordPolicy(cognito: CognitoGateway, inputs: UserInputs, user: UserRef): Promise<PasswordPolicy> {
    try {
        return (await cognito.describeUserPool({ user })).passwordPolicy;
    } catch (error) {
        if (!isResourceNotFound(error)) throw error;
        throw poolNotFoundError({
            operation: "DescribeUserPool",
            username: inputs.username,
            userPoolId: inputs.userPoolId,
            where: describeConnection(inputs),
        });
    }
}

/** Raises VALIDATION_ERROR, before any write, when a declared password breaks the pool's policy. */
export function assertPasswordsMeetPolicy(
    declared: { password?: string; temporaryPassword?: string },
    policy: PasswordPolicy,
    who: string,
): void {
    const problems = declaredPasswordProblems(declared, policy, who);
    if (problems.length > 0) throw new CognitoUserError("VALIDATION_ERROR", problems.join(" "));
}
