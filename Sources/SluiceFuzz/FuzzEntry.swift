import Foundation
import Server
import SluiceConfig
import Wire

/// The fuzzing harness. Built by ops/fuzz.sh with `-sanitize=fuzzer -DFUZZING`, `main` hands control to libFuzzer
/// (`LLVMFuzzerRunDriver`); built normally, it replays the files given as arguments (crash regressions).
/// `SLUICE_FUZZ_TARGET` picks what an input feeds:
/// - `wire` (default): a multipart message in the fixture container format (u32 little-endian length + bytes per
///   frame; the golden fixtures seed the corpus), decoded by `WireCodec` with tight limits; whatever decodes must
///   re-encode to the same binary header.
/// - `config`: YAML/JSON text for `ConfigFile.decode(ServerConfiguration.self, ...)`.
/// Any crash, trap or sanitizer report is a finding.
@main
struct SluiceFuzz {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data else { return 0 }
            return fuzzOneInput(data, size)
        })
        #else
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("cannot read \(path)")
                exit(2)
            }
            _ = [UInt8](data).withUnsafeBufferPointer { fuzzOneInput($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
            print("ok \(path)")
        }
        #endif
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif

func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    switch FuzzTarget.current {
    case .wire: fuzzWire(bytes)
    case .config: fuzzConfig(bytes)
    }
    return 0
}

enum FuzzTarget {
    case wire, config
    static let current: FuzzTarget = ProcessInfo.processInfo.environment["SLUICE_FUZZ_TARGET"] == "config" ? .config : .wire
}

let fuzzCodec: WireCodec = {
    var limits = WireLimits()
    limits.maxFrameBytes = 1 << 20
    limits.maxControlBytes = 1 << 16
    return WireCodec(limits: limits)
}()

func fuzzWire(_ bytes: UnsafeBufferPointer<UInt8>) {
    var frames: [[UInt8]] = []
    var i = 0
    while i + 4 <= bytes.count, frames.count < 300 {
        let n = Int(UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        i += 4
        let end = min(bytes.count, i + n)
        frames.append(Array(bytes[i..<end]))
        i = end
    }
    guard let message = try? fuzzCodec.decode(frames) else { return }
    switch message {
    case .sample(let header, _):
        guard (try? header.encoded(limits: fuzzCodec.limits)) == frames[1] else { fatalError("SAMPLE header did not re-encode identically") }
    case .batch(let header, _):
        guard (try? header.encoded(limits: fuzzCodec.limits)) == frames[1] else { fatalError("BATCH header did not re-encode identically") }
    case .samples:
        guard (try? fuzzCodec.encode(message)) == frames else { fatalError("SAMPLES did not re-encode identically") }
    default:
        _ = try? fuzzCodec.encode(.heartbeat)
    }
}

func fuzzConfig(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard bytes.count < 1 << 16, let text = String(validating: bytes, as: UTF8.self) else { return }
    if let c = try? ConfigFile.decode(ServerConfiguration.self, from: text, source: "fuzz") {
        try? c.validate()
    }
}
