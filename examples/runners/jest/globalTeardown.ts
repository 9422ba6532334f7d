/** Jest's global teardown: deletes the run's users once, after every worker finished (or crashed). */
import type { declareRunUsers } from "../users";

export default async function globalTeardown(): Promise<void> {
    await (globalThis as { cognitoUsers?: ReturnType<typeof declareRunUsers> }).cognitoUsers?.down();
}
