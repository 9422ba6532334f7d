/**
 * pulumi-cognito-user: Amazon Cognito seed and test users as Pulumi resources.
 */
export { CognitoUser, CognitoUserArgs } from "./user/cognitoUser";
export { ConnectionArgs } from "./shared/program/connectionDefaults";
export { UserFieldsArgs } from "./shared/program/userFieldsArgs";
export { CognitoUserError, CognitoUserErrorCode, CognitoUserErrorShape, errorShape } from "./shared/errors";
export { PasswordPolicy, generatePassword, passwordPolicyViolations } from "./shared/password";
export { CognitoUserBatch, CognitoUserBatchArgs, BatchUserArgs, BatchUserSummary } from "./batch/cognitoUserBatch";
export { BatchUserDefaults } from "./batch/load";
export { QuotaRates, QuotaCategory, DEFAULT_QUOTA_RATES } from "./batch/quotas";
