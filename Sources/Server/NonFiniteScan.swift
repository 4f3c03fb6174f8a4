import SluiceModel

/// Finds NaN and infinite values in raw little-endian float bytes without converting them: a float is non-finite
/// exactly when all its exponent bits are set. The loop ORs a flag per element and has no early exit, so the
/// compiler vectorises it; it reads memory at close to memcpy speed.
public enum NonFiniteScan {
    /// Whether `bytes`, read as `dtype`, hold any NaN or infinity. Integer dtypes never do.
    public static func containsNonFinite(_ bytes: UnsafeRawBufferPointer, dtype: DType) -> Bool {
        switch dtype {
        case .float32: return scan(bytes, as: UInt32.self, mask: 0x7F80_0000)
        case .float64: return scan(bytes, as: UInt64.self, mask: 0x7FF0_0000_0000_0000)
        case .int32, .int64, .uint8: return false
        }
    }

    @inline(__always)
    private static func scan<T: FixedWidthInteger & UnsignedInteger>(_ bytes: UnsafeRawBufferPointer, as _: T.Type, mask: T) -> Bool {
        let n = bytes.count / MemoryLayout<T>.size
        guard n > 0, let base = bytes.baseAddress else { return false }
        var found: T = 0
        if Int(bitPattern: base) % MemoryLayout<T>.alignment == 0 {
            let words = UnsafeBufferPointer(start: base.assumingMemoryBound(to: T.self), count: n)
            // Chunks keep the early exit cheap for data that is mostly clean.
            var i = 0
            while i < n {
                let end = min(i + 4096, n)
                for j in i..<end {
                    found |= (words[j] & mask) == mask ? 1 : 0
                }
                if found != 0 { return true }
                i = end
            }
            return false
        }
        for j in 0..<n {
            let w = T(littleEndian: bytes.loadUnaligned(fromByteOffset: j * MemoryLayout<T>.size, as: T.self))
            found |= (w & mask) == mask ? 1 : 0
        }
        return found != 0
    }
}
