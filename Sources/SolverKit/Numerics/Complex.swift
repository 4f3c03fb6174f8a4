/// A complex number stored as two adjacent reals, real part first.
///
/// Layout: `Complex<Double>` is 16 bytes with stride 16 and alignment 8, exactly like C99 `double _Complex`,
/// FFTW's `fftw_complex` (`double[2]`) and LAPACKE's `lapack_complex_double`; `Complex<Float>` likewise matches
/// `fftwf_complex`. SolverKit passes buffers of `Complex` straight to FFTW and LAPACK without copying, so the two
/// stored properties must stay the only ones, in this order (a test checks the layout).
///
/// Arithmetic is the textbook formulas with no scaling against overflow: `/` computes
/// `(a * conj(b)) / |b|^2` and overflows when `|b|^2` does (|b| > ~1e154 for Double). It is meant for spectral
/// coefficients and eigenvalues, not as a general complex library.
@frozen
public struct Complex<Real: BinaryFloatingPoint & BitwiseCopyable & Sendable>: Hashable, Sendable, BitwiseCopyable {
    /// Real part.
    public var re: Real
    /// Imaginary part.
    public var im: Real

    /// The complex number `re + i im`.
    @inlinable
    public init(_ re: Real, _ im: Real = 0) {
        self.re = re
        self.im = im
    }

    /// The imaginary unit.
    @inlinable
    public static var i: Complex { Complex(0, 1) }

    /// The complex conjugate `re - i im`.
    @inlinable
    public var conjugate: Complex { Complex(re, -im) }

    /// The squared modulus `re^2 + im^2` (no overflow protection).
    @inlinable
    public var lengthSquared: Real { re * re + im * im }

    /// The modulus `|z|`, computed without intermediate overflow.
    @inlinable
    public var length: Real {
        let a = abs(re), b = abs(im)
        let big = max(a, b), small = min(a, b)
        if big == 0 || !big.isFinite { return big }
        let r = small / big
        return big * (1 + r * r).squareRoot()
    }
}

/// Double-precision complex, the element of `r2c` spectra for `RealFFTPlan<Double>` and of `LAPACK.zggev`.
public typealias ComplexDouble = Complex<Double>
/// Single-precision complex, the element of `r2c` spectra for `RealFFTPlan<Float>`.
public typealias ComplexFloat = Complex<Float>

extension Complex: AdditiveArithmetic {
    /// `0 + 0i`.
    @inlinable
    public static var zero: Complex { Complex(0, 0) }

    /// Componentwise sum.
    @inlinable
    public static func + (lhs: Complex, rhs: Complex) -> Complex { Complex(lhs.re + rhs.re, lhs.im + rhs.im) }

    /// Componentwise difference.
    @inlinable
    public static func - (lhs: Complex, rhs: Complex) -> Complex { Complex(lhs.re - rhs.re, lhs.im - rhs.im) }
}

extension Complex {
    /// Negation of both parts.
    @inlinable
    public static prefix func - (z: Complex) -> Complex { Complex(-z.re, -z.im) }

    /// Product `(a + bi)(c + di) = (ac - bd) + (ad + bc)i`.
    @inlinable
    public static func * (lhs: Complex, rhs: Complex) -> Complex {
        Complex(lhs.re * rhs.re - lhs.im * rhs.im, lhs.re * rhs.im + lhs.im * rhs.re)
    }

    /// Scaling by a real.
    @inlinable
    public static func * (lhs: Real, rhs: Complex) -> Complex { Complex(lhs * rhs.re, lhs * rhs.im) }

    /// Scaling by a real.
    @inlinable
    public static func * (lhs: Complex, rhs: Real) -> Complex { Complex(lhs.re * rhs, lhs.im * rhs) }

    /// Textbook division `lhs * conj(rhs) / |rhs|^2`; division by zero gives non-finite parts.
    @inlinable
    public static func / (lhs: Complex, rhs: Complex) -> Complex {
        let d = rhs.lengthSquared
        let n = lhs * rhs.conjugate
        return Complex(n.re / d, n.im / d)
    }

    /// In-place forms of `+`, `-` and `*`.
    @inlinable
    public static func += (lhs: inout Complex, rhs: Complex) { lhs = lhs + rhs }

    @inlinable
    public static func -= (lhs: inout Complex, rhs: Complex) { lhs = lhs - rhs }

    @inlinable
    public static func *= (lhs: inout Complex, rhs: Complex) { lhs = lhs * rhs }

    @inlinable
    public static func *= (lhs: inout Complex, rhs: Real) { lhs = lhs * rhs }
}

extension Complex: CustomStringConvertible {
    /// `"re + imi"`, e.g. `"3.0 - 4.0i"`.
    public var description: String { im.sign == .minus ? "\(re) - \(-im)i" : "\(re) + \(im)i" }
}
