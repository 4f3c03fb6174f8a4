import Foundation
import Testing
import SolverKit

/// Naive O(n^2) DFT of real data, bins 0...n/2: the reference for plan-reuse checks (error ~ n * ulp).
private func naiveHalfSpectrum(_ x: [Double]) -> [Complex<Double>] {
    let n = x.count
    return (0...(n / 2)).map { k in
        var sum = Complex<Double>.zero
        for (j, value) in x.enumerated() {
            let angle = -2 * Double.pi * Double((k * j) % n) / Double(n)
            sum += Complex(value * cos(angle), value * sin(angle))
        }
        return sum
    }
}

private func maxComplexDifference(_ a: some Collection<Complex<Double>>, _ b: [Complex<Double>]) -> Double {
    zip(a, b).reduce(0) { max($0, ($1.0 - $1.1).length) }
}

@Suite("RealFFTPlan reuse and threads")
struct RealFFTPlanReuseTests {
    @Test("one plan executed on successive data gives the naive DFT each time")
    func planReuse() throws {
        let n = 48
        let plan = try RealFFTPlan<Double>(n, rigor: .measure)
        for seed: UInt64 in 1...3 {
            let x = randomValues(n, seed: seed, as: Double.self)
            plan.real.assign(from: x)
            plan.forward()
            #expect(maxComplexDifference(plan.spectrum, naiveHalfSpectrum(x)) < 1e-12 * Double(n))
            plan.normalizedInverse()
            #expect(maxAbsDifference(plan.real, x) < 1e-12)
        }
    }

    @Test("new-array execution on other aligned buffers matches execution on the plan's own buffers")
    func newArrayExecution() throws {
        let shape = [10, 12]
        let plan = try RealFFTPlan<Double>(shape: shape, rigor: .estimate)
        let x = randomValues(elementCount(shape), seed: 21, as: Double.self)
        plan.real.assign(from: x)
        plan.forward()

        let input = AlignedBuffer<Double>(x)
        let output = AlignedBuffer<Complex<Double>>(count: plan.spectrumCount)
        plan.forward(input, into: output)
        #expect(Array(output) == Array(plan.spectrum), "same plan, same data: bitwise identical")
        #expect(Array(input) == x)

        let back = AlignedBuffer<Double>(count: plan.realCount)
        plan.normalizedInverse(output, into: back)
        #expect(maxAbsDifference(back, x) < 1e-12)
    }

    @Test("raw-pointer execution works on 16-byte-aligned slices of one larger buffer")
    func rawPointerSlices() throws {
        // 16 floats = 64 bytes per real field; 9 complex floats = 72 bytes per spectrum would break alignment,
        // so spectra are padded to a stride of 10 (80 bytes).
        let n = 16, fields = 3, stride = 10
        let plan = try RealFFTPlan<Float>(n, rigor: .estimate)
        let stack = AlignedBuffer<Float>(randomValues(n * fields, seed: 5, as: Float.self))
        let spectra = AlignedBuffer<Complex<Float>>(count: stride * fields)
        stack.withUnsafeMutableBufferPointer { real in
            spectra.withUnsafeMutableBufferPointer { spectrum in
                for f in 0..<fields {
                    plan.forward(unsafeInput: real.baseAddress! + f * n, output: spectrum.baseAddress! + f * stride)
                }
            }
        }
        for f in 0..<fields {
            plan.real.assign(from: stack[(f * n)..<((f + 1) * n)])
            plan.forward()
            let slice = spectra[(f * stride)..<(f * stride + plan.spectrumCount)]
            #expect(Array(slice) == Array(plan.spectrum))
        }
    }

