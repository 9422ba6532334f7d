import { translateCognitoError } from "../shared/errors";

/** Who a Cognito call is about, for error messages. */
export interface UserRef {
    userPoolId: string;
    /** The name the program knows the user by. */
    username: string;
    /** Values that must never appear in an error. */
    secrets?: Array<string | undefined>;
}

/** Runs one Cognito call, turning any failure into a `CognitoUserError` that names the operation and the user. */
export async function step<T>(operation: string, user: UserRef, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        throw translateCognitoError(error, { operation, username: user.username, userPoolId: user.userPoolId, secrets: user.secrets });
    }
}
