/**
 * The lifeline's pure rules: when the engine that started this process counts as gone, and which
 * process is Pulumi's dynamic-provider host (the only one that watches). The behaviour itself, a killed
 * CLI whose plugins stop writing and exit, is tested end to end (test/e2e/killedRun.e2e.test.ts).
 */
import { strict as assert } from "assert";
import { engineAlive, isDynamicProviderHost, parentAndGroupOf, parentIsGone, watchEngine } from "../../provider/shared/engineLifeline";

describe("engineLifeline", () => {
    it("the parent is gone once this process was re-parented (to init or a subreaper)", () => {
        assert.equal(parentIsGone(4242, 4242), false);
        assert.equal(parentIsGone(4242, 1), true);
        assert.equal(parentIsGone(4242, 977), true);
    });

    it("reads a process's parent and group from /proc/<pid>/stat, whatever its command name holds", () => {
        assert.deepEqual(parentAndGroupOf("4321 (node) S 4300 4300 4300 0 -1"), { parent: 4300, group: 4300 });
        assert.deepEqual(parentAndGroupOf("4321 (a b) (c)) R 77 4310 4310 0 -1"), { parent: 77, group: 4310 });
        assert.equal(parentAndGroupOf(undefined), undefined, "a process that is gone");
    });

    it("recognises Pulumi's dynamic-provider host by its main module, and nothing else", () => {
        assert.ok(isDynamicProviderHost("/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"));
        assert.ok(isDynamicProviderHost("C:\\p\\node_modules\\@pulumi\\pulumi\\cmd\\dynamic-provider\\index.js"));
        for (const other of [undefined, "/p/node_modules/mocha/bin/mocha.js", "/p/node_modules/@pulumi/pulumi/cmd/run/index.js"])
            assert.ok(!isDynamicProviderHost(other), String(other));
    });

    it("outside the host (a test runner) it does not watch: the engine stays alive", () => {
        watchEngine("/p/node_modules/mocha/bin/mocha.js");
        assert.equal(engineAlive(), true);
    });
});
