import CFFTW

/// Differentiation in `y` of many columns sampled at the Chebyshev-Gauss-Lobatto points, through FFTW's DCT-I
/// (`REDFT00`) and the coefficient recurrence, in `O(n log n)` per column instead of the `O(n^2)` of the
/// collocation matrix.
///
/// **Layout.** A field is `(n + 1) x columns` row-major: row `j` holds every column's value at `y_j = cos(pi j / n)`
/// (``Chebyshev/points(_:)``), so a stack of 2-D spectra `[y][kz][kx]` of complex values is a field with
/// `columns = 2 * nz * (nx/2 + 1)`. One FFTW plan transforms all columns (`howmany = columns`, stride `columns`).
///
/// **Method.** `Y = DCT-I(f)` gives the Chebyshev coefficients `a_k = Y_k / (n c_k)` (`c_0 = c_n = 2`, else 1).
/// The derivative's coefficients follow from `c_{k-1} b_{k-1} = b_{k+1} + 2 k a_k` (`b_n = b_{n+1} = 0`), and
/// `f' = DCT-I(c b) / 2`. The result equals the collocation derivative `D f` to rounding (about `n^2 ulp |f|`).
///
/// Not `Sendable`: the plan's scratch rows are shared state. Plan creation takes ``FFTPlanner``'s lock.
public final class ChebyshevDerivative {
    /// Intervals: the grid has `n + 1` points.
    public let n: Int
    /// Independent columns per row.
    public let columns: Int
    /// Distance between rows in values (``columns`` unless the plan covers a block of a wider field).
    public let rowStride: Int
    private let plan: OpaquePointer
    private let alignment: Int32
    private let scratch: AlignedBuffer<Double>

    /// Plans the DCT-I of `columns` interleaved columns of `n + 1` points.
    ///
    /// - Parameter rowStride: distance between rows (default `columns`); a larger stride plans a block of
    ///   `columns` adjacent columns of a wider field, so that several threads can each take a block. A block that
    ///   starts at an offset must keep the field's alignment (an offset that is a multiple of 8 values does).
    /// - Throws: ``FFTError/planningFailed(_:transform:rigor:)`` if FFTW returns no plan,
    ///   ``FFTError/invalidShape(_:reason:)`` for `n < 2` or `columns < 1`.
    public init(intervals n: Int, columns: Int, rowStride: Int? = nil,
                rigor: FFTPlanningRigor = .measure) throws(FFTError) {
        let stride = rowStride ?? columns
        guard n >= 2, columns >= 1, stride >= columns, (n + 1) * stride <= Int(Int32.max) else {
            throw .invalidShape([n + 1, columns], reason: "a Chebyshev derivative needs n >= 2 intervals and >= 1 column")
        }
        self.n = n
        self.columns = columns
        self.rowStride = stride
        let probe = AlignedBuffer<Double>(count: (n + 1) * stride)
        scratch = AlignedBuffer(count: 3 * columns)
        let flags = rigor.fftwFlags
        let made: OpaquePointer? = FFTPlanner.withLock {
            var length = Int32(n + 1)
            var kind = FFTW_REDFT00
            return fftw_plan_many_r2r(1, &length, Int32(columns), probe.base, nil, Int32(stride), 1,
                                      probe.base, nil, Int32(stride), 1, &kind, flags)
        }
        guard let made else { throw .planningFailed([n + 1, columns], transform: "REDFT00", rigor: rigor) }
        plan = made
        alignment = fftw_alignment_of(probe.base)
    }

    deinit {
        let p = plan
        FFTPlanner.withLock { fftw_destroy_plan(p) }
    }

    /// `output = d input / dy` at the Gauss-Lobatto points, column by column. `input` is left intact; `output` may
    /// be the same buffer as `input`.
    ///
    /// - Precondition: both hold `(n + 1) * columns` values from `fftw_malloc` (any ``AlignedBuffer``).
    public func differentiate(_ input: AlignedBuffer<Double>, into output: AlignedBuffer<Double>) {
        let count = (n + 1) * rowStride
        precondition(input.count == count && output.count == count,
                     "ChebyshevDerivative expects \(count) values, got \(input.count) and \(output.count)")
        precondition(fftw_alignment_of(output.base) == alignment, "output is not SIMD-aligned like the plan's buffer")
        if input.base != output.base { output.base.update(from: input.base, count: count) }
        differentiateInPlace(output.base)
    }

    /// In-place derivative of the `(n + 1) x columns` values at `data` (rows ``rowStride`` apart; aligned like an
    /// ``AlignedBuffer``).
    public func differentiateInPlace(_ data: UnsafeMutablePointer<Double>) {
        let m = columns, stride = rowStride
        fftw_execute_r2r(plan, data, data)
        // Recurrence, rows from k = n down to 1, keeping e_{k+1}, e_k in scratch rows (e = c b / 2):
        // e_{k-1} = e_{k+1} + k Y_k / n (with Y_n halved); row k receives e_k once Y_k is consumed.
        // The three scratch rows rotate instead of being copied.
        var ekp1 = scratch.base, ek = scratch.base + m, next = scratch.base + 2 * m
        ekp1.update(repeating: 0, count: m)
        ek.update(repeating: 0, count: m)
        let inverseN = 1 / Double(n)
        for k in Swift.stride(from: n, through: 1, by: -1) {
            let row = data + k * stride
            let factor = Double(k) * inverseN * (k == n ? 0.5 : 1)
            for c in 0..<m {
                next[c] = ekp1[c] + factor * row[c]
                row[c] = ek[c]
            }
            (ekp1, ek, next) = (ek, next, ekp1)
        }
        data.update(from: ek, count: m)
        fftw_execute_r2r(plan, data, data)
    }
}
