/**
 * The provider's error model: every error it raises has a stable `code` and a `message`, so scripts and
 * tests can tell failures apart without parsing text, and no message ever carries a password.
 */

/** Stable error codes raised by the provider. */
export type CognitoUserErrorCode =
    /** An input is invalid; raised before any Cognito call where possible. */
    | "VALIDATION_ERROR"
    /** The user already exists in the pool (adopt it with the `import` resource option, or `adoptExisting`). */
    | "USER_EXISTS"
    /** The user, pool or group does not exist. */
    | "NOT_FOUND"
    /** The recorded Username now belongs to another user (another sub): nothing is written to it. */
    | "IDENTITY_MISMATCH"
    /** Cognito kept answering `TooManyRequestsException` after every retry. */
    | "THROTTLED"
    /** A step after `AdminCreateUser` failed and the new user could not be deleted again. */
    | "ROLLBACK_FAILED"
    /** Any other error Cognito returned. */
    | "COGNITO_ERROR";

/** The `{ code, message }` shape every provider error serializes to. */
export interface CognitoUserErrorShape {
    /** Stable machine-readable code. */
    code: CognitoUserErrorCode;
    /** Human-readable explanation: the operation, the user and Cognito's own message. */
    message: string;
}

/** An error raised by the provider. `message` starts with `[CODE]` so the code survives gRPC, which keeps only text. */
export class CognitoUserError extends Error implements CognitoUserErrorShape {
    /** Stable machine-readable code. */
    readonly code: CognitoUserErrorCode;
    /** The Cognito operation that failed, when one did. */
    readonly operation?: string;
    /** Cognito's exception name (e.g. `UserNotFoundException`), when Cognito raised it. */
    readonly cognitoName?: string;
    /**
     * For an error translated from the AWS SDK: its `$fault` (`client`: Cognito refused the request,
     * `server`: Cognito failed; absent: no answer came) and how many attempts it made. Not enumerable:
     * how the call went, not what the error says.
     */
    declare readonly sdk?: { fault?: string; attempts?: number };

    constructor(code: CognitoUserErrorCode, message: string, details: { operation?: string; cognitoName?: string } = {}) {
        super(`[${code}] ${message}`);
        this.name = "CognitoUserError";
        this.code = code;
        this.operation = details.operation;
        this.cognitoName = details.cognitoName;
        // Pulumi's dynamic-provider host prints `${error}: ${error.stack}`: keep that to the message, not a trace.
        Object.defineProperty(this, "stack", { value: this.message, enumerable: false, writable: true });
    }

    /** The `{ code, message }` shape, with the message without its `[CODE]` prefix. */
    toJSON(): CognitoUserErrorShape {
        return { code: this.code, message: this.message.replace(/^\[[A-Z_]+\] /, "") };
    }
}

/** Reads `{ code, message }` back out of any error, including one that crossed gRPC as text. */
export function errorShape(error: unknown): CognitoUserErrorShape {
    if (error instanceof CognitoUserError) return error.toJSON();
    const text = error instanceof Error ? error.message : String(error);
    const match = /\[(VALIDATION_ERROR|USER_EXISTS|NOT_FOUND|IDENTITY_MISMATCH|THROTTLED|ROLLBACK_FAILED|COGNITO_ERROR)\] ([\s\S]*)/.exec(
        text,
    );
    if (match) return { code: match[1] as CognitoUserErrorCode, message: match[2].trim() };
    return { code: "COGNITO_ERROR", message: text };
}

/** Replaces every occurrence of each secret in `text` with `[secret]`. */
export function redact(text: string, secrets: Array<string | undefined>): string {
    let out = text;
    // Longest first: a shorter secret inside a longer one would otherwise leave the longer one's rest behind.
    const longestFirst = secrets.filter((s): s is string => !!s).sort((a, b) => b.length - a.length);
    for (const secret of longestFirst) out = out.split(secret).join("[secret]");
    return out;
}

const notFoundNames = new Set(["UserNotFoundException", "ResourceNotFoundException"]);

/**
 * Turns an error thrown by the AWS SDK into a `CognitoUserError` that names the operation, the user and
 * Cognito's own message, with any secret redacted.
 */
