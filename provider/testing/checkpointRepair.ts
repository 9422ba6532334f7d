/**
 * What a process killed mid-write leaves in a Pulumi file backend, and the repair a user would make.
 *
 * The file backend writes a stack's checkpoint atomically (temp file, rename) after copying the old one to
 * `<stack>.json.bak`, but the blob library first writes a metadata sidecar, `<stack>.json.attrs`, in place.
 * A kill in that window leaves the sidecar empty, and every later command fails with
 * `failed to load checkpoint: EOF`. A missing sidecar reads as "no metadata", so removing a broken one is
 * safe; a checkpoint that is itself cut short is replaced by its `.bak`.
 */
import * as fs from "fs";
import * as path from "path";

/** Whether `file` holds one whole JSON document. */
function holdsJson(file: string): boolean {
    try {
        JSON.parse(fs.readFileSync(file, "utf8"));
        return true;
    } catch {
        return false;
    }
}

/**
 * Repairs stack `stackName`'s checkpoint files anywhere under `backendDir` (the folder a
 * `file://` backend URL names): removes broken `.attrs` sidecars of the checkpoint and its backup, and
 * restores a missing or cut-short checkpoint from its `.bak`. Returns the files it changed.
 */
export function repairInterruptedCheckpoint(backendDir: string, stackName: string): string[] {
    const changed: string[] = [];
    const checkpoint = `${stackName}.json`;
    const visit = (dir: string): void => {
        const entries = fs.readdirSync(dir, { withFileTypes: true });
        for (const entry of entries) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) visit(file);
            else if ((entry.name === `${checkpoint}.attrs` || entry.name === `${checkpoint}.bak.attrs`) && !holdsJson(file)) {
                fs.rmSync(file);
                changed.push(file);
            }
        }
        const current = path.join(dir, checkpoint);
        const backup = `${current}.bak`;
        if (fs.existsSync(backup) && holdsJson(backup) && (!fs.existsSync(current) || !holdsJson(current))) {
            fs.copyFileSync(backup, current);
            fs.rmSync(`${current}.attrs`, { force: true });
            changed.push(current);
        }
    };
    if (fs.existsSync(backendDir)) visit(backendDir);
    return changed;
}
