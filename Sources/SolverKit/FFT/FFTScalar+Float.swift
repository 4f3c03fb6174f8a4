import CFFTW

@inline(__always)
private func fftwfComplex(_ p: UnsafeMutablePointer<Complex<Float>>) -> UnsafeMutablePointer<fftwf_complex> {
    // Complex<Float> and fftwf_complex (float[2]) have the same layout; the pointer is only handed to C.
    UnsafeMutablePointer(OpaquePointer(p))
}

/// Single precision through libfftw3f (`fftwf_` functions).
extension Float: FFTScalar {
    public static func _fftwPlanR2C(
        rank: Int32, extents: UnsafePointer<Int32>,
        _ input: UnsafeMutablePointer<Float>, _ output: UnsafeMutablePointer<Complex<Float>>, flags: UInt32
    ) -> OpaquePointer? {
        fftwf_plan_dft_r2c(rank, extents, input, fftwfComplex(output), flags)
    }

    public static func _fftwPlanC2R(
        rank: Int32, extents: UnsafePointer<Int32>,
        _ input: UnsafeMutablePointer<Complex<Float>>, _ output: UnsafeMutablePointer<Float>, flags: UInt32
    ) -> OpaquePointer? {
        fftwf_plan_dft_c2r(rank, extents, fftwfComplex(input), output, flags)
    }

    public static func _fftwExecuteR2C(
        _ plan: OpaquePointer, _ input: UnsafeMutablePointer<Float>,
        _ output: UnsafeMutablePointer<Complex<Float>>
    ) {
        fftwf_execute_dft_r2c(plan, input, fftwfComplex(output))
    }

    public static func _fftwExecuteC2R(
        _ plan: OpaquePointer, _ input: UnsafeMutablePointer<Complex<Float>>,
        _ output: UnsafeMutablePointer<Float>
    ) {
        fftwf_execute_dft_c2r(plan, fftwfComplex(input), output)
    }

    public static func _fftwDestroy(_ plan: OpaquePointer) {
        fftwf_destroy_plan(plan)
    }

    public static func _fftwAlignment(of pointer: UnsafeMutableRawPointer) -> Int32 {
        fftwf_alignment_of(pointer.assumingMemoryBound(to: Float.self))
    }

    public static func _scale(_ pointer: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        for i in 0..<count { pointer[i] *= factor }
    }
}
