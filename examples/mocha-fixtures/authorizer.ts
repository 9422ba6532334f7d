/**
 * The code under test: the authorizer of a "delete" endpoint. It lets a request through only when the
 * caller's Cognito ID token is genuine (signature checked against the pool's published keys, right
 * issuer and app client, not expired) and says the caller is in the `admins` group.
 *
 * The token is verified by aws-jwt-verify (AWS's library for Cognito tokens), not by hand: its key cache
 * fetches the pool's keys again when a token names a key it has not seen (Cognito rotates keys), and
 * it checks the claims the way Cognito defines them.
 */
import { JwtRsaVerifier } from "aws-jwt-verify";
import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";
import {
    CognitoJwtInvalidClientIdError,
    CognitoJwtInvalidTokenUseError,
    JwtExpiredError,
    JwtInvalidIssuerError,
    JwtInvalidSignatureAlgorithmError,
    JwtInvalidSignatureError,
    JwtParseError,
    KidNotFoundInJwksError,
} from "aws-jwt-verify/error";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

/** Where the tokens come from. */
export interface AuthorizerConfig {
    /** The pool's signing keys: `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`. */
    jwksUrl: string;
    /** The expected `iss`: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
    issuer: string;
    /** The app client id: the ID token's `aud`. */
    clientId: string;
    /** The group allowed through. Default `admins`. */
    requiredGroup?: string;
}

/** The authorizer's answer. */
export interface Decision {
    /** Whether the request may proceed. */
    allow: boolean;
    /** Why, for logs and for the 401/403 body. */
    reason: string;
    /** The caller's `cognito:username`, when the token was genuine. */
    username?: string;
}

/** Why a token was refused, by the error aws-jwt-verify raised. */
const REASONS: Array<[new (...args: never[]) => Error, string]> = [
    [JwtParseError, "malformed token"],
    [JwtInvalidSignatureAlgorithmError, "unexpected algorithm"],
    [KidNotFoundInJwksError, "unknown signing key"],
    [JwtInvalidSignatureError, "bad signature"],
    [JwtInvalidIssuerError, "wrong issuer"],
    [CognitoJwtInvalidTokenUseError, "not an ID token"],
    [CognitoJwtInvalidClientIdError, "wrong audience"],
    [JwtExpiredError, "expired"],
];

/**
 * Makes the authorizer. Against a pool in AWS, `CognitoJwtVerifier.create({ userPoolId, tokenUse: "id",
 * clientId })` from aws-jwt-verify does the same with the issuer and keys' URL derived from the pool id;
 * the general verifier here takes them from the configuration because an embedded Cognito (the test
 * fixture's) issues its tokens under its own URL, over plain HTTP.
 */
export function createAuthorizer(config: AuthorizerConfig): (authorization: string | undefined) => Promise<Decision> {
    const group = config.requiredGroup ?? "admins";
    const verifier = JwtRsaVerifier.create(
        {
            issuer: config.issuer,
            jwksUri: config.jwksUrl,
            // A Cognito ID token names its app client in `aud`, an access token in `client_id`: checked below,
            // with `token_use`, as CognitoJwtVerifier checks them.
            audience: null,
            customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: "id", clientId: config.clientId }),
        },
        // The library's own key cache (fetched once, again on an unknown key id), fetching with Node's
        // fetch so an emulator's http:// URL works as well as Cognito's https:// one.
        { jwksCache: new SimpleJwksCache({ fetcher: { fetch: fetchJwks } }) },
    );

    return async (authorization) => {
        const token = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
        if (!token) return { allow: false, reason: "no bearer token" };
        let claims: Record<string, unknown>;
        try {
            claims = await verifier.verify(token);
        } catch (error) {
            const known = REASONS.find(([type]) => error instanceof type);
            return { allow: false, reason: known ? known[1] : `invalid token (${(error as Error).name})` };
        }
        const username = claims["cognito:username"] as string | undefined;
        const groups = Array.isArray(claims["cognito:groups"]) ? (claims["cognito:groups"] as unknown[]) : [];
        if (!groups.includes(group)) return { allow: false, reason: `not in group ${group}`, username };
        return { allow: true, reason: `member of ${group}`, username };
    };
}

/** GETs the keys document; the body as aws-jwt-verify's fetcher returns it. */
async function fetchJwks(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`JWKS ${uri}: HTTP ${response.status}`);
    return response.arrayBuffer();
}
