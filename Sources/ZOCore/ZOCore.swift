/// ZOCore: the numerics every other ZOLab module stands on.
///
/// - ``ZOScalar``: the two element types (Float for transformer weights, Double for analytic
///   test functions) and their kernels.
/// - ``Slab`` / ``TensorView``: one aligned allocation per parameter set, named tensors are views.
/// - ``BLAS``: gemm / gemv / axpy / dot on OpenBLAS with naive twins in ``BLASReference``;
///   ``BLASRuntime`` selects fast CPU kernels in-process (the Debian misdetection trap).
/// - ``Noise``: Philox-4x32-10 counter-based Gaussian / Rademacher / uniform streams, fused
///   `x += scale·z` split across cores; ``PhiloxReference`` is the naive twin.
/// - ``ParameterSet`` / ``Objective``: the interface optimizers, test functions and the
///   transformer share.
/// - ``AtomicFile``, ``MemoryProbe``, ``CPUInfo``: system helpers.
public enum ZOCoreInfo {
    public static let version = "0.1.0"
}
