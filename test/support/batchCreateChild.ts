/**
 * Runs one batch `create` in its own process, for the test that kills a `pulumi up` mid-batch: the
 * checked inputs come as JSON in the environment variable BATCH_CHILD_INPUTS. Prints nothing but
 * progress; exits 0 when the create finished.
 */
import * as handlers from "../../provider/batch/handlers";
import { useDummyCredentials } from "../../provider/local/cognitoLocal";

useDummyCredentials();
handlers.setProgressSink(() => undefined);
handlers
    .create(JSON.parse(process.env.BATCH_CHILD_INPUTS ?? "{}"))
    .then(() => process.exit(0))
    .catch((error: Error) => {
        process.stderr.write(`${error.message}\n`);
        process.exit(1);
    });
