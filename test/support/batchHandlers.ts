/**
 * The batch's handlers as integration tests drive them: the real handlers (./provider/batch/handlers.ts),
 * with the inputs and outputs the tests hold decoded (maps) and encoded at the call, as the engine
 * would carry them (JSON strings, provider/batch/wire.ts). Every call crosses the wire form both ways,
 * so these tests also prove the form round-trips; the form itself is tested in test/unit/batchWire.test.ts.
 */
import * as real from "../../provider/batch/handlers";
import { BatchOperationError } from "../../provider/batch/errors";
import { BatchInputs, BatchOutputs } from "../../provider/batch/types";
import {
    BatchWireInputs,
    BatchWireOutputs,
    decodeInputs,
    decodeOutputs,
    encodeInputs,
    encodeOutputs,
    isEarlierForm,
} from "../../provider/batch/wire";
import { isPlainObject } from "../../provider/shared/types";

export { setProgressSink, batchResourceId } from "../../provider/batch/handlers";

/** Inputs as the engine carries them: decoded maps encoded, strings (or unknowns) as they are. */
function wireInputs(inputs: BatchInputs): BatchWireInputs {
    return isPlainObject(inputs.declaredUsers) || isPlainObject(inputs.userPasswords) ? encodeInputs(inputs) : (inputs as never);
}

/** Recorded outputs as the engine carries them: decoded records encoded; the earlier form only when a test builds it on purpose. */
function wireOutputs(outputs: Partial<BatchOutputs>, keepEarlierForm = false): BatchWireOutputs {
    if (keepEarlierForm || !isEarlierForm(outputs as BatchWireOutputs)) return outputs as never;
    return encodeOutputs({ passwords: {}, temporaryPasswords: {}, ...outputs } as BatchOutputs);
}

/** A batch error's recorded properties, decoded like every other output here. */
function decodedError(error: unknown): never {
    if (error instanceof BatchOperationError && error.properties && error.id !== undefined) {
        const properties = decodeOutputs(error.properties as unknown as BatchWireOutputs);
        throw new BatchOperationError(error.code, error.toJSON().message, error.failures, { id: error.id, properties });
    }
    throw error;
}

export async function check(olds: unknown, news: Record<string, unknown>) {
    const result = await real.check(olds, news as never);
    return result.inputs ? { ...result, inputs: decodeInputs(result.inputs) } : result;
}

export async function diff(id: string, olds: Partial<BatchOutputs>, news: BatchInputs) {
    return real.diff(id, wireOutputs(olds), wireInputs(news));
}

export async function create(inputs: BatchInputs): Promise<{ id: string; outs: BatchOutputs }> {
    const result = await real.create(wireInputs(inputs)).catch(decodedError);
    return { id: result.id, outs: decodeOutputs(result.outs) as BatchOutputs };
}

export async function update(id: string, olds: Partial<BatchOutputs>, news: BatchInputs): Promise<{ outs: BatchOutputs }> {
    const result = await real.update(id, wireOutputs(olds), wireInputs(news)).catch(decodedError);
    return { outs: decodeOutputs(result.outs) as BatchOutputs };
}

export async function read(id: string, props: Partial<BatchOutputs>) {
    const result = await real.read(id, wireOutputs(props));
    return { ...result, props: decodeOutputs(result.props ?? {}) as BatchOutputs };
}

export async function remove(id: string, props: Partial<BatchOutputs>): Promise<void> {
    return real.remove(id, wireOutputs(props));
}
