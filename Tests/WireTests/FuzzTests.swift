import SluiceModel
import Testing
import TestSupport
@testable import Wire

/// A small deterministic generator for the mutations (SplitMix64), so a failure can be replayed from its seed.
struct MutationRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Applies one to four random mutations: bit flips, "interesting" bytes (0, 0xff, 0x7f, 0x80) at random offsets,
/// truncation or extension of a frame, dropping, duplicating or swapping frames.
func mutate(_ frames: [[UInt8]], _ rng: inout MutationRNG) -> [[UInt8]] {
    var out = frames
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        guard !out.isEmpty else { out = [[]]; continue }
        let f = Int.random(in: 0..<out.count, using: &rng)
        switch Int.random(in: 0..<9, using: &rng) {
        case 0, 1:
            if !out[f].isEmpty {
                let i = Int.random(in: 0..<out[f].count, using: &rng)
                out[f][i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            }
        case 2, 3:
            if !out[f].isEmpty {
                let i = Int.random(in: 0..<out[f].count, using: &rng)
                out[f][i] = [0, 0xff, 0x7f, 0x80, 1, 2, 3][Int.random(in: 0..<7, using: &rng)]
            }
        case 4:
            out[f] = Array(out[f].prefix(Int.random(in: 0...out[f].count, using: &rng)))
        case 5:
            out[f] += (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 6:
            out.remove(at: f)
        case 7:
            out.insert(out[f], at: Int.random(in: 0...out.count, using: &rng))
        default:
            let g = Int.random(in: 0..<out.count, using: &rng)
            out.swapAt(f, g)
        }
    }
    return out
}

@Test("100,000 mutated and truncated fixtures are each decoded or rejected with a typed error, never a crash")
func fuzzDecoder() throws {
    var limits = WireLimits()
    limits.maxFrameBytes = 1 << 20
    let strict = WireCodec(limits: limits)
    var rng = MutationRNG(state: 0x5EED)
    var decoded = 0
    var rejected: [String: Int] = [:]
    let seeds = allFixtures.map(\.frames)
    for _ in 0..<100_000 {
        let input = mutate(seeds[Int.random(in: 0..<seeds.count, using: &rng)], &rng)
        do {
            let message = try strict.decode(input)
            decoded += 1
            // Whatever decodes must re-encode to the same binary header (reserved bytes are checked, so the
            // layout has exactly one encoding).
            switch message {
            case .sample(let h, _): #expect(try h.encoded(limits: limits) == input[1])
            case .batch(let h, _): #expect(try h.encoded(limits: limits) == input[1])
            default: break
            }
        } catch {
            rejected[error.code.rawValue, default: 0] += 1
        }
    }
    #expect(decoded + rejected.values.reduce(0, +) == 100_000)
    // The mix must exercise both outcomes and many distinct rejection paths.
    #expect(decoded > 1_000)
    #expect(rejected.count >= 8, "rejection codes seen: \(rejected)")
}