    @Test("executing on a misaligned pointer stops the process")
    func misalignedPointerTraps() async {
        await #expect(processExitsWith: .failure) {
            let plan = try RealFFTPlan<Double>(8, rigor: .estimate)
            let real = AlignedBuffer<Double>(count: 9)
            let spectrum = AlignedBuffer<Complex<Double>>(count: plan.spectrumCount)
            real.withUnsafeMutableBufferPointer { r in
                spectrum.withUnsafeMutableBufferPointer { s in
                    plan.forward(unsafeInput: r.baseAddress! + 1, output: s.baseAddress!)
                }
            }
        }
    }

    @Test("buffers of the wrong size stop the process")
    func wrongSizeTraps() async {
        await #expect(processExitsWith: .failure) {
            let plan = try RealFFTPlan<Double>(8, rigor: .estimate)
            plan.forward(AlignedBuffer(count: 7), into: AlignedBuffer(count: plan.spectrumCount))
        }
    }

    @Test("plans created, run and destroyed by 8 concurrent tasks give correct results")
    func concurrentPlanning() async throws {
        let shapes: [[Int]] = [[64], [33], [16, 16], [9, 12], [8, 6, 4], [5, 5, 5], [128], [20, 21]]
        let errors = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
            for (task, shape) in shapes.enumerated() {
                group.addTask {
                    var worst = 0.0
                    for round in 0..<25 {
                        // Alternate rigors so measuring planners (slow, with trial runs) overlap estimating ones.
                        let rigor: FFTPlanningRigor = round % 5 == 0 ? .measure : .estimate
                        if task % 2 == 0 {
                            let plan = try RealFFTPlan<Double>(shape: shape, rigor: rigor)
                            let x = randomValues(plan.realCount, seed: UInt64(task * 100 + round), as: Double.self)
                            plan.real.assign(from: x)
                            plan.forward()
                            plan.normalizedInverse()
                            worst = max(worst, maxAbsDifference(plan.real, x))
                        } else {
                            let plan = try RealFFTPlan<Float>(shape: shape, rigor: rigor)
                            let x = randomValues(plan.realCount, seed: UInt64(task * 100 + round), as: Float.self)
                            plan.real.assign(from: x)
                            plan.forward()
                            plan.normalizedInverse()
                            worst = max(worst, Double(maxAbsDifference(plan.real, x)) * 1e-7)
                        }
                    }
                    return (task, worst)
                }
            }
            var results: [(Int, Double)] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(errors.count == shapes.count)
        for (task, worst) in errors {
            // Double tasks: round-trip error; float tasks: scaled by 1e-7 so the same 1e-12 bound means < 1e-5.
            #expect(worst < 1e-12, "task \(task) round-trip error \(worst)")
        }
    }

    @Test("plans on several OS threads at once, sharing one shape, agree bitwise with a reference")
    func threadedPlanning() throws {
        let shape = [24, 30]
        let x = randomValues(elementCount(shape), seed: 99, as: Double.self)
        let reference = try RealFFTPlan<Double>(shape: shape, rigor: .estimate)
        reference.real.assign(from: x)
        reference.forward()
        let expected = reference.spectrum.flatMap { [$0.re, $0.im] }

        let results = ResultBox(count: 8)
        let threads = (0..<8).map { t in
            Thread {
                var worst = 0.0
                for _ in 0..<20 {
                    guard let plan = try? RealFFTPlan<Double>(shape: shape, rigor: .estimate) else {
                        worst = .infinity
                        break
                    }
                    plan.real.assign(from: x)
                    plan.forward()
                    worst = max(worst, maxAbsDifference(plan.spectrum.flatMap { [$0.re, $0.im] }, expected))
                }
                results.set(t, worst)
            }
        }
        threads.forEach { $0.start() }
        #expect(results.waitForAll(timeout: 60), "threads did not finish")
        for t in 0..<8 { #expect(results.value(t) ?? .infinity < 1e-12, "thread \(t)") }
    }
}

/// Results written by threads, read after they signal completion.
/// `@unchecked Sendable`: every access to `values` happens under `condition`'s lock.
private final class ResultBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var values: [Double?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Double) {
        condition.lock()
        values[index] = value
        condition.broadcast()
        condition.unlock()
    }

    func value(_ index: Int) -> Double? {
        condition.lock()
        defer { condition.unlock() }
        return values[index]
    }

    func waitForAll(timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while values.contains(where: { $0 == nil }) {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }
}
