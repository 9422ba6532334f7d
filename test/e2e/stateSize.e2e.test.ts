/**
 * How much state a `CognitoUser` costs, as `pulumi stack export` shows it, in both places a program can
 * load the package from: a consumer project (the npm-packed tarball installed under node_modules) and
 * this repository (node_modules/pulumi-cognito-user, a self-link whose real path is outside node_modules,
 * as the tests, the demo and the examples run it). The engine rewrites the whole state after every step,
 * so each user's share is paid once per step of a per-resource `pulumi up` (issue #12: at most 3 KB).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePulumi } from "../../scripts/pulumiEnv";
import { createTestPool, listPoolUsers, startTestCognito, TestCognito, TestPool, TEST_REGION } from "../support/cognito";
import { installPacked, packRepository } from "../support/packedPackage";
import { createTempProject, runPulumi, RunPulumiOptions } from "../support/pulumiCli";
import { credentials, newPassword, StateResource, USER_TYPE } from "../support/testStack";

/** The most state bytes one CognitoUser may take (issue #12): its exported resource as compact JSON. */
const MAX_USER_STATE_BYTES = 3 * 1024;
/** The most bytes of the stored `__provider` text (it is stored twice per resource). */
const MAX_PROVIDER_BYTES = 128;

/** Two users shaped like the 0.1.0 fixture's `admin` and `editor` (test/fixtures/state-0.1.0). */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { CognitoUser } = require("pulumi-cognito-user");

const config = new pulumi.Config();
const userPoolId = config.require("userPoolId");
const prefix = config.require("prefix");
new CognitoUser("admin", {
    userPoolId,
    username: prefix + "-admin",
    attributes: { email: prefix + "-admin@example.com", email_verified: "true", given_name: "Ada" },
    generatePassword: true,
    groups: ["admins", "editors"],
});
new CognitoUser("editor", {
    userPoolId,
    username: prefix + "-editor",
    attributes: { email: prefix + "-editor@example.com", email_verified: "true", given_name: "Edith", "custom:team": "blue" },
    password: config.requireSecret("editorPassword"),
    groups: ["editors"],
});
`;

const PULUMI_YAML = (name: string): string => `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`;

/** One user's state: the exported resource's JSON (compact, and indented as `pulumi stack export` prints it). */
export interface UserStateSize {
    name: string;
    compact: number;
    indented: number;
    provider: number;
}

/** The size of every CognitoUser in an exported deployment. */
export function userStateSizes(exported: string): UserStateSize[] {
    const resources: StateResource[] = JSON.parse(exported).deployment.resources ?? [];
    return resources
        .filter((r) => r.type === USER_TYPE)
        .map((r) => ({
            name: r.urn.slice(r.urn.lastIndexOf("::") + 2),
            compact: Buffer.byteLength(JSON.stringify(r)),
            indented: Buffer.byteLength(JSON.stringify(r, null, 4)),
            provider: Buffer.byteLength(String(r.inputs?.__provider)),
        }));
}

describe("a CognitoUser's state size (e2e)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let root: string;

    before(async function () {
        await ensurePulumi();
        root = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-state-size-"));
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, { groups: ["admins", "editors"], customAttributes: ["team"] });
    });

    after(async function () {
        await cognito?.stop();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    /** `up`, export, `destroy` of the program in `dir`; returns each user's state size. */
    async function measure(dir: string, prefix: string): Promise<UserStateSize[]> {
        const stateDir = fs.mkdtempSync(path.join(root, "state-"));
        const env = {
            PULUMI_BACKEND_URL: `file://${stateDir}`,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
            AWS_PROFILE: undefined,
            ...credentials,
        };
        const pulumi = (args: string[], opts: RunPulumiOptions = {}) =>
            runPulumi(dir, [...args, "--stack", "size"], { ...opts, env: { ...env, ...opts.env } });
        await runPulumi(dir, ["stack", "init", "size"], { env });
        try {
            await pulumi(["config", "set-all", "--plaintext", `aws:region=${TEST_REGION}`]);
            await pulumi(["config", "set-all", "--plaintext", `cognito-user:endpoint=${cognito.endpoint}`]);
            await pulumi(["config", "set-all", "--plaintext", `userPoolId=${pool.id}`, "--plaintext", `prefix=${prefix}`]);
            await pulumi(["config", "set", "--secret", "editorPassword"], { input: newPassword() });
            await pulumi(["up", "--yes", "--skip-preview"]);
            const sizes = userStateSizes((await pulumi(["stack", "export"])).stdout);
            console.log(`      ${prefix}: ${JSON.stringify(sizes)}`);
            await pulumi(["preview", "--expect-no-changes"]);
            return sizes;
        } finally {
            await pulumi(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
            await pulumi(["stack", "rm", "--yes", "--force"], { allowFailure: true });
        }
    }

    function assertSmall(sizes: UserStateSize[]): void {
        assert.deepEqual(sizes.map((s) => s.name).sort(), ["admin", "editor"]);
        for (const size of sizes) {
            assert.ok(size.provider <= MAX_PROVIDER_BYTES, `${size.name}'s __provider is ${size.provider} bytes`);
            assert.ok(size.compact <= MAX_USER_STATE_BYTES, `${size.name}'s state is ${size.compact} bytes`);
        }
    }

    it("in a consumer project (the packed package installed under node_modules): at most 3 KB per user", async function () {
        const dir = path.join(root, "consumer");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "state-size", private: true }));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), PULUMI_YAML("state-size"));
        fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
        const { tarball } = await packRepository(root);
        await installPacked(dir, tarball);
        assertSmall(await measure(dir, "consumer"));
    });

    it("in this repository (the package through its self-link): at most 3 KB per user", async function () {
        const project = createTempProject({ name: "state-size", files: { "index.js": PROGRAM }, runtimeOptions: { typescript: false } });
        try {
            assertSmall(await measure(project.dir, "repo"));
        } finally {
            project.remove();
        }
    });

    it("left no user in the pool", async function () {
        assert.deepEqual(await listPoolUsers(cognito.client, pool.id), []);
    });
});
