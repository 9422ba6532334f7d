/**
 * The batch's error: which users failed and why, and — when the batch changed Cognito before failing —
 * the state to record, so a failure for some users never loses the users already created.
 */
import { CognitoUserError, CognitoUserErrorCode } from "../shared/errors";
import { BatchUserFailure } from "./types";

/** How many failed users the message lists; the rest are counted. */
const LISTED_IN_MESSAGE = 20;
/** How many failed users the engine records as the resource's init errors. */
const LISTED_IN_REASONS = 50;

/**
 * A batch operation that failed for some users. When `id` and `properties` are set, Pulumi's
 * dynamic-provider host turns it into `ErrorResourceInitFailed` (see `grpcResponseFromError` in
 * `@pulumi/pulumi/cmd/dynamic-provider`): the engine records `properties` as the resource's outputs
 * and the next `pulumi up` diffs against them, so only the missing users are retried.
 */
export class BatchOperationError extends CognitoUserError {
    /** Every failed user: operation, user and Cognito's message; never a password. */
    readonly failures: BatchUserFailure[];
    /** The resource's id, when there is state to record. */
    readonly id?: string;
    /** One line per failed user (the first ones), recorded by the engine as init errors. */
    readonly reasons?: string[];
    /** The outputs to record (passwords included, so not enumerable: never printed with the error). */
    declare readonly properties?: object;

    constructor(code: CognitoUserErrorCode, message: string, failures: BatchUserFailure[], recorded?: { id: string; properties: object }) {
        super(code, message);
        this.name = "BatchOperationError";
        this.failures = failures;
        if (recorded) {
            this.id = recorded.id;
            this.reasons = reasonsOf(failures);
            Object.defineProperty(this, "properties", { value: recorded.properties, enumerable: false });
        }
    }
}

/** One line per failed user, its code first as in every error of the provider: `[COGNITO_ERROR] create "alice": AdminCreateUser failed for user ...`. */
export function failureLine(failure: BatchUserFailure): string {
    return `[${failure.code}] ${failure.action} "${failure.username}": ${failure.message}`;
}

function reasonsOf(failures: BatchUserFailure[]): string[] {
    const lines = failures.slice(0, LISTED_IN_REASONS).map(failureLine);
    if (failures.length > LISTED_IN_REASONS) lines.push(`... and ${failures.length - LISTED_IN_REASONS} more users failed`);
    return lines;
}

/** The code of the error: the failures' common code, else COGNITO_ERROR. */
export function commonCode(failures: BatchUserFailure[]): CognitoUserErrorCode {
    const codes = new Set(failures.map((f) => f.code));
    return codes.size === 1 ? (failures[0].code as CognitoUserErrorCode) : "COGNITO_ERROR";
}

/** The error's message: a summary, what to do next, then the failed users (the first ones). */
export function batchFailureMessage(summary: string, failures: BatchUserFailure[]): string {
    const listed = failures.slice(0, LISTED_IN_MESSAGE).map((f) => `  - ${failureLine(f)}`);
    if (failures.length > LISTED_IN_MESSAGE) listed.push(`  ... and ${failures.length - LISTED_IN_MESSAGE} more`);
    return `${summary}\n${listed.join("\n")}`;
}
