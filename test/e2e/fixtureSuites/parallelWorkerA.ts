// One of the two files test/e2e/fixtureParallel.e2e.test.ts gives `mocha --parallel --jobs 2`: see parallelSuite.ts.
import { parallelSuite } from "./parallelSuite";

parallelSuite("a");
