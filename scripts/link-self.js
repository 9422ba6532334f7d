#!/usr/bin/env node
/**
 * Links node_modules/pulumi-cognito-user → .. so `require("pulumi-cognito-user/dynamic")` resolves
 * from the repository root, as it does in a user's project. The serialized provider makes exactly that
 * call, and Pulumi's dynamic-provider host resolves it from its working folder, where Node's
 * self-reference (which works only inside the package's own files) does not apply.
 *
 * Idempotent: leaves a correct link or an installed copy alone; does nothing when this package is
 * itself installed as a dependency. Run by `npm run setup`, `npm test` (pretest), `npm run demo` and `npm run bench`:
 * never on install, so the published package runs no install script.
 * Plain JavaScript, no dependencies: it runs before anything is built.
 */
"use strict";
const fs = require("fs");
const path = require("path");

/** Creates the link if it is missing; returns what it did. */
function linkSelf(root = path.resolve(__dirname, "..")) {
    // Inside someone else's node_modules the package resolves by itself.
    if (path.basename(path.dirname(root)) === "node_modules" || path.basename(path.dirname(path.dirname(root))) === "node_modules")
        return "installed";
    const { name } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const link = path.join(root, "node_modules", ...name.split("/"));
    let stat;
    try {
        stat = fs.lstatSync(link);
    } catch {
        stat = undefined;
    }
    if (stat && !stat.isSymbolicLink()) return "present"; // a real copy: not ours to replace
    if (stat) {
        let target;
        try {
            target = fs.realpathSync(link);
        } catch {
            target = undefined; // dangling
        }
        if (target === fs.realpathSync(root)) return "present";
        fs.unlinkSync(link);
    }
    fs.mkdirSync(path.dirname(link), { recursive: true });
    // Relative, so the checkout can move; a junction on Windows, which needs no privilege.
    const relative = path.relative(path.dirname(link), root) || ".";
    if (process.platform === "win32") fs.symlinkSync(root, link, "junction");
    else fs.symlinkSync(relative, link, "dir");
    return "linked";
}

module.exports = { linkSelf };

if (require.main === module) {
    const done = linkSelf();
    if (done === "linked") console.log("link-self: node_modules/pulumi-cognito-user -> ..");
}
