/**
 * What tests do with users that are up: read them, sign them in, compute their TOTP codes. Shared by the
 * fixture that made the users (./fixture.ts) and a worker's view of a shared run (./sharedRun.ts).
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { redact } from "../shared/errors";
import type { AppClientAuth, FixtureTokens } from "./auth";
import { fixtureBrowserState } from "./browserState";
import { FixtureBrowserState, FixtureBrowserStateOptions } from "./browserStateShape";
import { CognitoFixtureError, errorText, FixturePoolInfo, FixtureUser } from "./declaration";
import type { FixtureChallenge, FixtureSignInOptions, TokenCache } from "./signInFlow";
import { currentTotp, signInUser } from "./signInPaths";

/** What signing users in needs: the users, the pool, its app client, a client to call and the token cache. */
export interface SignInContext {
    /** The users, by key. */
    users: Map<string, FixtureUser>;
    /** The client sign-ins go through. */
    client?: CognitoIdentityProviderClient;
    /** The app client and its flow. */
    app?: AppClientAuth;
    /** Where the users are. */
    pool?: FixturePoolInfo;
    /** Tokens per user. */
    tokens: TokenCache;
}

/** The read and sign-in side of a fixture; `live` says what is up (or throws, naming what was asked). */
export abstract class FixtureView<K extends string> {
    /** The user keys, in declaration order. */
    abstract readonly keys: readonly K[];

    /** What is up. @throws a CognitoFixtureError naming `what` when nothing is. */
    protected abstract live(what: string): SignInContext;

    /** Where the users are. */
    get pool(): FixturePoolInfo {
        return { ...this.live("pool").pool! };
    }

    /** A created user (a copy). */
    user(key: K): FixtureUser<K> {
        const user = this.live(`user("${key}")`).users.get(key);
        if (!user) throw new CognitoFixtureError(`user("${key}")`, `no user "${key}" is declared (declared: ${this.keys.join(", ")})`);
        return { ...user, groups: [...user.groups] } as FixtureUser<K>;
    }

    /** Tokens for the user (cached, refreshed), or the challenge of a user with a temporary password. */
    async signIn(key: K, options: FixtureSignInOptions = {}): Promise<FixtureTokens & FixtureChallenge> {
        const run = this.live(`signIn("${key}")`);
        const user = this.user(key);
        const setPassword = (password: string) => Object.assign(run.users.get(key)!, { password, passwordIsTemporary: false });
        try {
            // Typed by the overloads: tokens, or a challenge for a user with a temporary password.
            return (await signInUser(run.client!, run.pool!, run.app!, run.tokens, user, options, setPassword)) as FixtureTokens &
                FixtureChallenge;
        } catch (error) {
            const message = redact(errorText(error), [user.password, options.newPassword, user.totpSecret]);
            throw new CognitoFixtureError(`sign in (${run.app!.flow})`, `user "${key}" (${user.username}): ${message}`, [
                { userKey: key, username: user.username, message },
            ]);
        }
    }

    /** A Playwright `storageState` in which the user is signed in at `options.origin` (see ./browserState.ts). */
    async browserState(key: K, options: FixtureBrowserStateOptions): Promise<FixtureBrowserState> {
        const what = `browserState("${key}")`;
        const run = this.live(what);
        // Named in declaration order: the run's users are in the order their creates finished.
        if (!run.users.has(key)) throw new CognitoFixtureError(what, `no user "${key}" is declared (declared: ${this.keys.join(", ")})`);
        return fixtureBrowserState(run, key, options);
    }

    /** The current TOTP code of a user declared with `mfa: { totp: true }`. */
    totp(key: K): string {
        const user = this.user(key);
        try {
            return currentTotp(key, user.totpSecret);
        } catch (error) {
            throw new CognitoFixtureError(`totp("${key}")`, errorText(error));
        }
    }
}
