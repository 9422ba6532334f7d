/**
 * The dynamic-provider host's heap (provider/shared/hostMemory.ts): which flags the provider sets, that
 * the user's own flags win, and, in a real Node process that looks like the host, that the young
 * generation then stays well below the size a churn of short-lived objects grows it to otherwise.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { favourMemoryInHost, HOST_HEAP_FLAGS, hostHeapFlags } from "../../provider/shared/hostMemory";

const repo = path.resolve(__dirname, "..", "..");

/** A script at `<tmp>/cmd/dynamic-provider/index.js` (the host's main module): loads the provider's rule, churns, reports. */
function hostLikeScript(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-memory-"));
    const file = path.join(dir, "cmd", "dynamic-provider", "index.js");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
        file,
        `require(${JSON.stringify(path.join(repo, "node_modules", "ts-node"))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(repo, "tsconfig.json"))} });
const v8 = require("v8");
const set = require(${JSON.stringify(path.join(repo, "provider", "shared", "hostMemory"))}).favourMemoryInHost();
// Short-lived objects, 20,000 of them alive at any time: what a batch's requests look like to the GC.
const ring = new Array(20000);
for (let i = 0; i < 3e6; i++) ring[i % ring.length] = { i, s: "x" + i, a: [i, i + 1] };
const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
console.log(JSON.stringify({ set, youngMB: young.space_size / 1048576 }));
`,
    );
    return file;
}

function runHostLike(file: string, nodeArgs: string[]): { set: string[]; youngMB: number } {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    return JSON.parse(execFileSync(process.execPath, [...nodeArgs, file], { encoding: "utf8", env }).trim()) as {
        set: string[];
        youngMB: number;
    };
}

describe("hostMemory", () => {
    it("sets the young generation's growth to none and V8's size-first mode", () => {
        assert.deepEqual(hostHeapFlags([], undefined), [...HOST_HEAP_FLAGS]);
        assert.deepEqual(hostHeapFlags(["--enable-source-maps"], "--max-old-space-size=4096"), [...HOST_HEAP_FLAGS]);
    });

    it("sets nothing when the user set either flag, either way (arguments or NODE_OPTIONS)", () => {
        assert.deepEqual(hostHeapFlags(["--semi-space-growth-factor=2"], undefined), []);
        assert.deepEqual(hostHeapFlags([], "--inspect --semi_space_growth_factor=4"), []);
        assert.deepEqual(hostHeapFlags([], "--optimize-for-size"), []);
        assert.deepEqual(hostHeapFlags([], "--no-optimize-for-size"), []);
    });

    it("a cap on the young generation is no such choice: the flags are still set (the young generation stays within both)", () => {
        assert.deepEqual(hostHeapFlags(["--max-semi-space-size=32"], undefined), [...HOST_HEAP_FLAGS]);
        assert.deepEqual(hostHeapFlags([], "--max_semi_space_size=16"), [...HOST_HEAP_FLAGS]);
    });

    it("outside the host (a test runner, a program) it sets nothing", () => {
        assert.deepEqual(favourMemoryInHost("/p/node_modules/mocha/bin/mocha.js"), []);
        assert.deepEqual(favourMemoryInHost(undefined), []);
    });

    it("in a process that is the host, the young generation stays small; with the user's own flag, V8 decides", function () {
        this.timeout(60_000);
        const file = hostLikeScript();
        try {
            const tuned = runHostLike(file, []);
            assert.deepEqual(tuned.set, [...HOST_HEAP_FLAGS]);
            // The user's own flag, at V8's default value: the young generation grows to V8's maximum (32 MB on
            // Node 20, 128 MB on Node 24 on a machine with much memory).
            const own = runHostLike(file, ["--semi-space-growth-factor=2"]);
            assert.deepEqual(own.set, []);
            // Tuned, it keeps about the size it had when the rule was set (loading ts-node's compiler first may
            // have grown it to 16 or 20 MB), and never V8's maximum.
            assert.ok(tuned.youngMB < own.youngMB / 1.5, `young generation ${tuned.youngMB} MB tuned, ${own.youngMB} MB untuned`);
        } finally {
            fs.rmSync(path.dirname(path.dirname(path.dirname(file))), { recursive: true, force: true });
        }
    });
});
