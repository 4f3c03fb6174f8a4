import Foundation
import Testing
import TestSupport
@testable import Wire

/// Splits fuzz input into frames the way the fuzzing harness does (u32 little-endian length, then bytes; a
/// truncated last frame keeps what is there).
func lenientFrames(_ bytes: [UInt8]) -> [[UInt8]] {
    var frames: [[UInt8]] = []
    var i = 0
    while i + 4 <= bytes.count, frames.count < 300 {
        let n = Int(UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        i += 4
        let end = min(bytes.count, i + n)
        frames.append(Array(bytes[i..<end]))
        i = end
    }
    return frames
}

@Test("every fuzzer regression input and every fixture is decoded or rejected with a typed error")
func fuzzRegressions() throws {
    let directory = repositoryRoot() + "/schemas/wire/fixtures/regressions"
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { !$0.hasSuffix(".md") } ?? []
    let inputs = try files.map { Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\($0)"))) }
        + allFixtures.map { FrameFile.encode($0.frames) }
    var decoded = 0
    for input in inputs {
        if (try? codec.decode(lenientFrames(input))) != nil { decoded += 1 }
    }
    #expect(decoded >= validFixtures.count)
}
