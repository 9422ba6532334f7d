/**
 * pulumi-cognito-user: Amazon Cognito seed and test users as Pulumi resources.
 */
export { CognitoUser, CognitoUserArgs } from "./cognitoUser";
export { ConnectionArgs } from "./connectionDefaults";
export { CognitoUserError, CognitoUserErrorCode, CognitoUserErrorShape, errorShape } from "./core/errors";
export { PasswordPolicy, generatePassword, passwordPolicyViolations } from "./core/password";
