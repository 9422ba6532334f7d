/**
 * The package as users get it: `npm pack` of this repository installed with npm into a fresh TypeScript
 * Pulumi project and a fresh plain-JavaScript one, each `pulumi up`-ed against cognito-local and destroyed.
 * Nothing here resolves to the repository's sources: the program, the language host's runner and the
 * dynamic-provider host load the installed tarball and the installed @pulumi/pulumi.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensurePulumi, repoRoot } from "../../scripts/pulumiEnv";
import {
    createTestPool,
    getStoredUser,
    listPoolUsers,
    signIn,
    startTestCognito,
    TestCognito,
    TestPool,
    TEST_REGION,
} from "../support/cognito";
import { ensureBuilt, exec, PULUMI_SDK_VERSION } from "../support/packedPackage";
import { PulumiResult, runPulumi, RunPulumiOptions } from "../support/pulumiCli";

/** The programs: one user each, from stack config, exporting what the test checks. */
const TS_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { CognitoUser } from "pulumi-cognito-user";

const config = new pulumi.Config();
const user = new CognitoUser("packaged", {
    userPoolId: config.require("userPoolId"),
    username: config.require("username"),
    attributes: { given_name: "Packaged", "custom:team": "ts" },
    password: config.requireSecret("password"),
    groups: ["members"],
});
export const sub: pulumi.Output<string> = user.sub;
export const cognitoUsername: pulumi.Output<string> = user.cognitoUsername;
export const status: pulumi.Output<string> = user.status;
`;

const JS_PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { CognitoUser } = require("pulumi-cognito-user");

const config = new pulumi.Config();
const user = new CognitoUser("packaged", {
    userPoolId: config.require("userPoolId"),
    username: config.require("username"),
    attributes: { given_name: "Packaged", "custom:team": "js" },
    password: config.requireSecret("password"),
    groups: ["members"],
});
exports.sub = user.sub;
exports.cognitoUsername = user.cognitoUsername;
exports.status = user.status;
`;

/** The tsconfig `pulumi new typescript` writes: strict, type-checked by ts-node when the program runs. */
const TSCONFIG = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: true,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
};

/** A fresh project with the packed tarball installed. */
interface InstalledProject {
    dir: string;
    name: string;
    language: "typescript" | "javascript";
}

/** Writes a project and `npm install`s the tarball and @pulumi/pulumi into it, from npm's cache where it can. */
async function installProject(root: string, language: InstalledProject["language"], tarball: string): Promise<InstalledProject> {
    const name = `packaged-${language}-${randomBytes(3).toString("hex")}`;
    const dir = path.join(root, language);
    fs.mkdirSync(dir);
    const typescript = language === "typescript";
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }, null, 2));
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        typescript ? `name: ${name}\nruntime: nodejs\n` : `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`,
    );
    if (typescript) {
        fs.writeFileSync(path.join(dir, "index.ts"), TS_PROGRAM);
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    } else {
        fs.writeFileSync(path.join(dir, "index.js"), JS_PROGRAM);
    }
    await exec(
        "npm",
        ["install", tarball, `@pulumi/pulumi@${PULUMI_SDK_VERSION}`, "--save-exact", "--prefer-offline", "--no-audit", "--no-fund"],
        dir,
    );
    if (typescript) {
        // The compiler a TypeScript project brings as devDependencies, linked rather than installed: it is
        // the user's toolchain, not this package's, and the repository already has it.
        for (const pkg of ["typescript", "ts-node", "@types/node"]) {
            const link = path.join(dir, "node_modules", pkg);
            if (fs.existsSync(link)) continue; // already there as another package's dependency
            fs.mkdirSync(path.dirname(link), { recursive: true });
            fs.symlinkSync(path.join(repoRoot, "node_modules", pkg), link, "dir");
        }
    }
    return { dir, name, language };
}

