/// A pair of FFTW plans, real-to-complex (forward) and complex-to-real (inverse), for one real array shape,
/// created once and executed as often as needed.
///
/// **Shape and layout.** `shape` is `[n]`, `[n0, n1]` or `[n0, n1, n2]` (any rank >= 1 works), row-major: the last
/// axis varies fastest. The real array has `n0 * n1 * ... * n_last` elements. Its spectrum has the last axis halved:
/// shape `[n0, ..., n_last / 2 + 1]` of `Complex<Scalar>`, holding the non-negative last-axis frequencies
/// `0...n_last/2` and, on every other axis, FFTW's order `0, 1, ..., -2, -1` (see ``wavenumbers(axis:)``).
/// The missing half follows from Hermitian symmetry `X[-k] = conj(X[k])`.
///
/// **Normalisation.** Both directions are unnormalised, as in FFTW:
/// `forward` computes `X[k] = sum_x x[x] exp(-2 pi i k.x / n)` and `inverse` computes
/// `x[x] = sum_k X[k] exp(+2 pi i k.x / n)`, so `inverse(forward(x)) = N x` with `N` = ``realCount``.
/// ``normalizedInverse()`` divides by `N`; alternatively fold ``normalization`` (`1/N`) into a spectral operator,
/// which costs nothing extra. A cosine `cos(2 pi k x / n)` with `0 < k < n/2` forwards to `n/2` at bin `k`.
///
/// **Input destruction.** The forward (r2c) transform leaves its input intact. The inverse (c2r) transform
/// overwrites its complex input with scratch values: FFTW cannot preserve the input of a multi-dimensional c2r
/// transform, and SolverKit does not ask it to in 1-D either. Copy the spectrum first if you still need it.
///
/// **Buffers.** The plan owns ``real`` and ``spectrum``; ``forward()`` and ``inverse()`` transform between them.
/// The `forward(_:into:)` family transforms other buffers of the same shape (FFTW's new-array execute). Planning
/// with any rigor other than `.estimate` runs trial transforms on ``real`` and ``spectrum``; they are zeroed after
/// planning, so a new plan always holds zeros.
///
/// **Threads.** Plan creation and destruction take ``FFTPlanner``'s process-wide lock, so plans can be created on
/// any number of threads at once. Executing is lock-free. A plan is not `Sendable` because its bound buffers are
/// shared mutable state: create one plan per task (FFTW reuses the planning work across plans of equal shape).
public final class RealFFTPlan<Scalar: FFTScalar> {
    /// Extents of the real array, slowest axis first.
    public let shape: [Int]
    /// Extents of the spectrum: `shape` with the last extent replaced by `last / 2 + 1`.
    public let spectrumShape: [Int]
    /// The planning rigor the plan was created with.
    public let rigor: FFTPlanningRigor
    /// The real (physical-space) array: input of ``forward()``, output of ``inverse()``.
    public let real: AlignedBuffer<Scalar>
    /// The half spectrum: output of ``forward()``, input (destroyed) of ``inverse()``.
    public let spectrum: AlignedBuffer<Complex<Scalar>>
    /// `1 / N`, the factor that makes `inverse` the exact inverse of `forward`.
    public let normalization: Scalar

    private let forwardPlan: OpaquePointer
    private let inversePlan: OpaquePointer
    /// `fftw_alignment_of` the planned buffers (0: FFTW's SIMD boundary); new-array execution must match it.
    private let realAlignment: Int32
    private let spectrumAlignment: Int32

