/**
 * The Chromium the browser tests drive with playwright-core: Debian's `chromium` package (.ci/run installs
 * it when missing), or the browser `CHROMIUM_PATH` names. Playwright's own downloaded browsers are not
 * used: the tests must not fetch anything beyond the package registries.
 */
import * as fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** The browser's executable: `CHROMIUM_PATH`, else `/usr/bin/chromium`. */
export function chromiumPath(): string {
    return process.env.CHROMIUM_PATH || "/usr/bin/chromium";
}

/**
 * Launches Chromium headless (without its sandbox when running as root, which Chromium refuses otherwise).
 *
 * @throws naming the install command when the executable is missing: the browser tests run in CI, where a
 * missing browser is a broken set-up, not a reason to skip.
 */
export async function launchChromium(): Promise<Browser> {
    const executablePath = chromiumPath();
    if (!fs.existsSync(executablePath)) {
        throw new Error(
            `no Chromium at ${executablePath} (from ${process.env.CHROMIUM_PATH ? "CHROMIUM_PATH" : "the default path"}): ` +
                "install it with `sudo apt-get update && sudo apt-get install -y chromium` (Debian, as .ci/run does), " +
                "or set CHROMIUM_PATH to a Chromium or Chrome executable",
        );
    }
    const asRoot = process.getuid?.() === 0;
    return chromium.launch({ executablePath, headless: true, args: asRoot ? ["--no-sandbox"] : [] });
}