describe("the packed package in fresh projects (e2e)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let root: string;
    let stateDir: string;
    const projects: Partial<Record<InstalledProject["language"], InstalledProject>> = {};
    const password = `Pw-${randomBytes(12).toString("base64url")}-9a!`;

    before(async function () {
        await ensurePulumi();
        await ensureBuilt();
        root = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-package-"));
        stateDir = path.join(root, "state");
        fs.mkdirSync(stateDir);
        const packed = JSON.parse(
            await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", root], repoRoot),
        ) as Array<{ filename: string; files: Array<{ path: string }> }>;
        const tarball = path.join(root, packed[0].filename);
        const files = packed[0].files.map((f) => f.path);
        assert.ok(
            files.includes("dist/provider/index.js") && files.includes("dist/provider/user/handlers.js"),
            "the tarball holds the built provider",
        );
        assert.ok(!files.some((f) => f.startsWith("test/") || f.startsWith("provider/")), "the tarball holds no sources or tests");
        // Both installs at once: npm's cache is safe to share, and each takes seconds. Both settle before
        // a failure is raised, so no install still writes while `after` removes the folder.
        const installs = await Promise.allSettled([
            installProject(root, "typescript", tarball),
            installProject(root, "javascript", tarball),
        ]);
        for (const install of installs) {
            if (install.status === "rejected") throw install.reason;
            projects[install.value.language] = install.value;
        }
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, { groups: ["members"], customAttributes: ["team"] });
    });

    after(async function () {
        await cognito?.stop();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    for (const language of ["typescript", "javascript"] as const) {
        it(`${language}: the installed package creates a user with pulumi up and deletes it with destroy`, async function () {
            const project = projects[language]!;
            const installed = fs.realpathSync(path.join(project.dir, "node_modules", "pulumi-cognito-user"));
            assert.ok(installed.startsWith(project.dir), "the package is installed in the project, not linked to the repository");
            // TypeScript is type-checked, as a user's program is by default: the published types must compile.
            const transpileOnly = { PULUMI_NODEJS_TRANSPILE_ONLY: language === "typescript" ? "false" : "true" };
            const pulumi = (args: string[], opts: RunPulumiOptions = {}): Promise<PulumiResult> =>
                runPulumi(project.dir, [...args, "--stack", "dev"], {
                    ...opts,
                    env: {
                        PULUMI_BACKEND_URL: `file://${stateDir}`,
                        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
                        ...transpileOnly,
                        ...opts.env,
                    },
                });
            const username = `${language}-user`;
            await runPulumi(project.dir, ["stack", "init", "dev"], { env: { PULUMI_BACKEND_URL: `file://${stateDir}` } });
            await pulumi([
                "config",
                "set-all",
                "--plaintext",
                `aws:region=${TEST_REGION}`,
                "--plaintext",
                `cognito-user:endpoint=${cognito.endpoint}`,
                "--plaintext",
                `userPoolId=${pool.id}`,
                "--plaintext",
                `username=${username}`,
            ]);
            await pulumi(["config", "set", "--secret", "password"], { input: password });

            const up = await pulumi(["up", "--yes", "--skip-preview"]);
            assert.match(up.stdout, /\+ 2 created/);
            assert.ok(!(up.stdout + up.stderr).includes(password), "the password is not printed");
            const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout) as {
                sub: string;
                cognitoUsername: string;
                status: string;
            };
            const stored = (await getStoredUser(cognito.client, pool.id, username))!;
            assert.ok(stored, "the user exists in Cognito");
            assert.equal(stored.attributes.sub, outputs.sub);
            assert.equal(stored.attributes["custom:team"], language === "typescript" ? "ts" : "js");
            assert.deepEqual(stored.groups, ["members"]);
            assert.equal(outputs.status, "CONFIRMED");
            assert.equal(await signIn(cognito.client, pool, username, password), "SIGNED_IN");

            await pulumi(["preview", "--expect-no-changes"]);
            await pulumi(["destroy", "--yes", "--skip-preview"]);
            assert.equal(await getStoredUser(cognito.client, pool.id, username), undefined, "destroy deleted the user");
            await pulumi(["stack", "rm", "--yes"]);
        });
    }

    it("left no user in the pool", async function () {
        assert.deepEqual(await listPoolUsers(cognito.client, pool.id), []);
    });
});
