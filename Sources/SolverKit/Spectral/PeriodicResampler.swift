/// Turns a field given by its half spectrum on a fine periodic grid into point values on a coarser grid of the
/// same box: how solvers that run at 256^2 publish 64^2 snapshots.
///
/// - ``Method/subsample``: the fine field's values at every `n/m`-th point (pointwise injection; `m` must divide
///   `n` on every axis). Exact point values of the fine solution; modes above the coarse Nyquist alias.
/// - ``Method/spectral``: the Fourier series truncated to `|k_a| < m_a / 2` (the coarse grid's Nyquist modes
///   dropped), evaluated on the coarse grid: the best approximation in L2 by coarse-grid modes, no aliasing.
///
/// Spectra follow ``RealFFTPlan``'s unnormalised convention: the fine spectrum `X` of `N` points stands for
/// `u(x) = (1/N) sum_k X_k exp(i kappa.x)`. Equal shapes give the field itself for either method (to rounding).
public final class PeriodicResampler {
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        case subsample
        case spectral
    }

    public let fineShape: [Int]
    public let coarseShape: [Int]
    public let method: Method
    private let finePlan: RealFFTPlan<Double>
    private let coarsePlan: RealFFTPlan<Double>?
    private let scratch: AlignedBuffer<Complex<Double>>
    private let fineField: AlignedBuffer<Double>
    /// Spectral method: for each coarse half-spectrum index, the fine index it copies, or -1 for a dropped mode.
    private let sourceIndex: [Int]

    /// - Parameter finePlan: a plan of the fine shape (its buffers are used as scratch).
    /// - Throws: ``ResamplingError`` when the ranks differ, a coarse extent is larger than the fine one, or (for
    ///   subsampling) does not divide it; ``FFTError`` if the coarse plan cannot be made.
    public init(finePlan: RealFFTPlan<Double>, coarseShape: [Int], method: Method,
                rigor: FFTPlanningRigor = .estimate) throws {
        let fine = finePlan.shape
        guard coarseShape.count == fine.count else { throw ResamplingError.rank(fine: fine, coarse: coarseShape) }
        for axis in fine.indices {
            let n = fine[axis], m = coarseShape[axis]
            guard m >= 1, m <= n else { throw ResamplingError.extent(fine: fine, coarse: coarseShape, axis: axis) }
            if method == .subsample, n % m != 0 {
                throw ResamplingError.divisor(fine: fine, coarse: coarseShape, axis: axis)
            }
        }
        self.fineShape = fine
        self.coarseShape = coarseShape
        self.method = method
        self.finePlan = finePlan
        scratch = AlignedBuffer(count: finePlan.spectrumCount)
        fineField = AlignedBuffer(count: method == .subsample ? finePlan.realCount : 0)
        if method == .spectral {
            let coarse = try RealFFTPlan<Double>(shape: coarseShape, rigor: rigor)
            coarsePlan = coarse
            sourceIndex = Self.spectralMap(fine: fine, fineSpectrum: finePlan.spectrumShape, coarse: coarseShape,
                                           coarseSpectrum: coarse.spectrumShape, coarsePlan: coarse)
        } else {
            coarsePlan = nil
            sourceIndex = []
        }
    }

    /// Coarse point count.
    public var coarseCount: Int { coarseShape.reduce(1, *) }

    /// Writes the coarse-grid values of the field whose fine half spectrum is `spectrum` (left intact) into
    /// `output` (``coarseCount`` values).
    public func resample(spectrum: AlignedBuffer<Complex<Double>>, into output: UnsafeMutableBufferPointer<Double>) {
        precondition(spectrum.count == finePlan.spectrumCount, "spectrum has \(spectrum.count) values, expected \(finePlan.spectrumCount)")
        precondition(output.count == coarseCount, "output has \(output.count) values, expected \(coarseCount)")
        switch method {
        case .subsample:
            scratch.assign(spectrum)
            finePlan.normalizedInverse(scratch, into: fineField)
            subsample(fineField, into: output)
        case .spectral:
            guard let coarse = coarsePlan else { return }
            let ratio = Double(coarseCount) / Double(finePlan.realCount)
            let target = coarse.spectrum
            for (i, source) in sourceIndex.enumerated() {
                target[i] = source >= 0 ? spectrum[source] * ratio : .zero
            }
            coarse.normalizedInverse()
            coarse.real.withUnsafeBufferPointer { values in
                _ = output.update(fromContentsOf: values)
            }
        }
    }

    private func subsample(_ field: AlignedBuffer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
        let rank = fineShape.count
        let steps = (0..<rank).map { fineShape[$0] / coarseShape[$0] }
        var fineStrides = Array(repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { fineStrides[axis] = fineStrides[axis + 1] * fineShape[axis + 1] }
        for index in 0..<coarseCount {
            var rest = index, source = 0
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                let i = rest % coarseShape[axis]
                rest /= coarseShape[axis]
                source += i * steps[axis] * fineStrides[axis]
            }
            output[index] = field[source]
        }
    }

    private static func spectralMap(fine: [Int], fineSpectrum: [Int], coarse: [Int], coarseSpectrum: [Int],
                                    coarsePlan: RealFFTPlan<Double>) -> [Int] {
        let rank = fine.count
        var fineStrides = Array(repeating: 1, count: rank)
        var coarseStrides = Array(repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) {
            fineStrides[axis] = fineStrides[axis + 1] * fineSpectrum[axis + 1]
            coarseStrides[axis] = coarseStrides[axis + 1] * coarseSpectrum[axis + 1]
        }
        let coarseWavenumbers = (0..<rank).map { coarsePlan.wavenumbers(axis: $0) }
        let count = coarseSpectrum.reduce(1, *)
        return (0..<count).map { index in
            var source = 0
            for axis in 0..<rank {
                let k = coarseWavenumbers[axis][(index / coarseStrides[axis]) % coarseSpectrum[axis]]
                // Keep |k| < m/2: a coarser grid's Nyquist mode (k = -m/2 or m/2) is dropped.
                if coarse[axis] < fine[axis], coarse[axis] % 2 == 0, abs(k) == coarse[axis] / 2 { return -1 }
                let fineIndex = k >= 0 ? k : fine[axis] + k
                source += fineIndex * fineStrides[axis]
            }
            return source
        }
    }
}

/// A resampling request that cannot be met.
public struct ResamplingError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case rank, extent, divisor }
    private let code: Code
    public let description: String
    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func rank(fine: [Int], coarse: [Int]) -> ResamplingError {
        ResamplingError(.rank, "cannot resample a \(fine.count)-D grid \(fine) to the \(coarse.count)-D shape \(coarse)")
    }

    static func extent(fine: [Int], coarse: [Int], axis: Int) -> ResamplingError {
        ResamplingError(.extent, "output shape \(coarse) must not exceed the simulation grid \(fine) (axis \(axis))")
    }

    static func divisor(fine: [Int], coarse: [Int], axis: Int) -> ResamplingError {
        ResamplingError(.divisor, "subsampling \(fine) to \(coarse) needs \(coarse[axis]) to divide \(fine[axis]) on axis \(axis); use the spectral method instead")
    }
}
