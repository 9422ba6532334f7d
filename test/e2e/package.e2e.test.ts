/**
 * The package as users get it: `npm pack` of this repository installed with npm into fresh projects, a
 * plain-JavaScript one and TypeScript ones resolving modules as `node` (Pulumi's template), `node16` and
 * `bundler`. What the tarball ships is checked; every exported subpath is imported (type-checked in
 * TypeScript, required in JavaScript); each Pulumi project is `pulumi up`-ed against cognito-local with
 * this repository's CLI and destroyed, the `node16` one running the README's quick-start program as it
 * stands. Nothing here resolves to the repository's sources: the program, the language host's runner and
 * the dynamic-provider host load the installed tarball and the installed @pulumi/pulumi.
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
import {
    exec,
    exportedSubpaths,
    installPacked,
    PackageManifest,
    packRepository,
    PackedRepository,
    tarballProblems,
} from "../support/packedPackage";
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

/** The README's quick-start program: the first `ts` block under "## Quick start", as users copy it. */
function readmeQuickStartProgram(): string {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const section = /^## Quick start\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
    const program = section && /^```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
    assert.ok(program, 'README.md has a "## Quick start" section with a ts program');
    return program;
}

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

/** The module settings of each TypeScript resolution under test. */
const RESOLUTIONS = {
    node: { module: "commonjs", moduleResolution: "node" },
    node16: { module: "node16", moduleResolution: "node16" },
    bundler: { module: "esnext", moduleResolution: "bundler" },
} as const;
type Resolution = keyof typeof RESOLUTIONS;

/** The projects: each language (and TypeScript resolution) with its program. */
const PROJECTS = {
    typescript: { typescript: true, resolution: "node" as Resolution, program: () => TS_PROGRAM },
    "typescript-node16": { typescript: true, resolution: "node16" as Resolution, program: readmeQuickStartProgram },
    javascript: { typescript: false, resolution: undefined, program: () => JS_PROGRAM },
};
type ProjectKind = keyof typeof PROJECTS;

/** A fresh project with the packed tarball installed. */
interface InstalledProject {
    dir: string;
    name: string;
    kind: ProjectKind;
    /** npm's output for the install. */
    installOutput: string;
}

/** Writes a project and `npm install`s the tarball and @pulumi/pulumi into it, from npm's cache where it can. */
async function installProject(root: string, kind: ProjectKind, tarball: string): Promise<InstalledProject> {
    const name = `packaged-${kind}-${randomBytes(3).toString("hex")}`;
    const dir = path.join(root, kind);
    fs.mkdirSync(dir);
    const { typescript, resolution, program } = PROJECTS[kind];
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }, null, 2));
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        typescript ? `name: ${name}\nruntime: nodejs\n` : `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`,
    );
    fs.writeFileSync(path.join(dir, typescript ? "index.ts" : "index.js"), program());
    if (typescript) {
        const tsconfig = { ...TSCONFIG, compilerOptions: { ...TSCONFIG.compilerOptions, ...RESOLUTIONS[resolution!] } };
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    }
    const installOutput = await installPacked(dir, tarball);
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
    return { dir, name, kind, installOutput };
}

/** The installed package's package.json, as a user's project has it. */
function installedManifest(project: InstalledProject): PackageManifest & { name: string } {
    return JSON.parse(fs.readFileSync(path.join(project.dir, "node_modules", "pulumi-cognito-user", "package.json"), "utf8"));
}

/** A module importing every exported subpath of the installed package and using a value of each. */
function importsOfEverySubpath(manifest: PackageManifest & { name: string }): string {
    const subpaths = exportedSubpaths(manifest).map(({ subpath }) => manifest.name + subpath.slice(1));
    assert.ok(subpaths.length >= 5, `the package exports ".", "./dynamic", "./dynamic-batch", "./testing" and "./local": ${subpaths}`);
    const lines = subpaths.map((specifier, i) => `import * as m${i} from ${JSON.stringify(specifier)};`);
    // Typed uses: a subpath whose types did not resolve fails with TS2307 (or TS7016 for untyped JavaScript).
    lines.push(
        `import { CognitoUser, CognitoUserBatch } from "pulumi-cognito-user";`,
        `import { cognitoFixture, FixtureUser } from "pulumi-cognito-user/testing";`,
        `import { startCognitoLocal, CognitoLocal } from "pulumi-cognito-user/local";`,
        `import { create as createUser } from "pulumi-cognito-user/dynamic";`,
        `import { create as createBatch } from "pulumi-cognito-user/dynamic-batch";`,
        `export const modules: object[] = [${subpaths.map((_, i) => `m${i}`).join(", ")}];`,
        `export const classes: Function[] = [CognitoUser, CognitoUserBatch];`,
        `export const functions: Function[] = [cognitoFixture, startCognitoLocal, createUser, createBatch];`,
        `export type Uses = [FixtureUser<"admin">["key"], CognitoLocal["endpoint"]];`,
    );
    return lines.join("\n") + "\n";
}

describe("the packed package in fresh projects (e2e)", function () {
    let cognito: TestCognito;
    let pool: TestPool;
    let root: string;
    let stateDir: string;
    let packed: PackedRepository;
    const projects: Partial<Record<ProjectKind, InstalledProject>> = {};
    const password = `Pw-${randomBytes(12).toString("base64url")}-9a!`;

    before(async function () {
        await ensurePulumi();
        root = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-package-"));
        stateDir = path.join(root, "state");
        fs.mkdirSync(stateDir);
        packed = await packRepository(root);
        assert.ok(
            packed.files.includes("dist/provider/index.js") && packed.files.includes("dist/provider/user/handlers.js"),
            "the tarball holds the built provider",
        );
        assert.ok(!packed.files.some((f) => f.startsWith("test/") || f.startsWith("provider/")), "the tarball holds no sources or tests");
        // Every install at once: npm's cache is safe to share, and each takes seconds. All settle before
        // a failure is raised, so no install still writes while `after` removes the folder.
        const installs = await Promise.allSettled(
            (Object.keys(PROJECTS) as ProjectKind[]).map((kind) => installProject(root, kind, packed.tarball)),
        );
        for (const install of installs) {
            if (install.status === "rejected") throw install.reason;
            projects[install.value.kind] = install.value;
        }
        cognito = await startTestCognito();
        pool = await createTestPool(cognito.client, { groups: ["members", "admins"], customAttributes: ["team"] });
    });

    after(async function () {
        await cognito?.stop();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    it("ships the JavaScript and types of every export, README, CHANGELOG and LICENSE; no tests, sources, maps or install scripts", function () {
        const manifest = installedManifest(projects.javascript!);
        assert.deepEqual(tarballProblems(packed.files, manifest), []);
        for (const file of ["README.md", "CHANGELOG.md", "LICENSE"]) {
            assert.equal(
                fs.readFileSync(path.join(projects.javascript!.dir, "node_modules", "pulumi-cognito-user", file), "utf8"),
                fs.readFileSync(path.join(repoRoot, file), "utf8"),
                `${file} is installed as it is in the repository`,
            );
        }
    });

    it("installs without npm naming a script of this package", function () {
        for (const project of Object.values(projects)) {
            const flagged = project!.installOutput.split("\n").filter((line) => line.includes("pulumi-cognito-user@"));
            assert.deepEqual(flagged, [], `npm install in the ${project!.kind} project`);
        }
    });

    for (const resolution of Object.keys(RESOLUTIONS) as Resolution[]) {
        it(`type-checks an import of every exported subpath with moduleResolution ${resolution}`, async function () {
            // node and bundler in the Pulumi template's project, node16 in its own.
            const project = projects[resolution === "node16" ? "typescript-node16" : "typescript"]!;
            fs.writeFileSync(path.join(project.dir, "imports.ts"), importsOfEverySubpath(installedManifest(project)));
            const tsconfig = `tsconfig.imports-${resolution}.json`;
            fs.writeFileSync(
                path.join(project.dir, tsconfig),
                JSON.stringify({
                    compilerOptions: { ...TSCONFIG.compilerOptions, ...RESOLUTIONS[resolution], noEmit: true, resolveJsonModule: true },
                    files: ["imports.ts"],
                }),
            );
            const tsc = path.join(project.dir, "node_modules", "typescript", "bin", "tsc");
            await exec(process.execPath, [tsc, "-p", tsconfig, "--pretty", "false"], project.dir);
        });
    }

    it("javascript: every exported subpath loads with require", async function () {
        const project = projects.javascript!;
        const manifest = installedManifest(project);
        const specifiers = exportedSubpaths(manifest).map(({ subpath }) => manifest.name + subpath.slice(1));
        const script = `for (const s of ${JSON.stringify(specifiers)}) { const m = require(s); if (!m || Object.keys(m).length === 0) throw new Error(s + " exports nothing"); } console.log("ok");`;
        assert.match(await exec(process.execPath, ["-e", script], project.dir), /^ok$/m);
    });

    it("javascript: startCognitoLocal() without cognito-local installed says what to install", async function () {
        const project = projects.javascript!;
        assert.equal(fs.existsSync(path.join(project.dir, "node_modules", "cognito-local")), false, "an optional peer: not installed");
        const script = `require("pulumi-cognito-user/local").startCognitoLocal().then(
            () => { console.log("started"); process.exit(1); },
            (e) => { console.log(JSON.stringify({ code: e.code, message: e.message })); });`;
        const { code, message } = JSON.parse((await exec(process.execPath, ["-e", script], project.dir)).trim()) as {
            code: string;
            message: string;
        };
        assert.equal(code, "COGNITO_LOCAL_MISSING");
        assert.match(message, /^startCognitoLocal\(\) needs cognito-local, an optional peer dependency/);
        assert.match(message, /npm install --save-dev cognito-local/);
        assert.doesNotMatch(message, /Cannot find module|MODULE_NOT_FOUND|require stack/i);
    });

    it("javascript: the fixture's embedded Cognito without cognito-local says what to install, or to pass a pool", async function () {
        const project = projects.javascript!;
        const stateRoot = path.join(root, "fixture-runs");
        const script = `require("pulumi-cognito-user/testing")
            .cognitoFixture({ users: { a: { username: "a" } }, stateRoot: ${JSON.stringify(stateRoot)} })
            .up()
            .then(() => { console.log("up"); process.exit(1); }, (e) => console.log(JSON.stringify({ name: e.name, message: e.message })));`;
        const { name, message } = JSON.parse((await exec(process.execPath, ["-e", script], project.dir)).trim().split("\n").pop()!) as {
            name: string;
            message: string;
        };
        assert.equal(name, "CognitoFixtureError");
        assert.match(message, /cognito-local is not installed: `npm install --save-dev cognito-local`, or pass the `pool` option/);
        assert.doesNotMatch(message, /Cannot find module|MODULE_NOT_FOUND|require stack/i);
        assert.deepEqual(fs.existsSync(stateRoot) ? fs.readdirSync(stateRoot).filter((f) => !f.startsWith(".")) : [], [], "no run left");
    });

    /** Runs the CLI in the project with its stack `dev` in the test's backend. */
    function pulumiIn(project: InstalledProject): (args: string[], opts?: RunPulumiOptions) => Promise<PulumiResult> {
        // TypeScript is type-checked, as a user's program is by default: the published types must compile.
        const transpileOnly = { PULUMI_NODEJS_TRANSPILE_ONLY: PROJECTS[project.kind].typescript ? "false" : "true" };
        return (args, opts = {}) =>
            runPulumi(project.dir, [...args, "--stack", "dev"], {
                ...opts,
                env: {
                    PULUMI_BACKEND_URL: `file://${stateDir}`,
                    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
                    ...transpileOnly,
                    ...opts.env,
                },
            });
    }

    /** `stack init` and the connection to the test's cognito-local, as the README's config for cognito-local says. */
    async function initStack(project: InstalledProject, config: Record<string, string>): Promise<void> {
        const pulumi = pulumiIn(project);
        await runPulumi(project.dir, ["stack", "init", "dev"], { env: { PULUMI_BACKEND_URL: `file://${stateDir}` } });
        const settings = { "aws:region": TEST_REGION, "cognito-user:endpoint": cognito.endpoint, ...config };
        await pulumi(["config", "set-all", ...Object.entries(settings).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`])]);
    }

    for (const language of ["typescript", "javascript"] as const) {
        it(`${language}: the installed package creates a user with pulumi up and deletes it with destroy`, async function () {
            const project = projects[language]!;
            const installed = fs.realpathSync(path.join(project.dir, "node_modules", "pulumi-cognito-user"));
            assert.ok(installed.startsWith(project.dir), "the package is installed in the project, not linked to the repository");
            const pulumi = pulumiIn(project);
            const username = `${language}-user`;
            await initStack(project, { userPoolId: pool.id, username });
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

    it("typescript (node16): the README's quick-start program runs as written: up, a no-op second up, destroy", async function () {
        const project = projects["typescript-node16"]!;
        const pulumi = pulumiIn(project);
        await initStack(project, { userPoolId: pool.id });
        await pulumi(["config", "set", "--secret", "adminPassword"], { input: password });

        const up = await pulumi(["up", "--yes", "--skip-preview"]);
        assert.ok(!(up.stdout + up.stderr).includes(password), "the password is not printed");
        const outputs = JSON.parse((await pulumi(["stack", "output", "--json", "--show-secrets"])).stdout) as {
            adminSub: string;
            testerPassword: string;
        };
        const admin = (await getStoredUser(cognito.client, pool.id, "admin@example.com"))!;
        const tester = (await getStoredUser(cognito.client, pool.id, "tester@example.com"))!;
        assert.ok(admin && tester, "the program's two users exist");
        assert.equal(admin.attributes.sub, outputs.adminSub);
        assert.deepEqual(admin.groups, ["admins"]);
        assert.equal(await signIn(cognito.client, pool, "admin@example.com", password), "SIGNED_IN", "with the password from config");
        assert.equal(
            await signIn(cognito.client, pool, "tester@example.com", outputs.testerPassword),
            "SIGNED_IN",
            "with the generated one",
        );
        await pulumi(["up", "--yes", "--expect-no-changes"]);
        await pulumi(["destroy", "--yes", "--skip-preview"]);
        assert.deepEqual(await listPoolUsers(cognito.client, pool.id), [], "destroy deleted both users");
        await pulumi(["stack", "rm", "--yes"]);
    });

    it("left no user in the pool", async function () {
        assert.deepEqual(await listPoolUsers(cognito.client, pool.id), []);
    });
});
