/// ZOModel: a GPT-2-style transformer on BLAS for zeroth-order and first-order fine-tuning.
///
/// - ``GPTConfig``, ``FineTuningMode``: shape (V, context, C, L, NH) and what is trained
///   (full, LoRA on q/v, prefix-tuning).
/// - ``GPTModel``: parameters as ZOCore ``ParameterSet``s (one block per layer), the inference
///   pass (loss only, one layer's buffers, data-parallel over sequences), the training pass with
///   backward, scoring (target log-probabilities, sequence log-probabilities, logits).
/// - ``ModelObjective``: the model as a ZOCore ``Objective`` (Float32).
/// - ``GPTCheckpoint``, ``SafetensorsFile``, ``SafetensorsWriter``: GPT-2 checkpoints in
///   safetensors (F32/F16/BF16), atomic writes, validating reader.
/// - ``ByteTokenizer``, ``BPETokenizer``: byte-level ids and GPT-2's byte-level BPE.
/// - ``ModelBenchmark``: random batches, FLOP counts, step-vs-forward memory and checkpoint timing behind `zolab bench model`.
///
/// Layers (internal, llm.c style, each a forward/backward pair with a naive twin): ``Encoder``,
/// ``LayerNorm``, ``Matmul``, ``Attention``, ``GELU``, ``LoRA``, ``CrossEntropyHead``. See docs/model.md.
public enum ZOModelInfo {
    public static let version = "0.1.0"
}
