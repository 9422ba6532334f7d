/**
 * package.json as it is published, checked in a second (test/e2e/package.e2e.test.ts packs and installs
 * it): no install script, types for every export under every TypeScript resolution, the metadata the
 * registry's page needs, and the tarball check itself.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { exportedSubpaths, INSTALL_SCRIPTS, PackageManifest, tarballProblems } from "../support/packedPackage";

const root = path.resolve(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageManifest & Record<string, unknown>;

describe("package.json", function () {
    it("runs no script when installed, and builds on prepack", function () {
        for (const script of INSTALL_SCRIPTS) assert.equal(manifest.scripts?.[script], undefined, `scripts.${script}`);
        assert.match(manifest.scripts?.prepack ?? "", /npm run build/);
    });

    it("maps every exported subpath's types in typesVersions too, for moduleResolution node", function () {
        const mapped = manifest.typesVersions?.["*"] ?? {};
        for (const { subpath, types } of exportedSubpaths(manifest)) {
            if (subpath === ".") {
                assert.equal(`./${manifest.types}`, types, "types is the root export's types");
                continue;
            }
            assert.deepEqual(mapped[subpath.slice(2)], [types!.replace(/^\.\//, "")], `typesVersions["*"]["${subpath.slice(2)}"]`);
        }
        assert.deepEqual(
            Object.keys(mapped).sort(),
            exportedSubpaths(manifest)
                .map((e) => e.subpath.slice(2))
                .filter(Boolean)
                .sort(),
            "nothing in typesVersions that is not exported",
        );
    });

    it("keeps the subpaths the state of existing stacks calls", function () {
        const subpaths = exportedSubpaths(manifest).map((e) => e.subpath);
        for (const subpath of [".", "./dynamic", "./dynamic-batch", "./testing", "./local"]) assert.ok(subpaths.includes(subpath), subpath);
    });

    it("names its license, repository, homepage, bug tracker and keywords; ships LICENSE, CHANGELOG and README", function () {
        assert.equal(manifest.license, "Apache-2.0");
        const repository = manifest.repository as { type: string; url: string };
        assert.equal(repository.type, "git");
        assert.match(repository.url, /^git\+https:\/\/.+\.git$/);
        const base = repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
        assert.equal(manifest.homepage, `${base}#readme`);
        assert.deepEqual(manifest.bugs, { url: `${base}/issues` });
        assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.includes("pulumi") && manifest.keywords.includes("cognito"));
        for (const file of ["LICENSE", "CHANGELOG.md", "README.md"])
            assert.ok((manifest.files as string[]).includes(file), `files has ${file}`);
    });

    it("has the Apache License 2.0's full text in LICENSE", function () {
        const license = fs.readFileSync(path.join(root, "LICENSE"), "utf8");
        assert.match(license, /^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
        assert.match(license, /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/);
        assert.match(license, /END OF TERMS AND CONDITIONS/);
        assert.match(license, /APPENDIX: How to apply the Apache License to your work\./);
    });

    it("has a CHANGELOG section for its version, or for the next one while it is unreleased", function () {
        const changelog = fs.readFileSync(path.join(root, "CHANGELOG.md"), "utf8");
        assert.match(changelog, new RegExp(`^## ${String(manifest.version).replace(/\./g, "\\.")}$`, "m"));
        assert.match(changelog, /^## \d+\.\d+\.\d+( \(unreleased\))?$/m);
    });
});

describe("the tarball check", function () {
    const good = [
        "package.json",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        ...exportedSubpaths(manifest).flatMap(({ types, js }) => [types!, js!].map((f) => f.replace(/^\.\//, ""))),
        "dist/provider/shared/errors.js",
        "dist/provider/shared/errors.d.ts",
    ];

    it("accepts what the package should ship", function () {
        assert.deepEqual(tarballProblems(good, manifest), []);
    });

    it("names tests, sources, source maps, a missing LICENSE, CHANGELOG or types, and install scripts", function () {
        const bad = [
            ...good.filter((f) => f !== "LICENSE" && f !== "CHANGELOG.md" && f !== "dist/provider/testing/index.d.ts"),
            "dist/provider/shared/errors.js.map",
            "dist/test/unit/validate.test.js",
            "provider/shared/errors.ts",
        ];
        const problems = tarballProblems(bad, { ...manifest, scripts: { ...manifest.scripts, prepare: "npm run build" } });
        for (const expected of [
            /^LICENSE is missing$/,
            /^CHANGELOG\.md is missing$/,
            /types of export \.\/testing/,
            /typesVersions testing/,
            /errors\.js\.map is a source map/,
            /validate\.test\.js is a test/,
            /provider\/shared\/errors\.ts is a TypeScript source/,
            /scripts\.prepare/,
        ]) {
            assert.ok(
                problems.some((p) => expected.test(p)),
                `${expected} in ${JSON.stringify(problems)}`,
            );
        }
        assert.equal(problems.length, 8, JSON.stringify(problems));
    });
});
