import Foundation
import Testing
import TestSupport

@Suite("end to end: real sluice processes over tcp://127.0.0.1", .serialized)
struct StreamingTests {
    @Test("4 publishers and two consumer groups: every sample intact, ranks disjoint, bound held, counters add up")
    func publishersAndGroups() throws {
        let capacity = 256 * 1024  // 64 samples of 4 KiB: far below the stream, so back-pressure is exercised
        let cluster = try SluiceCluster(["--capacity", "\(capacity)", "--policy", "fifo"])
        // Consumers first, so both groups are required for every sample.
        let (a, reportA) = try cluster.consume(group: "A", batchSize: 8)
        let (b0, reportB0) = try cluster.consume(group: "B", rank: 0, worldSize: 2, batchSize: 5)
        let (b1, reportB1) = try cluster.consume(group: "B", rank: 1, worldSize: 2, batchSize: 5)
        Thread.sleep(forTimeInterval: 1.0)
        let perMember = 200
        let publishers = try (0..<4).map { try cluster.synth(member: $0, samples: perMember, shape: "32x32") }
        for p in publishers { #expect(p.wait(seconds: 120) == 0, "\(p.output)") }
        for c in [a, b0, b1] { #expect(c.wait(seconds: 60) == 0, "\(c.output)") }

        let expected = Set((0..<4).flatMap { m in (0..<perMember).map { [m, $0] } })
        let gotA = try receivedPairs(reportA)
        #expect(gotA.count == expected.count, "group A received \(gotA.count) samples")
        #expect(Set(gotA) == expected)
        let gotB0 = try receivedPairs(reportB0)
        let gotB1 = try receivedPairs(reportB1)
        #expect(Set(gotB0).isDisjoint(with: Set(gotB1)), "ranks of group B overlap")
        #expect(Set(gotB0).union(gotB1) == expected)
        #expect(gotB0.count + gotB1.count == expected.count)
        // Within rank 0's stream a FIFO group sees each member's steps in order.
        for m in 0..<4 {
            let steps = gotA.filter { $0[0] == m }.map { $0[1] }
            #expect(steps == steps.sorted())
        }

        let final = try cluster.stop()
        #expect(final.int("totals.samples_in") == expected.count)
        #expect(final.int("totals.samples_out") == 2 * expected.count)
        #expect(final.int("reservoir.peak_bytes").map { $0 <= capacity } == true, "peak \(final.int("reservoir.peak_bytes") ?? -1) > \(capacity)")
        #expect(final.int("reservoir.consumed") == expected.count)
        #expect(final.int("reservoir.inserted") == expected.count)
        #expect((final["totals"] as? [String: Any])?["rejected"] as? [String: Int] == [:])
    }

    @Test("kill -9 of a publisher mid-stream: the server keeps going and serves only whole samples")
    func publisherKilledMidStream() throws {
        let cluster = try SluiceCluster(["--capacity", "8MiB"])
        // Idle time-out and waits generous: under a full parallel test run on 2 cores the processes start slowly.
        let (consumer, report) = try cluster.consume(group: "g", batchSize: 4, idle: 10)
        Thread.sleep(forTimeInterval: 0.5)
        // A big, slow publisher: 256 KiB samples every 20 ms; killed while sending.
        let victim = try cluster.synth(member: 9, samples: 10_000, shape: "256x256", extra: ["--interval-ms", "20"])
        let survivor = try cluster.synth(member: 1, samples: 300, shape: "64x64", extra: ["--interval-ms", "2"])
        // Kill the victim once the server holds some of its samples (not after a fixed time: a loaded or
        // sanitized build may start slowly).
        let victimDelivered = waitUntil(seconds: 120) {
            let members = (try? cluster.status())?["members"] as? [[String: Any]] ?? []
            return members.contains { ($0["member"] as? Int) == 9 && (($0["accepted"] as? Int) ?? 0) >= 3 }
        }
        #expect(victimDelivered, "the victim never delivered 3 samples: \(victim.output)")
        victim.signal(SIGKILL)
        #expect(survivor.wait(seconds: 120) == 0, "\(survivor.output)")
        #expect(consumer.wait(seconds: 120) == 0, "\(consumer.output)")
        let got = try receivedPairs(report)
        let fromVictim = got.filter { $0[0] == 9 }.count
        #expect(fromVictim > 0 && fromVictim < 10_000, "victim delivered \(fromVictim) samples")
        #expect(got.filter { $0[0] == 1 }.count == 300)
        let status = try cluster.status()
        #expect(status.int("totals.samples_in") == got.count)
        #expect(cluster.server.isRunning)
        _ = try cluster.stop()
    }
}
