import ZOCore

/// A GPT-2-style transformer on BLAS: pre-LayerNorm blocks, GELU (tanh), learned positions,
/// tied token embedding / LM head, causal multi-head attention.
///
/// Parameters live in ZOCore ``ParameterSet``s: ``base`` holds every GPT-2 tensor (one block
/// for the embeddings wte + wpe, one per layer "h.{i}", one for "ln_f"); in LoRA and prefix
/// modes ``adapters`` holds the trainable adapters (one block per layer) and the base is frozen.
/// ``trainable`` is what an optimizer sees.
///
/// Passes (all batched over B·T rows, every projection one sgemm):
/// - inference (``loss(_:)``, ``positionLosses(_:)``, scoring): buffers sized for one layer and
///   reused layer after layer, LM-head logits in row chunks; nothing is kept for backward. This
///   is the pass a ZO optimizer runs: its memory is the parameters plus one layer's activations.
/// - training (``lossAndGradient(_:into:)``): keeps every layer's activations, then backward.
///
/// The model is not thread-safe: one pass at a time (each pass uses all cores itself).
public final class GPTModel: @unchecked Sendable {
    public let config: GPTConfig
    public let mode: FineTuningMode
    /// Every base tensor, GPT-2 names, Conv1D layout ([in, out] weights).
    public let base: ParameterSet<Float>
    /// LoRA or prefix adapters (nil in `full` mode).
    public let adapters: ParameterSet<Float>?

    let basePointers: BasePointers
    let adapterPointers: [AdapterPointers]
    var inferenceWorkspace: InferenceWorkspace?
    var trainingWorkspace: TrainingWorkspace?
    /// Highest ``memoryBytes`` since the last ``resetMemoryPeak()`` (updated on every allocation).
    public private(set) var memoryPeakBytes = 0

    /// The parameters an optimizer trains: ``base`` in `full` mode, else ``adapters``.
    public var trainable: ParameterSet<Float> { adapters ?? base }

    /// A model with GPT-2's initialisation (see ``initializeWeights(seed:)``) and fresh adapters.
    public convenience init(config: GPTConfig, mode: FineTuningMode = .full, seed: UInt64 = 0) throws {
        try config.validate()
        try mode.validate(width: config.width)
        let base = ParameterSet<Float>(layout: GPTLayout.base(config))
        try self.init(config: config, mode: mode, base: base, adapterSeed: seed)
        initializeWeights(seed: seed)
    }

    /// A model over existing base weights (e.g. a loaded checkpoint); adapters are freshly
    /// initialised from `adapterSeed`. `base` must have exactly ``GPTLayout/base(_:)``'s layout.
    public init(config: GPTConfig, mode: FineTuningMode = .full, base: ParameterSet<Float>, adapterSeed: UInt64 = 0) throws {
        try config.validate()
        try mode.validate(width: config.width)
        let expected = GPTLayout.base(config)
        guard base.tensors == expected.tensors, base.blocks == expected.blocks else {
            throw ModelError.incompatibleCheckpoint("the base parameter set does not have the layout of \(config)")
        }
        self.config = config
        self.mode = mode
        self.base = base
        adapters = GPTLayout.adapters(config, mode: mode).map { ParameterSet<Float>(layout: $0) }
        basePointers = BasePointers(base.values.base, tensors: base.tensors, depth: config.depth)
        adapterPointers = AdapterPointers.layers(adapters?.values.base, tensors: adapters?.tensors ?? [], depth: config.depth)
        if adapters != nil { initializeAdapters(seed: adapterSeed) }
        memoryPeakBytes = memoryBytes
    }

    /// Frees the cached activation buffers (they are re-created on the next pass).
    public func releaseBuffers() {
        inferenceWorkspace = nil
        trainingWorkspace = nil
    }

    /// Bytes held by the cached inference and training buffers.
    public var bufferBytes: (inference: Int, training: Int) {
        (inferenceWorkspace?.byteCount ?? 0, trainingWorkspace?.byteCount ?? 0)
    }

    /// Bytes of the parameter slabs (base, plus adapters in LoRA/prefix modes).
    public var parameterBytes: Int { base.values.byteCount + (adapters?.values.byteCount ?? 0) }

    /// This model's own slab bytes now: parameters + cached activation buffers, whoever allocated
    /// them and whenever (parameters included, which a `MemoryLedger.measure` scope opened after
    /// loading does not see); allocations outside the model (an optimizer's state, scratch of
    /// the caller) are not counted here — a measuring scope counts those.
    public var memoryBytes: Int {
        let buffers = bufferBytes
        return parameterBytes + buffers.inference + buffers.training
    }

    /// Starts a new peak: ``memoryPeakBytes`` = ``memoryBytes``.
    public func resetMemoryPeak() { memoryPeakBytes = memoryBytes }

    private func notePeak() { memoryPeakBytes = max(memoryPeakBytes, memoryBytes) }

    // MARK: Validation and workspaces

    func validate(_ batch: TokenBatch) throws {
        guard batch.length <= config.contextLength else {
            throw ModelError.invalidBatch("T = \(batch.length) exceeds the context length \(config.contextLength)")
        }
        let V = Int32(config.vocabularySize)
        guard batch.tokens.allSatisfy({ $0 >= 0 && $0 < V }) else {
            throw ModelError.invalidBatch("token ids must be in 0..<\(V)")
        }
        guard batch.targets.allSatisfy({ $0 < V }) else {
            throw ModelError.invalidBatch("target ids must be < \(V) (negative = masked)")
        }
    }

    func inference(B: Int, T: Int) -> InferenceWorkspace {
        let d = PassDims(config: config, mode: mode, B: B, T: T)
        let workers = min(Parallel.threadCount, B)
        if let ws = inferenceWorkspace, ws.dims == d, ws.workers == workers { return ws }
        inferenceWorkspace = nil   // free the old buffers before allocating the new ones
        let ws = InferenceWorkspace(d, config: config, mode: mode, workers: workers)
        inferenceWorkspace = ws
        notePeak()
        return ws
    }

    func training(B: Int, T: Int) -> TrainingWorkspace {
        let d = PassDims(config: config, mode: mode, B: B, T: T)
        let workers = min(Parallel.threadCount, B)
        if let ws = trainingWorkspace, ws.dims == d, ws.workers == workers { return ws }
        trainingWorkspace = nil
        let ws = TrainingWorkspace(d, depth: config.depth, workers: workers)
        trainingWorkspace = ws
        notePeak()
        return ws
    }
}
