import Foundation
import NavierStokes2D
import SolverKit
import SluiceModel
import TestSupport
import Testing

/// The Swift solver against an independent NumPy implementation of the same recipe
/// (Reference/fno_step.py, written from the equations), on a field of uniform random values: every Fourier mode,
/// the Nyquist ones included, is exercised.
@Suite("NumPy reference")
struct NumPyReferenceTests {
    /// Runs the reference script on `initial` and returns its result.
    func numpySteps(_ initial: [Double], n: Int, length: Double, viscosity: Double, amplitude: Double, dt: Double,
                    steps: Int) throws -> [Double] {
        let directory = try TemporaryDirectory(prefix: "ns2d-numpy")
        defer { directory.remove() }
        let input = directory.path("omega0.f64"), output = directory.path("omega1.f64")
        try Data(littleEndianBytes(initial)).write(to: URL(fileURLWithPath: input))
        let script = repositoryRoot() + "/Tests/NavierStokes2DTests/Reference/fno_step.py"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, input, output, "\(n)", "\(length)", "\(viscosity)", "\(amplitude)",
                             "\(dt)", "\(steps)"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(process.terminationStatus == 0, "python3 fno_step.py failed (numpy is required): \(message)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        try #require(bytes.count == n * n * 8, "the reference wrote \(bytes.count) bytes, expected \(n * n * 8)")
        return bytes.withUnsafeBytes { raw in (0..<(n * n)).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) } }
    }

    @Test("one FNO step equals the NumPy reference to 1e-12 on a random field", arguments: [(32, 1.0), (48, 2 * Double.pi)])
    func oneStep(points n: Int, length: Double) throws {
        var rng = Xoshiro256StarStar(seed: 20_240_601)
        let initial = (0..<(n * n)).map { _ in 2 * rng.nextUnitDouble() - 1 }
        let (nu, amplitude, dt) = (1e-3, 0.1, 1e-3)
        var spec = testCase(points: n, length: length, scheme: "cn-euler", dt: dt, steps: 1, forcing: .fno,
                            initial: .file) {
            $0.viscosity = nu
            $0.forcingAmplitude = amplitude
        }
        spec.output.fields = [.vorticity]
        let simulation = try VorticitySimulation(case: spec, initialVorticity: initial, rigor: .estimate)
        try simulation.advance()
        let swift = simulation.vorticityField()
        let numpy = try numpySteps(initial, n: n, length: length, viscosity: nu, amplitude: amplitude, dt: dt, steps: 1)
        // Both sides round in FFTs of size n^2 (relative error ~ 1e-16 log2 n^2) on intermediate values up to
        // |kappa| |omega| ~ 100; 1e-12 leaves two orders of margin. The step itself changes omega by far more:
        #expect(maxAbsDifference(swift, initial) > 1e-3)
        #expect(maxAbsDifference(swift, numpy) < 1e-12)
    }

    @Test("ten FNO steps stay within 1e-11 of the NumPy reference")
    func tenSteps() throws {
        let n = 32
        var rng = Xoshiro256StarStar(seed: 7)
        let initial = (0..<(n * n)).map { _ in 2 * rng.nextUnitDouble() - 1 }
        let spec = testCase(points: n, scheme: "cn-euler", dt: 1e-3, steps: 10, forcing: .fno, initial: .file) {
            $0.viscosity = 1e-3
            $0.forcingAmplitude = 0.1
        }
        let simulation = try VorticitySimulation(case: spec, initialVorticity: initial, rigor: .estimate)
        for _ in 0..<10 { try simulation.advance() }
        let numpy = try numpySteps(initial, n: n, length: 1, viscosity: 1e-3, amplitude: 0.1, dt: 1e-3, steps: 10)
        #expect(maxAbsDifference(simulation.vorticityField(), numpy) < 1e-11)
    }
}
