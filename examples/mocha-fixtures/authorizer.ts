/**
 * The code under test: the authorizer of a "delete" endpoint. It lets a request through only when the
 * caller's Cognito ID token is genuine (RS256 signature checked against the pool's published keys,
 * right issuer and audience, not expired) and says the caller is in the `admins` group.
 */
import * as crypto from "crypto";

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

/** One key of a JWKS document. */
type Jwk = crypto.JsonWebKey & { kid?: string };

/** Splits and parses a JWT without trusting it. */
function parseJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signed: string; signature: Buffer } {
    const parts = token.split(".");
    if (parts.length !== 3) throw new Error("not a JWT");
    const json = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
    return {
        header: json(parts[0]),
        payload: json(parts[1]),
        signed: `${parts[0]}.${parts[1]}`,
        signature: Buffer.from(parts[2], "base64url"),
    };
}

/** Makes the authorizer; it fetches the pool's keys once, on first use. */
export function createAuthorizer(config: AuthorizerConfig): (authorization: string | undefined) => Promise<Decision> {
    const group = config.requiredGroup ?? "admins";
    let keys: Promise<Jwk[]> | undefined;
    const loadKeys = () =>
        (keys ??= fetch(config.jwksUrl).then(async (response) => {
            if (!response.ok) throw new Error(`JWKS ${config.jwksUrl}: HTTP ${response.status}`);
            return ((await response.json()) as { keys: Jwk[] }).keys;
        }));

    return async (authorization) => {
        const token = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
        if (!token) return { allow: false, reason: "no bearer token" };
        let jwt: ReturnType<typeof parseJwt>;
        try {
            jwt = parseJwt(token);
        } catch {
            return { allow: false, reason: "malformed token" };
        }
        if (jwt.header.alg !== "RS256") return { allow: false, reason: "unexpected algorithm" };
        const jwk = (await loadKeys()).find((k) => k.kid === jwt.header.kid);
        if (!jwk) return { allow: false, reason: "unknown signing key" };
        const genuine = crypto.verify(
            "RSA-SHA256",
            Buffer.from(jwt.signed),
            crypto.createPublicKey({ key: jwk, format: "jwk" }),
            jwt.signature,
        );
        if (!genuine) return { allow: false, reason: "bad signature" };

        const claims = jwt.payload;
        if (claims.iss !== config.issuer) return { allow: false, reason: "wrong issuer" };
        if (claims.token_use !== "id") return { allow: false, reason: "not an ID token" };
        if (claims.aud !== config.clientId) return { allow: false, reason: "wrong audience" };
        if (typeof claims.exp !== "number" || claims.exp * 1000 <= Date.now()) return { allow: false, reason: "expired" };
        const username = claims["cognito:username"] as string | undefined;
        const groups = Array.isArray(claims["cognito:groups"]) ? (claims["cognito:groups"] as unknown[]) : [];
        if (!groups.includes(group)) return { allow: false, reason: `not in group ${group}`, username };
        return { allow: true, reason: `member of ${group}`, username };
    };
}
