/**
 * The ONNX graph of the tiny test model. Not a transformer: a bag of token embeddings whose
 * masked mean is projected and added back to every position, then Tanh. That keeps the file
 * small and fast while the [CLS] vector still depends on the whole text, so `cls` and `mean`
 * pooling, query prefixes and retrieval all behave observably.
 */
import { DataType, encodeModel, type NodeSpec } from './onnx-proto.ts';
import { seededRandom, uniformFloats } from './seeded-random.ts';

export interface TinyBertGraphOptions {
  vocabSize: number;
  hiddenSize: number;
  seed: number;
}

/** Opset 13 takes ReduceSum/Unsqueeze axes as inputs; IR version 7 is the one that shipped with it. */
const OPSET = 13;
const IR_VERSION = 7;

export function buildTinyBertOnnx(o: TinyBertGraphOptions): Uint8Array {
  const { vocabSize: V, hiddenSize: H } = o;
  const next = seededRandom(o.seed);
  const wordEmbeddings = uniformFloats(next, V * H, 1);
  const typeEmbeddings = uniformFloats(next, 2 * H, 0.1);
  // Scaled by 1/sqrt(H) so the context term is of the same order as a token embedding.
  const contextWeight = uniformFloats(next, H * H, Math.sqrt(3 / H));

  const steps: NodeSpec[] = [
    { opType: 'Gather', inputs: ['word_embeddings', 'input_ids'], outputs: ['word_emb'] },
    { opType: 'Gather', inputs: ['token_type_embeddings', 'token_type_ids'], outputs: ['type_emb'] },
    { opType: 'Add', inputs: ['word_emb', 'type_emb'], outputs: ['emb'] },
    { opType: 'Cast', inputs: ['attention_mask'], outputs: ['mask_f'], attributes: { to: DataType.FLOAT } },
    { opType: 'Unsqueeze', inputs: ['mask_f', 'axis_2'], outputs: ['mask3'] },
    { opType: 'Mul', inputs: ['emb', 'mask3'], outputs: ['masked'] },
    { opType: 'ReduceSum', inputs: ['masked', 'axis_1'], outputs: ['sum'], attributes: { keepdims: 1 } },
    { opType: 'ReduceSum', inputs: ['mask3', 'axis_1'], outputs: ['count'], attributes: { keepdims: 1 } },
    // Guards an all-padding row against 0/0.
    { opType: 'Max', inputs: ['count', 'one'], outputs: ['count_safe'] },
    { opType: 'Div', inputs: ['sum', 'count_safe'], outputs: ['mean'] },
    { opType: 'MatMul', inputs: ['mean', 'context_weight'], outputs: ['context'] },
    { opType: 'Add', inputs: ['emb', 'context'], outputs: ['hidden'] },
    { opType: 'Tanh', inputs: ['hidden'], outputs: ['last_hidden_state'] },
  ];
  const nodes = steps.map((n, i) => ({ ...n, name: `${n.opType.toLowerCase()}_${i}` }));

  return encodeModel({
    graphName: 'tiny_bert',
    producerName: 'tongxin make-tiny-model',
    opset: OPSET,
    irVersion: IR_VERSION,
    nodes,
    initializers: [
      { name: 'word_embeddings', dims: [V, H], data: wordEmbeddings },
      { name: 'token_type_embeddings', dims: [2, H], data: typeEmbeddings },
      { name: 'context_weight', dims: [H, H], data: contextWeight },
      { name: 'axis_1', dims: [1], data: BigInt64Array.from([1n]) },
      { name: 'axis_2', dims: [1], data: BigInt64Array.from([2n]) },
      { name: 'one', dims: [], data: Float32Array.from([1]) },
    ],
    inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({
      name,
      elemType: DataType.INT64,
      shape: ['batch_size', 'sequence_length'],
    })),
    outputs: [
      { name: 'last_hidden_state', elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', H] },
    ],
  });
}
