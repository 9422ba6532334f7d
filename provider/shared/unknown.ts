/**
 * Values not known yet. During a preview, an input that depends on a resource not created yet reaches
 * `check` and `diff` as Pulumi's placeholder: `unknownValue` from `@pulumi/pulumi/runtime`, the very
 * constant Pulumi's dynamic-provider host compares with. Never a copy of it.
 */
// From the module that defines it (the runtime's index re-exports it): the whole runtime takes ~0.4 s to
// load, and the test fixtures, which validate users in the test process, must not pay that.
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

/** Pulumi's placeholder for a value not known during preview. */
export const UNKNOWN: string = unknownValue;

/** Whether a value is Pulumi's placeholder for a value not known yet. */
export function isUnknown(value: unknown): boolean {
    return value === unknownValue;
}

/** Whether a value, or any value inside it (a list's item, a map's value), is not known yet. */
export function hasUnknown(value: unknown): boolean {
    return isUnknown(value) || (typeof value === "object" && value !== null && Object.values(value).some(hasUnknown));
}

/** Whether a value is given and known: neither absent (`undefined`, `null`) nor the placeholder. */
export function isKnown(value: unknown): boolean {
    return value !== undefined && value !== null && !isUnknown(value);
}
