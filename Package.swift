// swift-tools-version:6.0
// Sluice: a dataset and online-training data service for neural PDE surrogates.
// Target layout and import rules: docs/architecture.md.
import PackageDescription

/// Numerical kernels compile with -O in every configuration (see the solver targets).
let optimisedKernels: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
        .library(name: "HDF5", targets: ["HDF5"]),
        .library(name: "SolverKit", targets: ["SolverKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries: one system-library target each, imported by exactly one Swift wrapper.
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACK", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        // Process-level C calls Swift cannot import (glibc malloc tuning, TCP_INFO, shutdown); used by Server.
        .target(name: "CSluiceShims"),

        // Swift wrappers of the C libraries.
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "HDF5", dependencies: ["CHDF5"]),
        .target(name: "SolverKit", dependencies: ["CFFTW", "CBLAS", "CLAPACK"]),

        // Pure value types shared by everything (imports nothing).
        .target(name: "SluiceModel"),
        // YAML/JSON configuration files (cases, studies, server settings) into Codable types.
        .target(name: "SluiceConfig", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Coarse-graining filters: box, Gaussian, spectral cut-off, wall-bounded averaging (pure, no I/O).
        .target(name: "Filters", swiftSettings: optimisedKernels),
        // HDF5 archives in The Well's layout: trajectory files, dataset directories, stats.yaml, snapshot export.
        // Its per-chunk statistics loops are optimised in debug builds too (as the kernels), so debug exports stay usable.
        .target(name: "Archive", dependencies: ["HDF5", "Filters", "SluiceModel"], swiftSettings: optimisedKernels),
        // Reservoir policies, byte bound, seen counts, batch draws (pure, no I/O).
        .target(name: "Reservoir", dependencies: ["SluiceModel"]),
        // Encode/decode of every wire message (pure, no sockets).
        .target(name: "Wire", dependencies: ["SluiceModel"]),
        // ZeroMQ + Wire: sending and receiving protocol messages, heartbeats, reconnect back-off.
        .target(name: "Transport", dependencies: ["ZeroMQ", "Wire", "SluiceModel"]),
        // The reservoir server: ingest, credit, batch assembly, status.
        .target(name: "Server", dependencies: [
            "Transport", "Reservoir", "Wire", "ZeroMQ", "SluiceModel", "CSluiceShims",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Solvers (pure: SolverKit and SluiceModel only; they never import each other).
        // Their kernels are optimised in debug builds too, so that `swift test` can check convergence on grids
        // large enough to be in the asymptotic regime (about 20x faster than -Onone for these loops).
        .target(name: "NavierStokes2D", dependencies: ["SolverKit", "SluiceModel"], swiftSettings: optimisedKernels),
        .target(name: "Advection", dependencies: ["SolverKit", "SluiceModel"], swiftSettings: optimisedKernels),
        .target(name: "Channel", dependencies: ["SolverKit", "SluiceModel"], swiftSettings: optimisedKernels),
        // Triangle meshes (structured, Gmsh .msh 4.1), geometry, quality, bathymetry (pure Swift).
        .target(name: "Meshes", dependencies: ["SluiceModel"], swiftSettings: optimisedKernels),
        // Monge-Ampere mesh movement (movement's relaxation method): P1 FEM, CG, gradient/Hessian recovery.
        .target(name: "MeshMovement", dependencies: ["Meshes"], swiftSettings: optimisedKernels),
        // Finite-volume shallow water on moving triangle meshes (HLL, hydrostatic reconstruction, ALE remap).
        .target(name: "ShallowWater", dependencies: ["SolverKit", "SluiceModel", "Meshes", "MeshMovement"],
                swiftSettings: optimisedKernels),
        // The solver daemon loop: case files to simulations (registry), stepping, schedules, sinks, progress.
        .target(name: "SolverRuntime", dependencies: [
            "SolverKit", "SluiceModel", "SluiceConfig", "HDF5", "NavierStokes2D", "Advection", "Meshes", "ShallowWater", "Channel",
        ]),
        // Studies: study files, designs of experiments, parameter draws (pure).
        .target(name: "Studies", dependencies: ["SluiceModel"]),
        // Study launcher: server, members (local processes or Slurm jobs), relaunch, journal, accounting.
        .target(name: "Launcher", dependencies: ["Studies", "Clients", "Server", "SluiceConfig", "SolverRuntime", "Wire"]),
        // Swift clients: solver publisher, trainer client.
        .target(name: "Clients", dependencies: [
            "Transport", "Wire", "ZeroMQ", "SluiceModel",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The built-in surrogate: a fully connected network on OpenBLAS gemm, Adam (pure: SolverKit's BLAS only).
        .target(name: "Surrogates", dependencies: ["SolverKit", "SluiceModel"], swiftSettings: optimisedKernels),
        // `sluice train`: training loop, data sources (reservoir, in-memory members), gradient averaging over
        // ZeroMQ, model files (HDF5), loss plots (PNG).
        .target(name: "Training", dependencies: [
            "Surrogates", "Clients", "SolverRuntime", "Studies", "SluiceConfig", "HDF5", "ZeroMQ", "Wire", "SluiceModel",
            "SolverKit",
        ], swiftSettings: optimisedKernels),

        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceModel", "ZeroMQ", "HDF5", "SolverKit", "Wire", "Transport", "Reservoir", "Server", "Clients", "SluiceConfig",
                "SolverRuntime", "NavierStokes2D", "Advection", "Channel", "Studies", "Launcher", "Surrogates", "Training",
                "Archive", "Filters",
                "Meshes", "MeshMovement", "ShallowWater",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // libFuzzer driver over the wire decoder and the config parser (ops/fuzz.sh); without -DFUZZING it replays inputs.
        .executableTarget(name: "SluiceFuzz", dependencies: ["Wire", "Server", "SluiceConfig"]),

        // Tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ", "TestSupport"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SolverKitTests", dependencies: ["SolverKit", "TestSupport"]),
        .testTarget(name: "NavierStokes2DTests", dependencies: ["NavierStokes2D", "SolverKit", "SluiceModel", "TestSupport"],
                    exclude: ["Reference"]),
        .testTarget(name: "AdvectionTests", dependencies: ["Advection", "SolverKit", "SluiceModel", "TestSupport"]),
        .testTarget(name: "ChannelTests", dependencies: ["Channel", "SolverKit", "SluiceModel", "TestSupport"],
                    swiftSettings: optimisedKernels),
        .testTarget(name: "SolverRuntimeTests", dependencies: [
            "SolverRuntime", "NavierStokes2D", "Advection", "Channel", "SolverKit", "SluiceModel", "HDF5", "TestSupport",
            "ShallowWater", "Meshes",
        ]),
        .testTarget(name: "MeshesTests", dependencies: ["Meshes", "TestSupport"]),
        .testTarget(name: "MeshMovementTests", dependencies: ["MeshMovement", "Meshes", "TestSupport"]),
        .testTarget(name: "ShallowWaterTests", dependencies: ["ShallowWater", "MeshMovement", "Meshes", "SluiceModel", "SolverKit", "TestSupport"]),
        .testTarget(name: "FiltersTests", dependencies: ["Filters", "TestSupport"]),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "Filters", "HDF5", "SluiceModel", "SluiceConfig", "TestSupport"]),
        .testTarget(name: "ReservoirTests", dependencies: ["Reservoir", "TestSupport"]),
        .testTarget(name: "StudiesTests", dependencies: ["Studies", "TestSupport"]),
        .testTarget(name: "LauncherTests", dependencies: ["Launcher", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport"]),
        .testTarget(name: "SluiceConfigTests", dependencies: ["SluiceConfig", "Server", "TestSupport"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "ZeroMQ", "TestSupport"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "Clients", "Transport", "Wire", "ZeroMQ", "SluiceModel", "TestSupport"]),
        .testTarget(name: "SurrogatesTests", dependencies: ["Surrogates", "SolverKit", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: [
            "Training", "Surrogates", "ZeroMQ", "HDF5", "SluiceModel", "Studies", "TestSupport",
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["Clients", "Transport", "Wire", "ZeroMQ", "SluiceModel", "Archive", "TestSupport"]),
    ]
)
