// swift-tools-version:6.0
//
// ZOLab: forward-only (zeroth-order) optimizers — visualise, verify, train.
//
// Layout (one concern per module; each depends only on the modules listed):
//   C shims        CCairo, COpenBLAS (system libraries via pkg-config), CZOKernels (noise kernels),
//                  CZOModelKernels (transformer element-wise kernels: GELU, softmax exp, LayerNorm)
//   ZOCore         tensors in one slab, BLAS wrappers + runtime core selection, Philox noise,
//                  parallel loops, atomic files, typed errors            (COpenBLAS, CZOKernels)
//   ZOStats        Welford, quantiles, intervals, tests, DKWM, Bonferroni (ZOCore)
//   ZOFunctions    analytic test-function catalog                        (ZOCore)
//   ZOOptim        objectives' optimizers: ZO family + first-order baselines, run driver
//                                                                        (ZOCore)
//   ZOPlot         Cairo figures, animations, gnuplot backend            (CCairo, ZOCore)
//   ZOModel        GPT-2-style transformer, LoRA, prefix, safetensors, tokenizers
//                                                                        (ZOCore, COpenBLAS, CZOModelKernels)
//   ZOTrain        datasets, fine-tuning objectives, trainer, comparison (ZOModel, ZOOptim, ZOStats, ZOPlot)
//   ZOExperiments  function × optimizer run specs (zolab run), figure presets and their
//                  rendering (zolab plot)                               (ZOFunctions, ZOOptim, ZOPlot)
//   ZOVerify       theory checks with verdicts                           (ZOOptim, ZOFunctions,
//                                                                         ZOStats, ZOPlot, ZOModel, ZOTrain)
//   zolab          the command-line tool (ZOLabCLI target, one file per subcommand)
import PackageDescription

// C kernels are always built optimised (also in debug builds) and without FMA contraction,
// so every ISA path of a kernel produces bit-identical results (see CZOKernels/README.md).
let kernelCSettings: [CSetting] = [.unsafeFlags(["-O3", "-ffp-contract=off", "-fno-math-errno"])]

let package = Package(
    name: "ZOLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "zolab", targets: ["ZOLabCLI"]),
        .library(name: "ZOCore", targets: ["ZOCore"]),
        .library(name: "ZOModel", targets: ["ZOModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // MARK: C shims
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "CZOKernels", cSettings: kernelCSettings),
        .target(name: "CZOModelKernels", cSettings: kernelCSettings),

        // MARK: Library modules
        .target(
            name: "ZOCore",
            dependencies: ["COpenBLAS", "CZOKernels", .product(name: "Numerics", package: "swift-numerics")]
        ),

        .target(name: "ZOStats", dependencies: ["ZOCore"]),
        .target(name: "ZOFunctions", dependencies: ["ZOCore"]),
        .target(name: "ZOOptim", dependencies: ["ZOCore"]),
        .target(name: "ZOPlot", dependencies: ["CCairo", "ZOCore"]),
        .target(name: "ZOModel", dependencies: ["ZOCore", "COpenBLAS", "CZOModelKernels"]),
        .target(name: "ZOTrain", dependencies: ["ZOModel", "ZOOptim", "ZOStats", "ZOPlot"]),
        .target(name: "ZOExperiments", dependencies: ["ZOFunctions", "ZOOptim", "ZOPlot"]),
        .target(name: "ZOVerify", dependencies: ["ZOOptim", "ZOFunctions", "ZOStats", "ZOPlot", "ZOModel", "ZOTrain"]),

        // MARK: Command-line tool
        .executableTarget(
            name: "ZOLabCLI",
            dependencies: [
                "ZOCore", "ZOStats", "ZOFunctions", "ZOOptim", "ZOPlot", "ZOModel", "ZOTrain", "ZOVerify",
                "ZOExperiments", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "ZOCoreTests", dependencies: ["ZOCore"]),
        .testTarget(name: "ZOStatsTests", dependencies: ["ZOStats", "ZOCore"]),
        .testTarget(name: "ZOPlotTests", dependencies: ["ZOPlot", "ZOCore"]),
        .testTarget(name: "ZOFunctionsTests", dependencies: ["ZOFunctions", "ZOCore"]),
        .testTarget(name: "ZOOptimTests", dependencies: ["ZOOptim", "ZOCore"]),
        .testTarget(name: "ZOTrainTests", dependencies: ["ZOTrain", "ZOModel", "ZOOptim", "ZOCore"]),
        .testTarget(name: "ZOExperimentsTests", dependencies: ["ZOExperiments", "ZOPlot", "ZOFunctions", "ZOOptim"]),
        .testTarget(name: "ZOVerifyTests", dependencies: ["ZOVerify", "ZOStats", "ZOCore"]),
        // End-to-end: runs the built `zolab` binary (the dependency makes `swift build --build-tests` build it).
        .testTarget(name: "ZOLabCLITests", dependencies: ["ZOLabCLI"]),
        // Fixtures (written by scripts/make_model_fixtures.py) are read through #filePath. ZOOptim:
        // the registry's optimizers step the model (MeZO memory, adapters with every optimizer).
        .testTarget(name: "ZOModelTests", dependencies: ["ZOModel", "ZOOptim", "ZOCore", "CZOModelKernels"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
