import Foundation
import Testing
import TestSupport
import SluiceModel
import Transport
import Wire
import ZeroMQ

@Suite("end to end: hostile input", .serialized)
struct HostileInputTests {
    @Test("malformed and hostile messages from a raw socket are rejected and counted; the server stays up")
    func malformedMessagesRejected() throws {
        let cluster = try SluiceCluster(["--capacity", "4MiB"])
        let context = try Context()
        let raw = try Socket(context, type: .dealer)
        try raw.setLinger(milliseconds: 0)
        try raw.setReceiveTimeout(milliseconds: 3000)
        try raw.connect(cluster.solver)

        func errorCode(after frames: [[UInt8]]) throws -> String? {
            try raw.send(multipart: frames)
            while true {
                guard let reply = try raw.receiveMultipart() else { return nil }
                switch try WireCodec().decode(reply) {
                case .error(let report): return report.code
                case .credit, .heartbeat: continue  // flow control and liveness may come in between
                default: return "not an error"
                }
            }
        }
        // Garbage in frame 0.
        #expect(try errorCode(after: [Array("GET / HTTP/1.1".utf8)]) == "bad-protocol")
        // A future protocol version.
        #expect(try errorCode(after: [Envelope.protocolID + [9, 0x01], Array("{}".utf8)]) == "unsupported-version")
        // An unknown command.
        #expect(try errorCode(after: [Envelope.protocolID + [1, 0xEE]]) == "unknown-command")
        // A SAMPLE before HELLO.
        let header = SyntheticHeader.make()
        #expect(try errorCode(after: [Envelope.frame(.sample), header, [UInt8](repeating: 0, count: 64)]) == "not-ready")
        // A truncated SAMPLE header.
        #expect(try errorCode(after: [Envelope.frame(.sample), Array(header.prefix(17))]) == "truncated")
        // HELLO whose body is not JSON.
        #expect(try errorCode(after: [Envelope.frame(.hello), Array("{not json".utf8)]) == "bad-body")
        // A HELLO claiming to be a trainer on the solver endpoint.
        let trainerHello = Hello(role: .trainer, peer: "impostor", group: "g", batchSize: 1)
        #expect(try errorCode(after: try WireCodec().encode(.hello(trainerHello))) == "forbidden")
        // A proper HELLO, then a sample without credit on a shape that lies about its size.
        let hello = Hello(role: .solver, peer: "raw", member: 77, sampleBytes: 64)
        try raw.sendControl(.hello(hello))
        var gotReady = false
        for _ in 0..<5 {
            guard let reply = try raw.receiveMultipart() else { break }
            if case .ready = try WireCodec().decode(reply) { gotReady = true; break }
        }
        #expect(gotReady)
        // Frame size disagrees with the declared shape (64 bytes declared, 60 sent).
        #expect(try errorCode(after: [Envelope.frame(.sample), header, [UInt8](repeating: 0, count: 60)]) == "frame-size")
        // 5,000 frames in one message.
        #expect(try errorCode(after: Array(repeating: [1], count: 5000)) == "limit-exceeded")

        // The server is still up and serves an honest publisher and consumer.
        let (consumer, report) = try cluster.consume(group: "g", batchSize: 4, idle: 3)
        Thread.sleep(forTimeInterval: 0.5)
        let honest = try cluster.synth(member: 1, samples: 40)
        #expect(honest.wait(seconds: 60) == 0, "\(honest.output)")
        #expect(consumer.wait(seconds: 60) == 0, "\(consumer.output)")
        #expect(try receivedPairs(report).count == 40)
        #expect(cluster.server.isRunning, "\(cluster.server.output)")
        let status = try cluster.status()
        let rejected = (status["totals"] as? [String: Any])?["rejected"] as? [String: Int] ?? [:]
        for code in ["bad-protocol", "unsupported-version", "unknown-command", "not-ready", "truncated", "bad-body",
                     "forbidden", "frame-size", "limit-exceeded"] {
            #expect((rejected[code] ?? 0) >= 1, "no '\(code)' rejection counted: \(rejected)")
        }
        _ = try cluster.stop()
    }
}

/// A valid SAMPLE header for member 77, step 0: one f32 field of 16 elements (64 bytes).
enum SyntheticHeader {
    static func make() -> [UInt8] {
        let h = SampleHeader(member: 77, step: 0, time: 0, fields: [FieldDescriptor(name: "x", dtype: .float32, shape: [16])])
        return (try? h.encoded()) ?? []
    }
}
