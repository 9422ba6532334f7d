import { AttributeType } from "@aws-sdk/client-cognito-identity-provider";

/** `{ name: value }` as Cognito's `[{ Name, Value }]`. */
export function toAttributeList(attributes: Record<string, string>): AttributeType[] {
    return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

/** Cognito's `[{ Name, Value }]` as `{ name: value }`. */
export function fromAttributeList(list: AttributeType[] | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { Name, Value } of list ?? []) if (Name) out[Name] = Value ?? "";
    return out;
}
