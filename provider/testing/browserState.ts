/**
 * `browserState(key, { origin })`: a Playwright `storageState` in which a fixture user is already signed
 * in, for end-to-end tests of web apps behind Cognito that should not spend each test signing in through
 * the UI. The user's tokens go into localStorage under the keys the browser libraries read and write:
 *
 *   CognitoIdentityServiceProvider.<clientId>.LastAuthUser              = <username>
 *   CognitoIdentityServiceProvider.<clientId>.<username>.idToken         (and .accessToken, .refreshToken)
 *   CognitoIdentityServiceProvider.<clientId>.<username>.clockDrift      = 0
 *
 * amazon-cognito-identity-js (`CognitoUserPool.getCurrentUser().getSession()`, src/CognitoUser.js
 * cacheTokens) and Amplify JS v6 (`getCurrentUser()`, `fetchAuthSession()`: @aws-amplify/auth's
 * DefaultTokenStore) both find the user through LastAuthUser, so any `<username>` works as long as the
 * keys agree; this one is the access token's `username` claim, Cognito's canonical Username (a UUID in
 * pools that sign in by email), which is what both libraries store after an SRP sign-in (USER_ID_FOR_SRP).
 * Amplify v6 also reads `.signInDetails` (optional; `getCurrentUser().signInDetails.loginId`), written here too.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { redact } from "../shared/errors";
import { AppClientAuth, decodeJwtPayload, describeAppClient, FixtureTokens } from "./auth";
import { CognitoFixtureError, errorText, FixturePoolInfo, FixtureUser } from "./declaration";
import { TokenCache } from "./signInFlow";
import { signInUser } from "./signInPaths";
import { FixtureBrowserState, FixtureBrowserStateOptions, FixtureBrowserStorageEntry } from "./browserStateShape";

/** Where the session's keys start: the prefix both libraries use. */
const KEY_PREFIX = "CognitoIdentityServiceProvider";

/**
 * Tokens of another client are refreshed once they have less than this left (the fixture's own client
 * follows the fixture's `refreshBeforeExpirySeconds`, the default of which this is).
 */
const OTHER_CLIENT_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** App clients other than the fixture's, per run: how to sign in through each, and its tokens per user. */
/** What a browser state needs of a run that is up: its users, pool, app client, a client and the token cache. */
interface SignedInRun {
    users: Map<string, FixtureUser>;
    client?: CognitoIdentityProviderClient;
    app?: AppClientAuth;
    pool?: FixturePoolInfo;
    tokens: TokenCache;
}

const otherClients = new WeakMap<SignedInRun, Map<string, Promise<{ app: AppClientAuth; cache: TokenCache }>>>();

/**
 * The body of `CognitoFixture.browserState`: signs the user in (cached tokens, as `signIn` has them) and
 * lays the tokens out for the browser libraries.
 *
 * @throws a CognitoFixtureError naming the key and the option at fault, or Cognito's refusal.
 */
export async function fixtureBrowserState(
    run: SignedInRun,
    key: string,
    options: FixtureBrowserStateOptions,
): Promise<FixtureBrowserState> {
    const what = `browserState("${key}")`;
    const user = run.users.get(key);
    if (!user) throw new CognitoFixtureError(what, `no user "${key}" is declared (declared: ${[...run.users.keys()].join(", ")})`);
    const origin = checkedOrigin(what, options?.origin);
    const clientId = options.clientId ?? run.app!.clientId;
    if (typeof clientId !== "string" || clientId === "")
        throw new CognitoFixtureError(what, "options.clientId must be an app client id, or left out for the fixture's app client");
    let tokens: FixtureTokens;
    try {
        const { app, cache } = await signInWay(run, clientId);
        const answer = await signInUser(run.client!, run.pool!, app, cache, user, {}, () => undefined);
        if (!("idToken" in answer))
            throw new Error(
                `Cognito answered with ${answer.challengeName}: the user has a temporary password; ` +
                    `call signIn("${key}", { newPassword }) first, then browserState("${key}", ...)`,
            );
        tokens = answer;
    } catch (error) {
        const message = redact(errorText(error), [user.password, user.totpSecret]);
        throw new CognitoFixtureError(`${what}: sign in through app client ${clientId}`, `user "${key}" (${user.username}): ${message}`, [
            { userKey: key, username: user.username, message },
        ]);
    }
    return { cookies: [], origins: [{ origin, localStorage: storageEntries(clientId, tokens, user.username) }] };
}

/**
 * The localStorage entries of a signed-in session, under the keys amazon-cognito-identity-js and Amplify
 * JS v6 read. `loginId` is the name the user signed in with, for Amplify's `signInDetails`.
 */
function storageEntries(clientId: string, tokens: FixtureTokens, loginId: string): FixtureBrowserStorageEntry[] {
    const access = decodeJwtPayload(tokens.accessToken);
    // The canonical Username; ID tokens carry it as cognito:username, access tokens as username.
    const username = String(access.username ?? tokens.claims["cognito:username"] ?? "");
    if (username === "") throw new Error("the access token has no username claim");
    const userPrefix = `${KEY_PREFIX}.${clientId}.${username}`;
    const entries: FixtureBrowserStorageEntry[] = [
        { name: `${KEY_PREFIX}.${clientId}.LastAuthUser`, value: username },
        { name: `${userPrefix}.idToken`, value: tokens.idToken },
        { name: `${userPrefix}.accessToken`, value: tokens.accessToken },
    ];
    if (tokens.refreshToken) entries.push({ name: `${userPrefix}.refreshToken`, value: tokens.refreshToken });
    // The tokens were just issued (or refreshed) by Cognito: this machine's clock and the issuer's agree,
    // and "0" means the same in both libraries (identity-js counts seconds, Amplify milliseconds).
    entries.push({ name: `${userPrefix}.clockDrift`, value: "0" });
    entries.push({ name: `${userPrefix}.signInDetails`, value: JSON.stringify({ loginId }) });
    return entries;
}

/** How to sign in through `clientId`: the fixture's own client and token cache, or another client's (described once). */
function signInWay(run: SignedInRun, clientId: string): Promise<{ app: AppClientAuth; cache: TokenCache }> {
    if (clientId === run.app!.clientId) return Promise.resolve({ app: run.app!, cache: run.tokens });
    const perRun = otherClients.get(run) ?? new Map();
    otherClients.set(run, perRun);
    let way = perRun.get(clientId);
    if (!way) {
        way = describeAppClient(run.client!, run.pool!.userPoolId, clientId, {}).then((app) => ({
            app,
            cache: new TokenCache(OTHER_CLIENT_REFRESH_MARGIN_MS),
        }));
        way.catch(() => perRun.delete(clientId)); // a later call may retry
        perRun.set(clientId, way);
    }
    return way;
}

/** The origin, checked: `scheme://host[:port]`, nothing after it. */
function checkedOrigin(what: string, origin: unknown): string {
    const fix = 'pass the origin the web app is served from, e.g. { origin: "http://localhost:3000" }';
    if (typeof origin !== "string" || origin === "")
        throw new CognitoFixtureError(what, `options.origin is missing: ${fix} (localStorage belongs to one origin)`);
    let url: URL;
    try {
        url = new URL(origin);
    } catch {
        throw new CognitoFixtureError(what, `options.origin "${origin}" is not a URL: ${fix}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
        throw new CognitoFixtureError(what, `options.origin "${origin}" is not an http(s) origin: ${fix}`);
    if (url.origin !== origin)
        throw new CognitoFixtureError(
            what,
            `options.origin "${origin}" is not an origin (scheme, host and port only): use "${url.origin}"`,
        );
    return origin;
}
