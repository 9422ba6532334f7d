/**
 * A `pulumi up` killed while the file backend writes its checkpoint can leave the checkpoint's metadata
 * sidecar empty; every later command then fails with "failed to load checkpoint: EOF" (the CI run of
 * stop 16 met it after the SIGKILL test). This reproduces both shapes of damage with the real CLI and
 * proves the repair the README documents, and the fixtures' crash recovery runs, restores a readable stack.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repairInterruptedCheckpoint } from "../../provider/testing/checkpointRepair";
import { createTempProject, runPulumi, RunPulumiOptions, TempProject } from "../support/pulumiCli";

describe("an interrupted checkpoint write, repaired (e2e)", function () {
    let project: TempProject;
    let backend: string;
    const stack = "repair";
    const opts = (): RunPulumiOptions => ({ env: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "repair" } });
    const checkpoint = (): string => path.join(backend, ".pulumi", "stacks", project.name, `${stack}.json`);

    before(async function () {
        project = createTempProject({ name: "checkpoint-repair", files: { "index.js": "exports.answer = 42;\n" } });
        backend = fs.mkdtempSync(path.join(os.tmpdir(), "checkpoint-repair-state-"));
        await runPulumi(project.dir, ["stack", "init", stack], opts());
        await runPulumi(project.dir, ["up", "--yes", "--skip-preview"], opts());
        // A second write gives the checkpoint a .bak, as every update after the first has.
        await runPulumi(project.dir, ["up", "--yes", "--skip-preview"], opts());
        assert.ok(fs.existsSync(`${checkpoint()}.bak`) && fs.existsSync(`${checkpoint()}.attrs`), "the backend keeps a .bak and a sidecar");
    });

    after(async function () {
        await runPulumi(project.dir, ["stack", "rm", "--yes", "--force", stack], { ...opts(), allowFailure: true });
        project?.remove();
        fs.rmSync(backend, { recursive: true, force: true });
    });

    async function exportedAnswer(): Promise<number> {
        const out = await runPulumi(project.dir, ["stack", "output", "answer", "--json"], opts());
        return JSON.parse(out.stdout);
    }

    it("an empty .attrs sidecar breaks every command with 'EOF'; removing it restores the stack", async function () {
        fs.writeFileSync(`${checkpoint()}.attrs`, "");
        const broken = await runPulumi(project.dir, ["stack", "export"], { ...opts(), allowFailure: true });
        assert.notEqual(broken.code, 0);
        assert.match(broken.stderr, /failed to load checkpoint: EOF/);

        assert.deepEqual(repairInterruptedCheckpoint(backend, stack), [`${checkpoint()}.attrs`]);
        assert.equal(await exportedAnswer(), 42);
        assert.deepEqual(repairInterruptedCheckpoint(backend, stack), [], "a healthy stack is left alone");
    });

    it("a checkpoint cut short is restored from its .bak", async function () {
        fs.writeFileSync(checkpoint(), fs.readFileSync(checkpoint(), "utf8").slice(0, 40));
        const broken = await runPulumi(project.dir, ["stack", "export"], { ...opts(), allowFailure: true });
        assert.notEqual(broken.code, 0);

        assert.ok(repairInterruptedCheckpoint(backend, stack).includes(checkpoint()));
        assert.equal(await exportedAnswer(), 42);
        await runPulumi(project.dir, ["preview", "--expect-no-changes"], opts());
    });
});
