/**
 * What a preview says of a batch's plan. The engine shows a batch as one resource: plain `pulumi preview`
 * only says that `declaredUsers` changed, and `--diff` prints every declared user, changed or not (the
 * CLI prints the unchanged entries of a changed value too). So `diff` prints these lines itself: which
 * users are created, updated (and which of their fields) and deleted, by username, and nothing about
 * the others. Never a value: a field's name at most, so no password or attribute value is shown.
 */
import { BatchPlan } from "./plan";

/** Users listed per kind of change; the rest are counted. */
export const LISTED_USERS = 20;

/** The fields of one planned update, attributes by name: `attributes (email, name), groups`. */
function changedFields(update: BatchPlan["update"][number]): string {
    return update.changed
        .map((field) => {
            if (field !== "attributes") return field;
            const olds = update.olds.attributes ?? {};
            const news = update.news.attributes ?? {};
            const names = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((name) => olds[name] !== news[name]).sort();
            return names.length > 0 ? `attributes (${names.join(", ")})` : field;
        })
        .join(", ");
}

/** Up to LISTED_USERS lines, then how many more. */
function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
    const lines = items.slice(0, LISTED_USERS).map(line);
    if (items.length > LISTED_USERS) lines.push(`  … and ${items.length - LISTED_USERS} more`);
    return lines;
}

/**
 * The lines that describe a plan with changes, e.g.
 * `seed: 3 users change (10000 declared): 1 to create, 1 to update, 1 to delete` then `  + dave`,
 * `  ~ alice: attributes (email), groups`, `  - erin`. None for a plan without changes.
 */
export function describePlan(label: string, plan: BatchPlan): string[] {
    const changing = plan.create.length + plan.update.length + plan.delete.length;
    if (changing === 0) return [];
    const total = plan.create.length + plan.update.length + plan.unchanged.length;
    const kinds = [
        plan.create.length > 0 ? `${plan.create.length} to create` : "",
        plan.update.length > 0 ? `${plan.update.length} to update` : "",
        plan.delete.length > 0 ? `${plan.delete.length} to delete` : "",
    ].filter(Boolean);
    return [
        `${label}: ${changing === 1 ? "1 user changes" : `${changing} users change`} (${total} declared): ${kinds.join(", ")}`,
        ...listed(plan.create, (user) => `  + ${user.username}`),
        ...listed(plan.update, (update) => `  ~ ${update.news.username}: ${changedFields(update)}`),
        ...listed(plan.delete, ({ username }) => `  - ${username}`),
    ];
}
