import CFFTW

/// A fixed-size, heap-allocated array whose storage comes from `fftw_malloc`, so it meets FFTW's SIMD
/// alignment (16 bytes for SSE2, 32 for AVX, 64 for AVX-512 builds) and FFTW takes its vectorised code paths.
///
/// Solver fields that go through FFTs live in these: `AlignedBuffer<Double>` / `AlignedBuffer<Float>` for
/// real (physical-space) data, `AlignedBuffer<Complex<Double>>` / `AlignedBuffer<Complex<Float>>` for spectra.
/// Complex data is stored as `Complex` values (real part, then imaginary part), which is the same memory as
/// FFTW's interleaved `fftw_complex`.
///
/// Multi-dimensional data is stored row-major (C order): element `(i0, i1, i2)` of a `[n0, n1, n2]` array is at
/// `(i0 * n1 + i1) * n2 + i2`.
///
/// This is a reference type: assigning it shares the storage (no copy-on-write); use ``copy()`` to duplicate.
/// The storage is released with `fftw_free` in `deinit`. It is not `Sendable`: hand it to one task at a time.
///
/// `fftw_malloc` and `fftw_free` are called without the planner lock: in FFTW 3.3 release builds they are
/// plain wrappers over `posix_memalign` / `free` (kernel/kalloc.c) and touch no planner state.
public final class AlignedBuffer<Element: BitwiseCopyable> {
    /// Number of elements.
    public let count: Int
    @usableFromInline let base: UnsafeMutablePointer<Element>

    /// A buffer of `count` copies of `value`.
    ///
    /// - Precondition: `count >= 0`. A failed allocation stops the process, as Swift's own arrays do.
    public convenience init(repeating value: Element, count: Int) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    /// A buffer holding a copy of `elements`.
    public convenience init(_ elements: some Collection<Element>) {
        self.init(uninitializedCount: elements.count)
        _ = UnsafeMutableBufferPointer(start: base, count: count).initialize(fromContentsOf: elements)
    }

    /// Storage for `count` elements, left uninitialized; every initializer fills it before returning.
    private init(uninitializedCount count: Int) {
        precondition(count >= 0, "AlignedBuffer count must be non-negative, got \(count)")
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        precondition(!overflow, "AlignedBuffer of \(count) \(Element.self) overflows the address space")
        guard let raw = fftw_malloc(Swift.max(1, bytes)) else {
            fatalError("fftw_malloc failed to allocate \(bytes) bytes")
        }
        self.count = count
        self.base = raw.bindMemory(to: Element.self, capacity: count)
    }

    deinit {
        // Elements are BitwiseCopyable, so there is nothing to deinitialize.
        fftw_free(UnsafeMutableRawPointer(base))
    }

    /// A new buffer with the same elements (and its own storage).
    public func copy() -> AlignedBuffer {
        let other = AlignedBuffer(uninitializedCount: count)
        other.base.initialize(from: base, count: count)
        return other
    }

    /// Sets every element to `value`.
    @inlinable
    public func fill(with value: Element) {
        base.update(repeating: value, count: count)
    }

    /// Copies `source` into this buffer.
    ///
    /// - Precondition: `source.count == count`.
    public func assign(from source: some Collection<Element>) {
        precondition(source.count == count, "assign(from:) needs \(count) elements, got \(source.count)")
        _ = UnsafeMutableBufferPointer(start: base, count: count).update(fromContentsOf: source)
    }

    /// Whether the storage sits on FFTW's SIMD alignment boundary (`fftw_alignment_of(p) == 0`).
    /// Always true for storage from `fftw_malloc`; kept as a check for pointers derived by offsetting.
    public var isSIMDAligned: Bool {
        fftw_alignment_of(UnsafeMutableRawPointer(base).assumingMemoryBound(to: Double.self)) == 0
    }

    /// Calls `body` with a read-only view of the storage. The pointer must not escape `body`.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        return try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Calls `body` with a mutable view of the storage. The pointer must not escape `body`.
    @inlinable
    public func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R
    ) throws(E) -> R {
        return try body(UnsafeMutableBufferPointer(start: base, count: count))
    }
}

extension AlignedBuffer where Element: AdditiveArithmetic {
    /// A buffer of `count` zeros.
    public convenience init(count: Int) {
        self.init(repeating: .zero, count: count)
    }
}

extension AlignedBuffer: RandomAccessCollection, MutableCollection {
    public typealias Index = Int

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    /// Bounds-checked element access.
    @inlinable
    public subscript(position: Int) -> Element {
        get {
            precondition(position >= 0 && position < count, "index \(position) out of range 0..<\(count)")
            return base[position]
        }
        set {
            precondition(position >= 0 && position < count, "index \(position) out of range 0..<\(count)")
            base[position] = newValue
        }
    }

    @inlinable
    public func withContiguousStorageIfAvailable<R>(
        _ body: (UnsafeBufferPointer<Element>) throws -> R
    ) rethrows -> R? {
        return try body(UnsafeBufferPointer(start: base, count: count))
    }

    @inlinable
    public func withContiguousMutableStorageIfAvailable<R>(
        _ body: (inout UnsafeMutableBufferPointer<Element>) throws -> R
    ) rethrows -> R? {
        var buffer = UnsafeMutableBufferPointer(start: base, count: count)
        return try body(&buffer)
    }
}

extension AlignedBuffer: CustomStringConvertible {
    public var description: String { "AlignedBuffer<\(Element.self)>(count: \(count))" }
}
