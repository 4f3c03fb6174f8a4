import Foundation
import Testing
import TestSupport

/// `sluice train` as a separate process against a real server fed by real solver processes (tcp://127.0.0.1).
@Suite(.serialized) struct TrainTests {
    static let study = repositoryRoot() + "/solvers/advection/surrogate-study.yaml"
    static let caseFile = repositoryRoot() + "/solvers/advection/surrogate.yaml"

    /// Starts `count` advection members (two at a time) with parameters inside the study's ranges.
    static func streamMembers(_ cluster: SluiceCluster, count: Int, extra: [String] = []) throws {
        for pair in stride(from: 0, to: count, by: 2) {
            let solves = try (pair..<min(count, pair + 2)).map { m in
                let f = Double(m) / Double(count)
                return try ChildProcess(sluiceBinary(), ["solve", caseFile, "--member", "\(m)", "--server", cluster.solver, "--quiet",
                                                         "--set", "velocity_x=\(0.4 * f - 0.2)", "--set", "velocity_y=\(0.2 - 0.3 * f)",
                                                         "--set", "centre_x=\(0.35 + 0.3 * f)", "--set", "centre_y=0.5",
                                                         "--set", "width=\(0.07 + 0.04 * f)"] + extra,
                                        name: "solve-\(m)", directory: cluster.directory)
            }
            for s in solves { #expect(s.wait(seconds: 60) == 0, "\(s.output)") }
        }
    }

    static func summary(_ path: String) throws -> [String: Any] {
        try #require(try readJSON(path, waitSeconds: 5) as? [String: Any])
    }

    @Test("sluice train learns from a server fed by solver processes and writes model, plot, history and summary")
    func trainsOnline() throws {
        let cluster = try SluiceCluster(["--policy", "reservoir", "--capacity", "16MiB", "--watermark", "16KiB"])
        defer { cluster.directory.remove() }
        try Self.streamMembers(cluster, count: 6)
        let out = cluster.directory.path("train")
        let train = try ChildProcess(sluiceBinary(), ["train", "--study", Self.study, "--server", cluster.consumer,
                                                      "--control", cluster.control, "--steps", "80", "--batch-size", "8",
                                                      "--hidden", "64", "--validation-members", "2", "--validate-every", "40",
                                                      "--learning-rate", "3e-3", "--plain", "--out", out],
                                     name: "train", directory: cluster.directory)
        #expect(train.wait(seconds: 180) == 0, "\(train.output)\n\(cluster.server.output)")
        let s = try Self.summary(out + "/summary.json")
        #expect(s["steps"] as? Int == 80)
        #expect(s["samples"] as? Int == 640)
        #expect(s["mode"] as? String == "online")
        // Six members of 17-21 snapshots each: every sample came from them, most of them more than once.
        let unique = try #require(s["unique_samples"] as? Int)
        #expect(unique >= 8 && unique <= 6 * 21)
        #expect(s["members"] as? Int ?? 0 >= 2)
        // The history: validation before training, at step 40 and at step 80; the error must have fallen.
        let csv = try String(contentsOfFile: out + "/history.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let errors = csv.compactMap { $0.split(separator: ",", omittingEmptySubsequences: false).last.flatMap { Double($0) } }
        #expect(errors.count == 3, "\(csv)")
        if let first = errors.first, let last = errors.last { #expect(last < first, "validation error \(errors)") }
        #expect(abs((s["final_validation_error"] as? Double ?? -1) - (errors.last ?? 0)) < 1e-9)
        #expect(train.stdout.contains("fill "), "the live line shows the reservoir fill: \(train.stdout)")
        let png = try Data(contentsOf: URL(fileURLWithPath: out + "/loss.png"))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let h5 = try Data(contentsOf: URL(fileURLWithPath: out + "/model.h5"))
        #expect(Array(h5.prefix(8)) == [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test("sluice train trains over CURVE with its trainer key (as a study's consumer in a curve study does)")
    func trainsOverCurve() throws {
        let scratch = try TemporaryDirectory(prefix: "sluice-train-curve")
        defer { scratch.remove() }
        let keys = scratch.path("keys")
        try generateKeys(in: keys, [("member", "solver"), ("trainer", "trainer")], scratch: scratch)
        let serverKey = ["--server-key", "\(keys)/server.pub"]
        let cluster = try SluiceCluster(["--policy", "reservoir", "--capacity", "16MiB", "--watermark", "16KiB",
                                         "--curve-dir", keys])
        defer { cluster.directory.remove() }
        // Two advection members published with the solver key.
        try Self.streamMembers(cluster, count: 2, extra: ["--curve-key", "\(keys)/member.key"] + serverKey)
        let out = cluster.directory.path("train")
        let base = ["train", "--study", Self.study, "--server", cluster.consumer, "--steps", "20", "--batch-size", "8",
                    "--hidden", "16", "--validation-members", "1", "--validate-every", "20", "--plain"]
        let withKey = try ChildProcess(sluiceBinary(), base + ["--out", out, "--curve-key", "\(keys)/trainer.key"] + serverKey,
                                       name: "train-curve", directory: cluster.directory)
        #expect(withKey.wait(seconds: 180) == 0, "\(withKey.output)\n\(cluster.server.output)")
        #expect(try Self.summary(out + "/summary.json")["steps"] as? Int == 20)
        _ = try? cluster.stop()
    }

    @Test("two data-parallel ranks pull disjoint batches and average their gradients over ZeroMQ")
    func dataParallel() throws {
        let cluster = try SluiceCluster(["--policy", "reservoir", "--capacity", "16MiB", "--watermark", "16KiB"])
        defer { cluster.directory.remove() }
        try Self.streamMembers(cluster, count: 4)
        let file = cluster.directory.path("allreduce.endpoint")
        let ranks = try (0..<2).map { r in
            try ChildProcess(sluiceBinary(), ["train", "--study", Self.study, "--server", cluster.consumer, "--steps", "30",
                                              "--batch-size", "8", "--hidden", "32", "--validation-members", "1",
                                              "--rank", "\(r)", "--world-size", "2", "--allreduce-file", file, "--plain",
                                              "--out", cluster.directory.path("train")],
                             name: "train-\(r)", directory: cluster.directory)
        }
        for r in ranks { #expect(r.wait(seconds: 180) == 0, "\(r.output)") }
        let s = try Self.summary(cluster.directory.path("train/summary.json"))
        #expect(s["world_size"] as? Int == 2)
        #expect(s["steps"] as? Int == 30)
        #expect(s["samples"] as? Int == 240)  // rank 0's share; rank 1 pulled as many
        #expect(ranks[1].stdout.contains("[rank 1] done: 30 steps, 240 samples"), "\(ranks[1].output)")
        // Both ranks reach the end only if every one of the 30 averages completed.
    }

    @Test("sluice train checkpoints while it runs and, interrupted, saves the model it has")
    func checkpointAndInterrupt() throws {
        let cluster = try SluiceCluster(["--policy", "reservoir", "--capacity", "16MiB", "--watermark", "16KiB"])
        defer { cluster.directory.remove() }
        try Self.streamMembers(cluster, count: 2)
        let out = cluster.directory.path("train")
        let train = try ChildProcess(sluiceBinary(), ["train", "--study", Self.study, "--server", cluster.consumer,
                                                      "--steps", "10000000", "--batch-size", "8", "--hidden", "16",
                                                      "--validation-members", "1", "--validate-every", "20",
                                                      "--checkpoint-every", "20", "--plain", "--out", out],
                                     name: "train", directory: cluster.directory)
        #expect(waitUntil(seconds: 120) { FileManager.default.fileExists(atPath: out + "/summary.json") }, "\(train.output)")
        let checkpoint = try Self.summary(out + "/summary.json")
        #expect((checkpoint["steps"] as? Int ?? 0) >= 20)
        train.signal(SIGINT)
        #expect(train.wait(seconds: 60) == 0, "\(train.output)")
        #expect(train.stdout.contains("interrupted after"), "\(train.stdout)")
        let final = try Self.summary(out + "/summary.json")
        let steps = try #require(final["steps"] as? Int)
        #expect(steps >= (checkpoint["steps"] as? Int ?? 0) && steps < 10_000_000)
        #expect(final["samples"] as? Int == 8 * steps)
        // The history ends where the run stopped.
        let csv = try String(contentsOfFile: out + "/history.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.last?.hasPrefix("\(steps),") == true, "\(csv.suffix(2))")
        #expect(!FileManager.default.fileExists(atPath: out + "/.model.h5.partial"))
    }
}