    /// Creates forward and inverse plans for real arrays of `shape`.
    ///
    /// - Parameters:
    ///   - shape: extents, slowest axis first, e.g. `[256, 256]`; each in `1...Int32.max`.
    ///   - rigor: planner effort; `.measure` (the default) is right for solvers, `.estimate` for tests.
    /// - Throws: ``FFTError/invalidShape(_:reason:)`` for an empty or non-positive shape,
    ///   ``FFTError/planningFailed(_:transform:rigor:)`` if FFTW returns no plan.
    public init(shape: [Int], rigor: FFTPlanningRigor = .measure) throws(FFTError) {
        let extents = try Self.validatedExtents(shape)
        var spectral = shape
        spectral[spectral.count - 1] = shape[shape.count - 1] / 2 + 1
        let realCount = shape.reduce(1, *)
        self.shape = shape
        self.spectrumShape = spectral
        self.rigor = rigor
        self.real = AlignedBuffer(count: realCount)
        self.spectrum = AlignedBuffer(count: spectral.reduce(1, *))
        self.normalization = 1 / Scalar(realCount)

        let realBase = real.base, spectrumBase = spectrum.base
        let rank = Int32(extents.count)
        let flags = rigor.fftwFlags
        let plans: (OpaquePointer?, OpaquePointer?) = FFTPlanner.withLock {
            extents.withUnsafeBufferPointer { dims in
                // `extents` is non-empty (validated), so the base address exists.
                let n = dims.baseAddress!
                return (Scalar._fftwPlanR2C(rank: rank, extents: n, realBase, spectrumBase, flags: flags),
                        Scalar._fftwPlanC2R(rank: rank, extents: n, spectrumBase, realBase, flags: flags))
            }
        }
        guard let r2c = plans.0, let c2r = plans.1 else {
            FFTPlanner.withLock {
                if let p = plans.0 { Scalar._fftwDestroy(p) }
                if let p = plans.1 { Scalar._fftwDestroy(p) }
            }
            throw .planningFailed(shape, transform: plans.0 == nil ? "r2c" : "c2r", rigor: rigor)
        }
        self.forwardPlan = r2c
        self.inversePlan = c2r
        self.realAlignment = Scalar._fftwAlignment(of: UnsafeMutableRawPointer(realBase))
        self.spectrumAlignment = Scalar._fftwAlignment(of: UnsafeMutableRawPointer(spectrumBase))
        // Measuring planners scribble on the buffers.
        real.fill(with: .zero)
        spectrum.fill(with: .zero)
    }

    /// Creates plans for the shape given as extents, e.g. `RealFFTPlan<Double>(256, 256)`.
    public convenience init(_ extents: Int..., rigor: FFTPlanningRigor = .measure) throws(FFTError) {
        try self.init(shape: extents, rigor: rigor)
    }

    deinit {
        let forward = forwardPlan, inverse = inversePlan
        FFTPlanner.withLock {
            Scalar._fftwDestroy(forward)
            Scalar._fftwDestroy(inverse)
        }
    }

    /// `N`, the number of real values (product of ``shape``).
    public var realCount: Int { real.count }
    /// The number of complex values in the half spectrum (product of ``spectrumShape``).
    public var spectrumCount: Int { spectrum.count }

    // MARK: Bound buffers

    /// ``real`` -> ``spectrum``, unnormalised. ``real`` is left intact.
    public func forward() {
        Scalar._fftwExecuteR2C(forwardPlan, real.base, spectrum.base)
    }

    /// ``spectrum`` -> ``real``, unnormalised (the result is `N` times the original real array).
    /// ``spectrum`` is overwritten.
    public func inverse() {
        Scalar._fftwExecuteC2R(inversePlan, spectrum.base, real.base)
    }

    /// ``spectrum`` -> ``real`` divided by `N`, so that `forward()` then `normalizedInverse()` returns the input
    /// up to rounding (about `1e-15 * log2(N)` relative in double, `1e-7 * log2(N)` in single precision).
    /// ``spectrum`` is overwritten.
    public func normalizedInverse() {
        inverse()
        Scalar._scale(real.base, count: real.count, by: normalization)
    }

    // MARK: Other buffers of the same shape

    /// `input` -> `output`, unnormalised; `input` is left intact.
    ///
    /// - Precondition: `input.count == realCount`, `output.count == spectrumCount`.
    public func forward(_ input: AlignedBuffer<Scalar>, into output: AlignedBuffer<Complex<Scalar>>) {
        precondition(input.count == realCount, "forward input has \(input.count) values, plan expects \(realCount)")
        precondition(output.count == spectrumCount,
                     "forward output has \(output.count) values, plan expects \(spectrumCount)")
        forward(unsafeInput: input.base, output: output.base)
    }

