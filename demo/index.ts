// The demo program (`npm run demo` runs it against the embedded cognito-local; with a real pool id and
// no endpoint it runs against AWS alike). The pool, its app client and groups come from config because
// the demo makes them with the SDK: @pulumi/aws's provider plugin cannot be installed offline.
import * as pulumi from "@pulumi/pulumi";
import { CognitoUser } from "pulumi-cognito-user";

const config = new pulumi.Config();
const userPoolId = config.require("userPoolId");

/** An admin with a permanent password, in `admins`: CONFIRMED, can sign in at once. */
const admin = new CognitoUser("admin", {
    userPoolId,
    username: "admin@example.com",
    attributes: { email: "admin@example.com", email_verified: "true", given_name: "Ada" },
    password: config.requireSecret("adminPassword"),
    groups: ["admins"],
});

/** An editor whose password the provider generates to the pool's policy (a secret output). */
const editor = new CognitoUser("editor", {
    userPoolId,
    username: "editor@example.com",
    attributes: { email: "editor@example.com", email_verified: "true", given_name: "Edsger" },
    generatePassword: true,
    groups: ["editors"],
});

/** A viewer with a temporary password: must choose a new one at first sign-in. */
const viewer = new CognitoUser("viewer", {
    userPoolId,
    username: "viewer@example.com",
    attributes: { email: "viewer@example.com", given_name: "Vera" },
    temporaryPassword: config.requireSecret("viewerTemporaryPassword"),
    groups: ["viewers"],
});

/** A disabled account, to test the lock-out path. */
const locked = new CognitoUser("locked", {
    userPoolId,
    username: "locked@example.com",
    attributes: { email: "locked@example.com", given_name: "Lou" },
    generatePassword: true,
    enabled: false,
});

const all = { admin, editor, viewer, locked };

/** Everything but passwords, for the demo's summary. */
export const users = Object.entries(all).map(([name, u]) =>
    pulumi
        .all([u.id, u.username, u.cognitoUsername, u.sub, u.status, u.enabled, u.groups, u.createdAt])
        .apply(([id, username, cognitoUsername, sub, status, enabled, groups, createdAt]) => ({
            name,
            id,
            username,
            cognitoUsername,
            sub,
            status,
            enabled,
            groups,
            createdAt,
        })),
);
/** The generated password (secret): `npm run pulumi -- stack output editorPassword --show-secrets --stack demo`. */
export const editorPassword = editor.password;
