/**
 * Rows "hand-written SDK before()/after(), 5 users" and "cognitoFixture up()+signIn+down(), 5 users": the
 * test fixture against the same work done by hand, alternated in one run (bench/fixtureStartup.ts), each
 * side starting its own cognito-local as a suite would. Their medians and ratio go to `latest.json` as
 * `fixture` (target: `fixture.vsHandWritten` ≤ 1.5). Skipped when the testing entry point is not built.
 */
import type * as testing from "../../provider/testing";
import { FIXTURE_BENCH_USERS, FixtureComparison, measureFixtureVsHandWritten } from "../fixtureStartup";
import { beginStep, BenchRow, briefError, newRow, recordRun } from "../harness";

/** The package's built testing entry point, as a user imports it; undefined when not built. */
function loadFixtures(): typeof testing | undefined {
    try {
        const module = require("pulumi-cognito-user/testing") as Partial<typeof testing>;
        return typeof module.cognitoFixture === "function" ? (module as typeof testing) : undefined;
    } catch {
        return undefined;
    }
}

/** Runs the alternated comparison; returns its two rows and the comparison (undefined when skipped or failed). */
export async function runFixtureComparison(
    rounds: number,
    log: (line: string) => void,
): Promise<{ rows: BenchRow[]; comparison?: FixtureComparison }> {
    const hand = newRow("fixture-hand-written", `hand-written SDK before()/after(), ${FIXTURE_BENCH_USERS} users`, FIXTURE_BENCH_USERS);
    const fixture = newRow("fixture", `cognitoFixture up()+signIn+down(), ${FIXTURE_BENCH_USERS} users`, FIXTURE_BENCH_USERS);
    const testingModule = loadFixtures();
    if (!testingModule) {
        fixture.skipped = hand.skipped = "pulumi-cognito-user/testing (cognitoFixture) is not built: run `npm run build`";
        return { rows: [hand, fixture] };
    }
    try {
        beginStep(hand);
        beginStep(fixture);
        log(`bench: fixture vs hand-written, ${rounds} alternated rounds each (plus one warm-up each)`);
        const comparison = await measureFixtureVsHandWritten(testingModule.cognitoFixture, rounds, log);
        for (const [row, side] of [
            [hand, comparison.handWritten],
            [fixture, comparison.fixture],
        ] as const) {
            recordRun(row, side.wholeSeconds);
            row.extra.setUpSeconds = side.setUpSeconds;
            row.extra.tearDownSeconds = side.tearDownSeconds;
            row.extra.rounds = rounds;
        }
        fixture.extra.vsHandWritten = comparison.vsHandWritten;
        hand.notes.push(
            `median of ${rounds}: set-up ${comparison.setUpSeconds.handWritten.toFixed(2)} s (cognito-local, pool, app client, group, ` +
                `${FIXTURE_BENCH_USERS}× AdminCreateUser + AdminSetUserPassword + AdminAddUserToGroup, one InitiateAuth), ` +
                `teardown ${comparison.tearDownSeconds.handWritten.toFixed(2)} s (delete users and pool, stop)`,
        );
        fixture.notes.push(
            `median of ${rounds}: set-up ${comparison.setUpSeconds.fixture.toFixed(2)} s (up() with the embedded Cognito, one signIn), ` +
                `teardown ${comparison.tearDownSeconds.fixture.toFixed(2)} s (down()); ` +
                `${comparison.vsHandWritten.toFixed(2)}× the hand-written (target ≤ ${comparison.target})`,
        );
        return { rows: [hand, fixture], comparison };
    } catch (error) {
        fixture.error = briefError(error);
        hand.skipped = "the comparison failed: see the fixture row";
        return { rows: [hand, fixture] };
    }
}

/** The fixture comparison's headline, beside its target (reported, not asserted). */
export function fixtureHeadline(fixture: FixtureComparison): string[] {
    const s = (value: number) => `${value.toFixed(2)} s`;
    const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "-");
    return [
        `- test fixture, set-up + teardown / hand-written SDK (fixture.vsHandWritten): **${fmt(fixture.vsHandWritten)}×** (target ≤ ${fixture.target}): ` +
            `${s(fixture.fixtureSeconds)} against ${s(fixture.handWrittenSeconds)}; set-up ${s(fixture.setUpSeconds.fixture)} against ${s(fixture.setUpSeconds.handWritten)}, ` +
            `teardown ${s(fixture.tearDownSeconds.fixture)} against ${s(fixture.tearDownSeconds.handWritten)} ` +
            `(${fixture.users} users in group admins, embedded cognito-local, one sign-in; medians of ${fixture.rounds} alternated rounds each; ` +
            `load average ${fixture.loadAverage.atStart.toFixed(1)} → ${fixture.loadAverage.atEnd.toFixed(1)})`,
    ];
}
