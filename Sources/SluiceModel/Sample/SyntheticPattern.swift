/// Values that encode a sample's member, step and position, so that every element of every batch can be checked:
/// `value[i] = (member * 7919 + step * 31 + i) mod 2^24`, exact in float32. Used by `sluice synth`, the `synthetic`
/// solver and the checking consumers.
public enum SyntheticPattern {
    @inline(__always)
    public static func value(member: UInt64, step: UInt64, index: Int) -> Float {
        Float((member &* 7919 &+ step &* 31 &+ UInt64(index)) & 0xFF_FFFF)
    }
}
