import CFFTW

/// A real type FFTW can transform: `Double` (libfftw3) or `Float` (libfftw3f).
///
/// The underscored requirements are SolverKit's bridge to the C library; do not call them or conform other
/// types. Generic solver code writes `RealFFTPlan<Scalar>` with `Scalar: FFTScalar`.
public protocol FFTScalar: BinaryFloatingPoint, BitwiseCopyable, Sendable {
    /// `fftw_plan_dft_r2c` for this precision. Call only under `FFTPlanner.withLock`.
    static func _fftwPlanR2C(
        rank: Int32, extents: UnsafePointer<Int32>,
        _ input: UnsafeMutablePointer<Self>, _ output: UnsafeMutablePointer<Complex<Self>>, flags: UInt32
    ) -> OpaquePointer?
    /// `fftw_plan_dft_c2r` for this precision. Call only under `FFTPlanner.withLock`.
    static func _fftwPlanC2R(
        rank: Int32, extents: UnsafePointer<Int32>,
        _ input: UnsafeMutablePointer<Complex<Self>>, _ output: UnsafeMutablePointer<Self>, flags: UInt32
    ) -> OpaquePointer?
    /// `fftw_execute_dft_r2c` (thread-safe).
    static func _fftwExecuteR2C(
        _ plan: OpaquePointer, _ input: UnsafeMutablePointer<Self>, _ output: UnsafeMutablePointer<Complex<Self>>)
    /// `fftw_execute_dft_c2r` (thread-safe).
    static func _fftwExecuteC2R(
        _ plan: OpaquePointer, _ input: UnsafeMutablePointer<Complex<Self>>, _ output: UnsafeMutablePointer<Self>)
    /// `fftw_destroy_plan`. Call only under `FFTPlanner.withLock`.
    static func _fftwDestroy(_ plan: OpaquePointer)
    /// `fftw_alignment_of`: the byte offset of `pointer` from FFTW's SIMD alignment (0 when aligned).
    static func _fftwAlignment(of pointer: UnsafeMutableRawPointer) -> Int32
    /// Multiplies `count` values at `pointer` by `factor` (specialised loop; generic code would not vectorise).
    static func _scale(_ pointer: UnsafeMutablePointer<Self>, count: Int, by factor: Self)
}

@inline(__always)
private func fftwComplex(_ p: UnsafeMutablePointer<Complex<Double>>) -> UnsafeMutablePointer<fftw_complex> {
    // Complex<Double> and fftw_complex (double[2]) have the same layout; the pointer is only handed to C.
    UnsafeMutablePointer(OpaquePointer(p))
}

extension Double: FFTScalar {
    public static func _fftwPlanR2C(
        rank: Int32, extents: UnsafePointer<Int32>,
        _ input: UnsafeMutablePointer<Double>, _ output: UnsafeMutablePointer<Complex<Double>>, flags: UInt32
    ) -> OpaquePointer? {
        fftw_plan_dft_r2c(rank, extents, input, fftwComplex(output), flags)
    }

    public static func _fftwPlanC2R(
        rank: Int32, extents: UnsafePointer<Int32>,
        _ input: UnsafeMutablePointer<Complex<Double>>, _ output: UnsafeMutablePointer<Double>, flags: UInt32
    ) -> OpaquePointer? {
        fftw_plan_dft_c2r(rank, extents, fftwComplex(input), output, flags)
    }

    public static func _fftwExecuteR2C(
        _ plan: OpaquePointer, _ input: UnsafeMutablePointer<Double>,
        _ output: UnsafeMutablePointer<Complex<Double>>
    ) {
        fftw_execute_dft_r2c(plan, input, fftwComplex(output))
    }

    public static func _fftwExecuteC2R(
        _ plan: OpaquePointer, _ input: UnsafeMutablePointer<Complex<Double>>,
        _ output: UnsafeMutablePointer<Double>
    ) {
        fftw_execute_dft_c2r(plan, fftwComplex(input), output)
    }

    public static func _fftwDestroy(_ plan: OpaquePointer) {
        fftw_destroy_plan(plan)
    }

    public static func _fftwAlignment(of pointer: UnsafeMutableRawPointer) -> Int32 {
        fftw_alignment_of(pointer.assumingMemoryBound(to: Double.self))
    }

    public static func _scale(_ pointer: UnsafeMutablePointer<Double>, count: Int, by factor: Double) {
        for i in 0..<count { pointer[i] *= factor }
    }
}
