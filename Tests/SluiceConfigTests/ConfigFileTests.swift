import Foundation
import Server
import SluiceConfig
import Testing
import TestSupport

@Test("the example server config loads with every value it sets")
func exampleServerConfig() throws {
    let c = try ConfigFile.load(ServerConfiguration.self, from: repositoryRoot() + "/ops/config/server.example.yaml")
    #expect(c.name == "sluice-demo")
    #expect(c.reservoir.policy == .reservoir)
    #expect(c.reservoir.capacityBytes == 1 << 30)
    #expect(c.reservoir.watermarkBytes == 64 << 20)
    #expect(c.reservoir.seed == 42)
    #expect(c.nonFinite == .reject)
    #expect(c.maxPrefetch == 16)
    #expect(c.partialBatchAfterMs == ServerConfiguration().partialBatchAfterMs)
    try c.validate()
}

@Test("broken config files fail with a message naming the file and the key", arguments: [
    ("reservoir: {policy: fifo, capacity_bytes: 4096}\nheartbeat_msec: 10\n", "unknown key 'heartbeat_msec'"),
    ("reservoir: {policy: fifo, capacity_bytez: 4096}\n", "keys given there: capacity_bytez, policy"),
    ("reservoir: {policy: lifo, capacity_bytes: 4096}\n", "reservoir"),
    ("reservoir: {policy: fifo}\n", "missing required key 'capacity_bytes'"),
    ("heartbeat_ms: fast\n", "'heartbeat_ms'"),
    ("reservoir: [1, 2\n", "not valid YAML"),
])
func brokenConfigs(text: String, expected: String) throws {
    #expect {
        _ = try ConfigFile.decode(ServerConfiguration.self, from: text, source: "bad.yaml")
    } throws: { error in
        let message = "\(error)"
        return message.contains(expected) && message.contains("bad.yaml")
    }
}

@Test("a missing config file is reported with its path")
func missingConfigFile() {
    #expect { _ = try ConfigFile.load(ServerConfiguration.self, from: "/nonexistent/server.yaml") } throws: {
        "\($0)".contains("/nonexistent/server.yaml")
    }
}

@Test("byte sizes parse with binary and decimal units")
func byteSizes() {
    #expect(ByteSize.parse("1024") == 1024)
    #expect(ByteSize.parse("64KiB") == 65536)
    #expect(ByteSize.parse("1.5 GiB") == 1_610_612_736)
    #expect(ByteSize.parse("2GB") == 2_000_000_000)
    #expect(ByteSize.parse("lots") == nil)
    #expect(ByteSize.format(1_048_576) == "1.0 MiB")
}

/// Nine levels of ten aliases each: 10^9 values once expanded.
let billionLaughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + (1..<9).map { i in
    "l\(i): &l\(i) [" + Array(repeating: i == 1 ? "*a" : "*l\(i - 1)", count: 10).joined(separator: ", ") + "]"
}.joined(separator: "\n") + "\n"

@Test("hostile YAML (non-scalar keys, alias bombs, deep nesting) is refused with an error, never a crash")
func hostileYAML() throws {
    let cases = [
        ("[a, b]: 1\n", "not a plain string"),
        ("{x: 1}: 2\n", "not a plain string"),
        (billionLaughs, "too many values"),
        (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "deeper than 64"),
    ]
    for (text, expected) in cases {
        #expect { _ = try ConfigFile.decode(ServerConfiguration.self, from: text, source: "hostile.yaml") } throws: {
            "\($0)".contains(expected) && "\($0)".contains("hostile.yaml")
        }
    }
    // Inputs the fuzzer once crashed on (ops/fuzz.sh config) are kept as regressions.
    let directory = repositoryRoot() + "/Tests/SluiceConfigTests/regressions"
    let files = try FileManager.default.contentsOfDirectory(atPath: directory)
    #expect(!files.isEmpty)
    for file in files {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file)")), as: UTF8.self)
        #expect(throws: (any Error).self) { _ = try ConfigFile.decode(ServerConfiguration.self, from: text, source: file) }
    }
}

@Test("the cluster server config (ops/systemd) loads, advertises its host and checkpoints")
func clusterServerConfig() throws {
    let c = try ConfigFile.load(ServerConfiguration.self, from: repositoryRoot() + "/ops/config/server.cluster.yaml")
    #expect(c.solverEndpoint == "tcp://0.0.0.0:5555")
    #expect(c.advertiseHost == "sluice-server.cluster.example")
    #expect(c.checkpointFile == "/var/lib/sluice/checkpoint.bin" && c.checkpointIntervalS == 300)
    #expect(c.curveDirectory == "/etc/sluice/keys")
    try c.validate()
    var bad = c
    bad.advertiseHost = "node 7"
    #expect(throws: ConfigurationError.self) { try bad.validate() }
}

@Test("advertised endpoints carry the advertised host and the bound ports", arguments: [
    ("tcp://0.0.0.0:41234", "node7", "tcp://node7:41234"),
    ("tcp://[::]:5555", "node7.cluster", "tcp://node7.cluster:5555"),
    ("tcp://127.0.0.1:*", "10.0.0.5", "tcp://10.0.0.5:*"),
    ("ipc:///tmp/s.ipc", "node7", "ipc:///tmp/s.ipc"),
    ("inproc://solvers", "node7", "inproc://solvers"),
])
func advertisedEndpoint(bound: String, host: String, expected: String) {
    #expect(BoundEndpoints.replacingHost(of: bound, with: host) == expected)
}
