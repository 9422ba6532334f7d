/**
 * The shape of a browser that starts signed in: the options of `browserState(key, options)` and the
 * Playwright storage state it returns (spelled out, so this package needs no Playwright). The making of
 * it is ./browserState.ts.
 */

/** Options of `browserState(key, options)`. */
export interface FixtureBrowserStateOptions {
    /**
     * The origin the web app under test is served from, e.g. `http://localhost:3000`: scheme, host and port,
     * no path. localStorage belongs to one origin, so the state is for that origin alone.
     */
    origin: string;
    /**
     * The app client the web app signs in through (its `userPoolClientId` / `ClientId`). Default: the
     * fixture's app client. Another client of the same pool gets tokens of its own (the fixture signs in
     * through it: the tokens' `aud` and refresh token must be that client's); it must allow
     * ALLOW_USER_PASSWORD_AUTH or ALLOW_ADMIN_USER_PASSWORD_AUTH.
     */
    clientId?: string;
}

/** One localStorage entry of a {@link FixtureBrowserState}. */
export interface FixtureBrowserStorageEntry {
    /** The key, e.g. `CognitoIdentityServiceProvider.<clientId>.LastAuthUser`. */
    name: string;
    /** The value: a username, a token (a secret), or `0` for the clock drift. */
    value: string;
}

/**
 * A cookie of a Playwright storage state (Playwright's `BrowserContextOptions.storageState` cookie, spelled
 * out here so this package needs no Playwright). {@link FixtureBrowserState} has none.
 */
export interface FixtureBrowserCookie {
    /** The cookie's name. */
    name: string;
    /** Its value. */
    value: string;
    /** Its domain; a leading dot covers the subdomains. */
    domain: string;
    /** Its path. */
    path: string;
    /** Expiry, Unix time in seconds (-1: a session cookie). */
    expires: number;
    /** Hidden from page scripts. */
    httpOnly: boolean;
    /** Sent over HTTPS only. */
    secure: boolean;
    /** Its SameSite policy. */
    sameSite: "Strict" | "Lax" | "None";
}

/**
 * A Playwright storage state (the shape of `BrowserContextOptions.storageState`, and of the JSON file
 * `context.storageState({ path })` writes) in which a fixture user is signed in: pass it to
 * `browser.newContext({ storageState })`, or from an async `storageState` fixture of `@playwright/test`.
 *
 * It holds the user's ID, access and refresh tokens: keep it in memory, or, written to disk, treat the file
 * as a secret (git-ignored, removed after the run). Never log it.
 */
export interface FixtureBrowserState {
    /** No cookies: the Cognito libraries keep the session in localStorage. */
    cookies: FixtureBrowserCookie[];
    /** One origin, the one asked for, with the user's session in its localStorage. */
    origins: Array<{
        /** The origin, as given in the options. */
        origin: string;
        /** The entries the Cognito libraries read (see the module comment). */
        localStorage: FixtureBrowserStorageEntry[];
    }>;
}
