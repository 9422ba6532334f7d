/**
 * Lines for the person running `pulumi`: a batch's progress and the provider's warnings. They go to
 * stderr: the engine forwards each line a provider plugin writes there to the command's output as it
 * comes, the only channel a dynamic provider has. Tests redirect them.
 */

/** Where the lines go. */
export type NoticeSink = (line: string) => void;

const stderrSink: NoticeSink = (line) => {
    process.stderr.write(`${line}\n`);
};
let sink: NoticeSink = stderrSink;

/** Redirects the lines (tests capture them); without an argument, back to stderr. */
export function setProgressSink(to?: NoticeSink): void {
    sink = to ?? stderrSink;
}

/** Prints one progress line. */
export function printProgress(line: string): void {
    sink(line);
}

/** Prints a warning: a line starting `warning: `, which the output shows beside the resource's step. */
export function printWarning(line: string): void {
    sink(`warning: ${line}`);
}
