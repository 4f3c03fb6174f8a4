import Foundation
import Testing
import TestSupport

/// Runs `sluice keys generate` for each (name, role).
func generateKeys(in dir: String, _ peers: [(String, String)], scratch: TemporaryDirectory) throws {
    for (name, role) in [("", "")] + peers {
        let args = ["keys", "generate", "--dir", dir] + (name.isEmpty ? [] : ["--name", name, "--role", role])
        let p = try ChildProcess(sluiceBinary(), args, name: "keys", directory: scratch)
        #expect(p.wait(seconds: 30) == 0, "\(p.output)")
    }
}

@Suite("end to end: CURVE authentication", .serialized)
struct CurveEndToEndTests {
    @Test("unknown, revoked, plain and wrong-role clients are refused and counted; an authorised run is byte-identical to a plain run")
    func curveAdmission() throws {
        let scratch = try TemporaryDirectory(prefix: "sluice-curve")
        defer { scratch.remove() }
        let keys = scratch.path("keys")
        try generateKeys(in: keys, [("member-0", "solver"), ("trainer-0", "trainer"), ("ops", "admin"), ("intruder", "solver")], scratch: scratch)
        let outsider = scratch.path("outsider")
        try generateKeys(in: outsider, [("stranger", "solver")], scratch: scratch)
        let revoke = try ChildProcess(sluiceBinary(), ["keys", "revoke", "--dir", keys, "intruder"], name: "revoke", directory: scratch)
        #expect(revoke.wait(seconds: 30) == 0, "\(revoke.output)")
        let serverKey = ["--server-key", "\(keys)/server.pub"]

        // A plain run, then the same run with CURVE: the trainer must receive exactly the same bytes.
        func run(curve: Bool) throws -> (digest: String, cluster: SluiceCluster) {
            let cluster = try SluiceCluster(["--policy", "fifo"] + (curve ? ["--curve-dir", keys] : []))
            if curve {
                cluster.clientArguments = ["solver": ["--curve-key", "\(keys)/member-0.key"] + serverKey,
                                           "trainer": ["--curve-key", "\(keys)/trainer-0.key"] + serverKey,
                                           "admin": ["--curve-key", "\(keys)/ops.key"] + serverKey]
            }
            let (consumer, report) = try cluster.consume(group: "g", batchSize: 7, idle: 3)
            Thread.sleep(forTimeInterval: 0.5)
            let publisher = try cluster.synth(member: 0, samples: 120, shape: "24x24")
            #expect(publisher.wait(seconds: 60) == 0, "\(publisher.output)\n\(cluster.server.output)")
            #expect(consumer.wait(seconds: 60) == 0, "\(consumer.output)")
            #expect(try receivedPairs(report).count == 120)
            return (try receivedDigest(report), cluster)
        }
        let plain = try run(curve: false)
        _ = try plain.cluster.stop()
        let secure = try run(curve: true)
        #expect(secure.digest == plain.digest)
        let cluster = secure.cluster

        // Clients that must be refused: each fails to get READY, and the server counts why.
        func refusedPublisher(_ args: [String]) throws {
            let p = try ChildProcess(sluiceBinary(), ["synth", "--server", cluster.solver, "--member", "5", "--samples", "3",
                                                      "--connect-timeout", "2"] + args, name: "refused", directory: scratch)
            #expect(p.wait(seconds: 30) != 0, "a refused client must fail:\n\(p.output)")
            #expect(p.stderr.contains("no READY"), "\(p.output)")
        }
        try refusedPublisher(["--curve-key", "\(outsider)/stranger.key", "--server-key", "\(keys)/server.pub"])
        try refusedPublisher(["--curve-key", "\(keys)/intruder.key"] + serverKey)
        try refusedPublisher([])
        try refusedPublisher(["--curve-key", "\(keys)/trainer-0.key"] + serverKey)  // a trainer key publishing samples

        let status = try cluster.status()
        let rejected = (status["totals"] as? [String: Any])?["rejected"] as? [String: Int] ?? [:]
        for code in ["auth-unknown-key", "auth-revoked-key", "handshake-failed", "auth-wrong-role"] {
            #expect((rejected[code] ?? 0) >= 1, "no '\(code)' refusal counted: \(rejected)")
        }
        #expect((status["server"] as? [String: Any])?["security"] as? String == "curve (1 solver, 1 trainer, 1 admin keys allowed, 1 revoked)")
        #expect(status.int("totals.samples_in") == 120)
        _ = try cluster.stop()
    }
}
