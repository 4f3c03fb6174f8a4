/// Storage access shared by the BLAS and LAPACK wrappers: they accept any contiguous collection
/// (`Array`, `ArraySlice`, `AlignedBuffer`, buffer pointers) and hand its base address to C.

/// Calls `body` with the base address of `operand`'s contiguous storage; stops the process for a collection
/// without contiguous storage (a programmer error).
///
/// An empty operand may have no address. The callers only reach C with lengths that make the library read
/// nothing from such an operand, so a non-null, aligned, never-dereferenced placeholder is passed instead.
@inline(__always)
func withContiguousOperand<C: Collection, R>(
    _ operand: C, _ what: @autoclosure () -> String, _ body: (UnsafePointer<C.Element>) -> R
) -> R {
    let result = operand.withContiguousStorageIfAvailable { buffer in
        body(buffer.baseAddress ?? UnsafePointer(placeholderAddress()))
    }
    guard let result else { preconditionFailure("\(what()): the operand has no contiguous storage") }
    return result
}

/// Calls `body` with the base address of `operand`'s contiguous mutable storage (see `withContiguousOperand`).
@inline(__always)
func withContiguousMutableOperand<C: MutableCollection, R>(
    _ operand: inout C, _ what: @autoclosure () -> String, _ body: (UnsafeMutablePointer<C.Element>) -> R
) -> R {
    let result = operand.withContiguousMutableStorageIfAvailable { buffer in
        body(buffer.baseAddress ?? placeholderAddress())
    }
    guard let result else { preconditionFailure("\(what()): the operand has no contiguous mutable storage") }
    return result
}

/// A non-null, suitably aligned address standing in for an empty operand; never dereferenced.
@inline(__always)
private func placeholderAddress<T>() -> UnsafeMutablePointer<T> {
    UnsafeMutablePointer(bitPattern: MemoryLayout<T>.alignment)!
}