    /// `input` -> `output`, unnormalised; `input` is overwritten.
    ///
    /// - Precondition: `input.count == spectrumCount`, `output.count == realCount`.
    public func inverse(_ input: AlignedBuffer<Complex<Scalar>>, into output: AlignedBuffer<Scalar>) {
        precondition(input.count == spectrumCount,
                     "inverse input has \(input.count) values, plan expects \(spectrumCount)")
        precondition(output.count == realCount, "inverse output has \(output.count) values, plan expects \(realCount)")
        inverse(unsafeInput: input.base, output: output.base)
    }

    /// `input` -> `output` divided by `N`; `input` is overwritten.
    public func normalizedInverse(_ input: AlignedBuffer<Complex<Scalar>>, into output: AlignedBuffer<Scalar>) {
        inverse(input, into: output)
        Scalar._scale(output.base, count: output.count, by: normalization)
    }

    /// Forward transform between raw pointers, e.g. into slices of a larger buffer holding several fields.
    ///
    /// - Precondition: `input` points to ``realCount`` values and `output` to ``spectrumCount`` values that do
    ///   not overlap, and both have the same `fftw_alignment_of` as the plan's own buffers (an offset that is a
    ///   multiple of 16 bytes from `fftw_malloc` storage keeps it). Violations stop the process.
    public func forward(
        unsafeInput input: UnsafeMutablePointer<Scalar>, output: UnsafeMutablePointer<Complex<Scalar>>
    ) {
        checkNewArrays(real: input, spectrum: output)
        Scalar._fftwExecuteR2C(forwardPlan, input, output)
    }

    /// Inverse transform between raw pointers, unnormalised; `input` is overwritten. Same preconditions as
    /// ``forward(unsafeInput:output:)``.
    public func inverse(
        unsafeInput input: UnsafeMutablePointer<Complex<Scalar>>, output: UnsafeMutablePointer<Scalar>
    ) {
        checkNewArrays(real: output, spectrum: input)
        Scalar._fftwExecuteC2R(inversePlan, input, output)
    }

    private func checkNewArrays(
        real r: UnsafeMutablePointer<Scalar>, spectrum s: UnsafeMutablePointer<Complex<Scalar>>
    ) {
        let rawReal = UnsafeMutableRawPointer(r), rawSpectrum = UnsafeMutableRawPointer(s)
        precondition(Scalar._fftwAlignment(of: rawReal) == realAlignment,
                     "real array at \(rawReal) is not SIMD-aligned like the plan's (fftw_alignment_of differs)")
        precondition(Scalar._fftwAlignment(of: rawSpectrum) == spectrumAlignment,
                     "spectrum array at \(rawSpectrum) is not SIMD-aligned like the plan's (fftw_alignment_of differs)")
        let realBytes = realCount * MemoryLayout<Scalar>.stride
        let spectrumBytes = spectrumCount * MemoryLayout<Complex<Scalar>>.stride
        precondition(rawReal + realBytes <= rawSpectrum || rawSpectrum + spectrumBytes <= rawReal,
                     "real and spectrum arrays overlap; the plan is out-of-place")
    }

    private static func validatedExtents(_ shape: [Int]) throws(FFTError) -> [Int32] {
        guard !shape.isEmpty else { throw .invalidShape(shape, reason: "the shape is empty") }
        var total = 1
        for (axis, n) in shape.enumerated() {
            guard n >= 1, n <= Int(Int32.max) else {
                throw .invalidShape(shape, reason: "extent \(n) on axis \(axis) is out of range")
            }
            let (product, overflow) = total.multipliedReportingOverflow(by: n)
            guard !overflow else { throw .invalidShape(shape, reason: "the element count overflows Int") }
            total = product
        }
        return shape.map { Int32($0) }
    }
}

extension RealFFTPlan: CustomStringConvertible {
    public var description: String {
        "RealFFTPlan<\(Scalar.self)>(shape: \(shape), spectrum: \(spectrumShape), rigor: \(rigor))"
    }
}
