import Foundation
import Testing
import TestSupport
@testable import Training

/// The gradient average over real ZeroMQ sockets on tcp://127.0.0.1, one thread per rank.
@Suite struct AllreduceTests {
    /// Rank r's vector in round k: distinct per rank, round and index.
    static func vector(rank: Int, round: Int, count: Int) -> [Float] {
        (0..<count).map { Float(rank * 1000 + round) + Float($0) * 0.5 }
    }

    @Test("every rank leaves with the average of all ranks' vectors, round after round", arguments: [2, 3, 4])
    func averages(worldSize: Int) throws {
        let count = 100_003  // not a multiple of anything convenient, 400 kB a message
        let hub = try GradientAllreduce(rank: 0, worldSize: worldSize, endpoint: "tcp://127.0.0.1:*", timeout: .seconds(30))
        let endpoint = hub.endpoint
        let results = Locked<[Int: [[Float]]]>([:])
        let errors = Locked<[String]>([])
        let group = DispatchGroup()
        for rank in 1..<worldSize {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let peer = try GradientAllreduce(rank: rank, worldSize: worldSize, endpoint: endpoint, timeout: .seconds(30))
                    var rounds: [[Float]] = []
                    for round in 0..<5 {
                        var v = Self.vector(rank: rank, round: round, count: count)
                        try peer.average(&v)
                        rounds.append(v)
                    }
                    peer.close()
                    results.withLock { $0[rank] = rounds }
                } catch {
                    errors.withLock { $0.append("rank \(rank): \(error)") }
                }
            }
        }
        var mine: [[Float]] = []
        for round in 0..<5 {
            var v = Self.vector(rank: 0, round: round, count: count)
            try hub.average(&v)
            mine.append(v)
        }
        group.wait()
        hub.close()
        #expect(errors.value.isEmpty, "\(errors.value)")
        let all = results.value
        for round in 0..<5 {
            // The mean over ranks of rank * 1000 + round + i / 2 is 1000 (n - 1) / 2 + round + i / 2.
            let offset = Float(1000 * (worldSize - 1)) / 2 + Float(round)
            for i in [0, 1, 77, count - 1] {
                #expect(abs(mine[round][i] - (offset + Float(i) * 0.5)) <= 1e-6 * (offset + Float(i)))
            }
            for rank in 1..<worldSize {
                #expect(all[rank]?[round] == mine[round], "rank \(rank) round \(round) differs from rank 0's bytes")
            }
        }
    }

    @Test("a rank sending a vector of another length is named in rank 0's error")
    func lengthMismatch() throws {
        let hub = try GradientAllreduce(rank: 0, worldSize: 2, endpoint: "tcp://127.0.0.1:*", timeout: .seconds(10))
        let endpoint = hub.endpoint
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { done.signal() }
            guard let peer = try? GradientAllreduce(rank: 1, worldSize: 2, endpoint: endpoint, timeout: .seconds(2)) else { return }
            var v: [Float] = [1, 2, 3]
            _ = try? peer.average(&v)  // times out: rank 0 gives up on it
            peer.close()
        }
        var v: [Float] = [1, 2, 3, 4]
        #expect {
            try hub.average(&v)
        } throws: { error in
            "\(error)".contains("rank 1 sent 3 values") && "\(error)".contains("expected 4")
        }
        done.wait()
        hub.close()
    }

    @Test("rank 0 names the ranks that never answered")
    func timeout() throws {
        let hub = try GradientAllreduce(rank: 0, worldSize: 3, endpoint: "tcp://127.0.0.1:*", timeout: .milliseconds(300))
        var v: [Float] = [1]
        #expect {
            try hub.average(&v)
        } throws: { error in
            "\(error)".contains("rank(s) [1, 2]")
        }
        hub.close()
    }
}