export function translateCognitoError(
    error: unknown,
    context: { operation: string; username: string; userPoolId: string; secrets?: Array<string | undefined> },
): CognitoUserError {
    if (error instanceof CognitoUserError) return error;
    const name = (error as { name?: string })?.name ?? "Error";
    const raw = (error as { message?: string })?.message ?? String(error);
    const message = redact(raw, context.secrets ?? []);
    const who = `user "${context.username}" in pool ${context.userPoolId}`;
    let code: CognitoUserErrorCode = "COGNITO_ERROR";
    let hint = "";
    if (name === "UsernameExistsException") {
        code = "USER_EXISTS";
        // Not `pulumi import`: the CLI cannot import into any dynamic provider (its Read gets no serialized provider).
        hint = ` To manage that user with this resource, adopt it with the resource option \`{ import: "${context.userPoolId}/${context.username}" }\`.`;
    } else if (notFoundNames.has(name)) {
        code = "NOT_FOUND";
    } else if (name === "TooManyRequestsException" || name === "ThrottlingException") {
        code = "THROTTLED";
        hint = " Cognito kept throttling after every retry: raise maxAttempts or lower the request rate.";
    }
    const translated = new CognitoUserError(code, `${context.operation} failed for ${who}: ${message} (${name}).${hint}`, {
        operation: context.operation,
        cognitoName: name,
    });
    const sdk = error as { $fault?: string; $metadata?: { attempts?: number } } | undefined;
    const how = { fault: sdk?.$fault, attempts: sdk?.$metadata?.attempts };
    Object.defineProperty(translated, "sdk", { value: how, enumerable: false });
    return translated;
}

/** Cognito's exception name behind an error (SDK or translated). */
function cognitoNameOf(error: unknown): string | undefined {
    return (error as { cognitoName?: string })?.cognitoName ?? (error as { name?: string })?.name;
}

/**
 * True when an error means the user does not exist (`UserNotFoundException`). A missing pool
 * (`ResourceNotFoundException`) is not: Cognito answers the same for a pool in another Region or
 * account, so it never proves that a user is gone.
 */
export function isUserNotFound(error: unknown): boolean {
    return cognitoNameOf(error) === "UserNotFoundException";
}

/** True when Cognito cannot find the pool (or a group): `ResourceNotFoundException`. */
export function isResourceNotFound(error: unknown): boolean {
    return cognitoNameOf(error) === "ResourceNotFoundException";
}

/** Runs `work`, re-raising anything unexpected as a CognitoUserError, so the user never sees a bare stack trace. */
export async function withCognitoUserErrors<T>(work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (error) {
        if (error instanceof CognitoUserError) throw error;
        const { code, message } = errorShape(error);
        throw new CognitoUserError(code, message);
    }
}

/** A resource's URN quoted for a command, or how to find it when the state does not record it (written by an earlier version). */
export function urnText(resourceUrn: string | undefined): string {
    return resourceUrn ? `'${resourceUrn}'` : "'<its URN>' (`pulumi stack --show-urns` lists it)";
}

/**
 * The error for a pool Cognito cannot find. For a recorded user (`recorded`), not taken for "user gone"
 * without proof (`why` says what is missing: ./poolMissing.ts): Cognito answers the same for a pool in
 * another Region or account, or seen with other credentials.
 */
export function poolNotFoundError(context: {
    operation: string;
    username: string;
    userPoolId: string;
    where: string;
    recorded?: boolean;
    why?: string;
    resourceUrn?: string;
}): CognitoUserError {
    const start = `${context.operation} failed for user "${context.username}": pool ${context.userPoolId} cannot be found at ${context.where} (ResourceNotFoundException).`;
    const urn = urnText(context.resourceUrn);
    const rest = context.recorded
        ? " The user is not taken for gone: Cognito answers the same for a pool in another Region or AWS account, or seen with another account's credentials." +
          (context.why ? ` ${context.why}` : "") +
          ` Nothing was changed. If the pool was deleted and the account cannot be proven, remove this resource from the state with \`pulumi state delete ${urn}\`.`
        : " Check the pool id, and that the credentials (profile, AWS_PROFILE) are those of the account that holds it.";
    return new CognitoUserError("NOT_FOUND", start + rest, { operation: context.operation, cognitoName: "ResourceNotFoundException" });
}
