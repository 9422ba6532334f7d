// A user pool, an app client, groups and seed users: the program you would write for real AWS.
//   pulumi config set aws:region eu-west-1
//   pulumi config set --secret adminPassword '<a password meeting the policy below>'
//   pulumi up
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CognitoUser } from "pulumi-cognito-user";

const config = new pulumi.Config();

export const pool = new aws.cognito.UserPool("pool", {
    usernameAttributes: ["email"],
    passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
    schemas: [{ name: "tier", attributeDataType: "String", mutable: true }],
});

export const client = new aws.cognito.UserPoolClient("web", {
    userPoolId: pool.id,
    explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    generateSecret: false,
});

const admins = new aws.cognito.UserGroup("admins", { userPoolId: pool.id, name: "admins" });
const editors = new aws.cognito.UserGroup("editors", { userPoolId: pool.id, name: "editors" });

/** Can sign in at once with the configured password, and sits in `admins`. */
export const admin = new CognitoUser("admin", {
    userPoolId: pool.id,
    username: "admin@example.com",
    attributes: { email: "admin@example.com", email_verified: "true", given_name: "Ada" },
    password: config.requireSecret("adminPassword"),
    groups: [admins.name],
});

/** For end-to-end tests: the provider generates a password meeting the pool's policy (secret output). */
export const editor = new CognitoUser("editor", {
    userPoolId: pool.id,
    username: "editor@example.com",
    attributes: { email: "editor@example.com", email_verified: "true", tier: "gold" },
    generatePassword: true,
    groups: [editors.name],
});

/** Tests the lock-out path: exists, but cannot sign in. */
export const locked = new CognitoUser("locked", {
    userPoolId: pool.id,
    username: "locked@example.com",
    attributes: { email: "locked@example.com" },
    generatePassword: true,
    enabled: false,
});

export const poolId = pool.id;
export const clientId = client.id;
export const editorPassword = editor.password; // secret: `pulumi stack output editorPassword --show-secrets`
