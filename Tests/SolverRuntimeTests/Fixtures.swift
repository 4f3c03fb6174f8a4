import Foundation
import SluiceModel
import SolverRuntime
import TestSupport

/// A small NS2D case file (16^2, Taylor-Green or GRF), written into `directory`.
func writeNS2DCase(in directory: TemporaryDirectory, name: String = "case.yaml", initial: String = "grf",
                   every: String = "steps: 4", steps: Int = 10, extra: String = "") throws -> String {
    let text = """
        solver: ns2d
        name: tiny-ns2d
        parameters:
          viscosity: 1.0e-2
          seed: 100
          grf_tau: 3.0
        grid:
          points: 16
          length: 1.0
        time:
          scheme: cn-rk3
          dt: 1.0e-3
          steps: \(steps)
        forcing: fno
        initial_condition:
          kind: \(initial)
        \(extra)
        output:
          every:
            \(every)
          fields: [vorticity, velocity_x]
          dtype: f64
        """
    let path = directory.path(name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A small advection case file.
func writeAdvectionCase(in directory: TemporaryDirectory) throws -> String {
    let text = """
        solver: advection
        name: tiny-swirl
        parameters:
          swirl_period: 0.5
          centre_y: 0.7
        grid:
          points: 32
        flow: swirl
        initial_condition: cosine-hump
        scheme:
          method: finite-volume
          limiter: van-leer
        time:
          end_time: 0.5
        output:
          every:
            simulation_time: 0.1
        """
    let path = directory.path("advection.yaml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// The doubles of a collected field.
func doubles(_ bytes: [UInt8]) -> [Double] {
    bytes.withUnsafeBytes { raw in (0..<(bytes.count / 8)).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) } }
}

/// Builds member `member` of the case at `path` with `overrides` (FFTW_ESTIMATE plans).
func member(_ path: String, _ member: UInt64, _ overrides: [String] = []) throws -> MemberSetup {
    try SolverRegistry.standard.makeMember(
        casePath: path, request: MemberRequest(member: member, overrides: try ParameterOverrides(overrides), rigor: .estimate))
}
