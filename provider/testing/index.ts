/**
 * `pulumi-cognito-user/testing`: Cognito users as declarative test fixtures. Declare them next to the
 * tests, `up()` in `before()` (or once in the test runner's global set-up, `share()`d with its workers,
 * which `attachCognitoFixture()`), `down()` in `after()`, and ask for tokens with `signIn(key)`.
 * Without a pool of yours the users live in an embedded Cognito (cognito-local, an optional peer dependency).
 */
export { cognitoFixture } from "./fixture";
export { attachCognitoFixture, SHARED_FIXTURE_ENV } from "./sharedRun";
export {
    CognitoFixture,
    CognitoFixtureError,
    CognitoFixtureOptions,
    EmbeddedCognitoOptions,
    FixturePool,
    FixturePoolInfo,
    FixtureUser,
    FixtureUserSpec,
    SharedFixtureHandle,
} from "./declaration";
export { cleanupStaleFixtureRuns, CleanupOptions } from "./recovery";
export { FixtureAuthFlow, FixtureTokens, decodeJwtPayload } from "./auth";
export { FixtureChallenge, FixtureSignInOptions } from "./signInFlow";
export { FixtureBrowserCookie, FixtureBrowserState, FixtureBrowserStateOptions, FixtureBrowserStorageEntry } from "./browserStateShape";
export { FixtureSignInPathSpec, FixtureSignInPathUser, FixtureSignInResult } from "./signInPaths";
export { FixturePulumiOptions } from "./pulumiRunner";
export { DEFAULT_STATE_ROOT } from "./runState";
