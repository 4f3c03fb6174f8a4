/// Argument checks shared by the ``BLAS`` wrappers.
extension BLAS {
    /// `value` as a BLAS integer; stops the process when it does not fit (a 2^31 dimension is a programmer error).
    @inline(__always)
    static func int32(_ value: Int) -> Int32 {
        guard let v = Int32(exactly: value) else { preconditionFailure("\(value) does not fit in a BLAS Int32") }
        return v
    }

    /// Checks a row-major `rows x columns` operand with leading dimension `ld` against its element count.
    static func checkMatrix(_ routine: String, _ name: String, rows: Int, columns: Int, ld: Int, count: Int) {
        precondition(ld >= max(1, columns),
                     "\(routine): ld\(name.lowercased())=\(ld) is below the \(columns) columns of \(name)")
        let needed = rows == 0 || columns == 0 ? 0 : (rows - 1) * ld + columns
        precondition(count >= needed,
                     "\(routine): \(name) (\(rows)x\(columns), ld \(ld)) needs \(needed) elements, has \(count)")
    }

    /// Checks a vector of `length` elements `stride` apart against its element count.
    static func checkVector(_ routine: String, _ name: String, length: Int, stride: Int, count: Int) {
        precondition(length >= 0, "\(routine): length \(length) of \(name) is negative")
        precondition(stride >= 1, "\(routine): stride \(stride) of \(name) must be positive")
        let needed = length == 0 ? 0 : (length - 1) * stride + 1
        precondition(count >= needed,
                     "\(routine): \(name) needs \(needed) elements (\(length) at stride \(stride)), has \(count)")
    }
}
