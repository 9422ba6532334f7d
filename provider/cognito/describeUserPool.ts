import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { PasswordPolicy, passwordPolicyFromCognito } from "../shared/password";

/** What the provider needs to know about a pool before it writes a user: from `DescribeUserPool`. */
export interface PoolFacts {
    /** The password policy every declared password is checked against before any write. */
    passwordPolicy: PasswordPolicy;
    /** `UsernameAttributes`: `email` and / or `phone_number` when users sign in with them instead of a username. */
    usernameAttributes: string[];
    /** `AliasAttributes`: attributes a user may also sign in with, besides the username. */
    aliasAttributes: string[];
}

/** One read per pool and connection for the life of the process (one `pulumi up`): the facts do not change mid-run. */
const cache = new Map<string, Promise<PoolFacts>>();

/**
 * The pool's facts, read once per process for a pool at a service (`cacheKey` names the connection).
 * A failed read is not cached, so a later call tries again.
 */
export function describeUserPool(client: CognitoIdentityProviderClient, userPoolId: string, cacheKey: string): Promise<PoolFacts> {
    const key = `${cacheKey}|${userPoolId}`;
    let facts = cache.get(key);
    if (!facts) {
        facts = client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId })).then((r) => ({
            passwordPolicy: passwordPolicyFromCognito(r.UserPool?.Policies?.PasswordPolicy),
            usernameAttributes: r.UserPool?.UsernameAttributes ?? [],
            aliasAttributes: r.UserPool?.AliasAttributes ?? [],
        }));
        cache.set(key, facts);
        facts.catch(() => cache.delete(key));
    }
    return facts;
}

/** Forgets every pool's facts: for tests that give one pool id different answers. */
export function forgetPoolFacts(): void {
    cache.clear();
}
