/**
 * pulumi-cognito-user: Amazon Cognito seed and test users as Pulumi resources.
 */
export { CognitoUser, CognitoUserArgs } from "./cognitoUser";
export { ConnectionArgs } from "./connectionDefaults";
export { UserFieldsArgs } from "./userFieldsArgs";
export { CognitoUserError, CognitoUserErrorCode, CognitoUserErrorShape, errorShape } from "./core/errors";
export { PasswordPolicy, generatePassword, passwordPolicyViolations } from "./core/password";
export { CognitoUserBatch, CognitoUserBatchArgs, BatchUserArgs, BatchUserSummary } from "./cognitoUserBatch";
export { BatchUserDefaults } from "./batch/load";
export { QuotaRates, QuotaCategory, DEFAULT_QUOTA_RATES } from "./batch/quotas";
