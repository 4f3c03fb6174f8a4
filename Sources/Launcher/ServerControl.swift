import Clients
import Foundation
import Server
import Studies
import Transport
import Wire

/// The study's server: started by the launcher (and restarted from its checkpoint if it dies, on the same
/// endpoints so that members and consumers reconnect on their own), or a running server the study attaches to.
final class ServerControl {
    struct Endpoints {
        var solver: String
        var consumer: String?
        var control: String
    }

    let study: Study
    let workDirectory: String
    let sluice: String
    let scheduler: JobScheduler
    /// The host the server binds, and the one it advertises in its endpoint file (nil: see `LaunchOptions`).
    let bindHost: String
    let advertiseHost: String?
    private(set) var endpoints: Endpoints?
    private(set) var handle: JobHandle?
    var owned: Bool { study.server.solverEndpoint == nil }

    var configPath: String { workDirectory + "/server.json" }
    var endpointFile: String { workDirectory + "/endpoints.json" }
    var checkpointPath: String { workDirectory + "/checkpoint.bin" }
    var keyDirectory: String { workDirectory + "/keys" }
    /// The launcher's own admin key, when the study uses CURVE.
    private(set) var adminKeys: CurveClientKeys?

    /// Makes the study's CURVE keys (once): the server's, one solver key for the members, one trainer key for the
    /// consumers, one admin key for the launcher; all files mode 0600 in the work directory.
    func prepareKeys() throws {
        guard study.curve else { return }
        let keys = KeyDirectory(keyDirectory)
        try keys.initialise()
        for (name, role) in [("members", "solver"), ("consumers", "trainer"), ("launcher", "admin")]
            where !FileManager.default.fileExists(atPath: "\(keyDirectory)/\(name).key") {
            try keys.generate(name: name, role: role)
        }
        adminKeys = CurveClientKeys(serverPublicKey: try CurveKeyFile.readPublic(keys.serverPublicKeyPath),
                                    keys: try CurveKeyFile.readSecret("\(keyDirectory)/launcher.key"))
    }

    /// Key arguments for a member or consumer command.
    func keyArguments(role: String) -> [String] {
        guard study.curve else { return [] }
        return ["--curve-key", "\(keyDirectory)/\(role == "solver" ? "members" : "consumers").key",
                "--server-key", "\(keyDirectory)/server.pub"]
    }

    init(study: Study, workDirectory: String, sluice: String, scheduler: JobScheduler, bindHost: String = "127.0.0.1",
         advertiseHost: String? = nil) {
        self.bindHost = bindHost
        self.advertiseHost = advertiseHost ?? (Self.isWildcard(bindHost) ? nil : bindHost)
        self.study = study
        self.workDirectory = workDirectory
        self.sluice = sluice
        self.scheduler = scheduler
    }

    static func isWildcard(_ host: String) -> Bool { ["0.0.0.0", "*", "[::]", "::"].contains(host) }

    /// Attaches, adopts a server left by a crashed launcher, or starts one.
    func ensureRunning(adopt previous: JobRecord?, journal: Journal) throws {
        if !owned {
            endpoints = Endpoints(solver: study.server.solverEndpoint ?? "", consumer: study.server.consumerEndpoint,
                                  control: study.server.controlEndpoint ?? "")
            _ = try status()
            return
        }
        if let id = previous?.id, let h = scheduler.adopt(id: id, pid: previous?.pid), let e = readEndpoints() {
            handle = h
            endpoints = e
            return
        }
        try start(journal: journal)
    }

    func start(journal: Journal) throws {
        var c = ServerConfiguration()
        c.name = study.name
        if let e = readEndpoints() {
            // Restarts keep the ports, so members and consumers find the server again (on a cluster the new job
            // may land on another node: members still connected to the old one go silent and are relaunched).
            c.solverEndpoint = BoundEndpoints.replacingHost(of: e.solver, with: bindHost)
            c.consumerEndpoint = e.consumer.map { BoundEndpoints.replacingHost(of: $0, with: bindHost) } ?? c.consumerEndpoint
            c.controlEndpoint = BoundEndpoints.replacingHost(of: e.control, with: bindHost)
        } else {
            c.solverEndpoint = "tcp://\(bindHost):*"
            c.consumerEndpoint = "tcp://\(bindHost):*"
            c.controlEndpoint = "tcp://\(bindHost):*"
        }
        c.advertiseHost = advertiseHost
        c.endpointFile = endpointFile
        c.checkpointFile = checkpointPath
        c.checkpointIntervalS = study.server.checkpointIntervalS
        c.reservoir.policy = .init(rawValue: study.server.policy) ?? .reservoir
        c.reservoir.capacityBytes = study.server.capacityBytes
        c.reservoir.watermarkBytes = study.server.watermarkBytes
        c.reservoir.seed = study.server.seed
        if study.curve { c.curveDirectory = keyDirectory }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(c).write(to: URL(fileURLWithPath: configPath))
        let previous = readEndpoints()
        let marker = (try? FileManager.default.attributesOfItem(atPath: endpointFile)[.modificationDate] as? Date) ?? .distantPast
        let h = try scheduler.start(JobSpec(role: .server, name: "server", executable: sluice,
                                            arguments: ["serve", "--config", configPath],
                                            logPath: "\(workDirectory)/logs/server.log"))
        handle = h
        try journal.append(.init(.serverStart, pid: h.pid, job: h.id))
        // Wait for the server to write its endpoints (a fresh file, or the same endpoints rewritten); time in a
        // batch queue does not count.
        var deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            switch scheduler.state(of: h) {
            case .queued:
                deadline = Date().addingTimeInterval(30)
            case .lost:
                throw LaunchError("the server job \(h.id) ended at start; see \(workDirectory)/logs/server.log")
            default:
                break
            }
            let stamp = (try? FileManager.default.attributesOfItem(atPath: endpointFile)[.modificationDate] as? Date) ?? .distantPast
            if stamp > marker || (previous == nil && readEndpoints() != nil), let e = readEndpoints() {
                endpoints = e
                return
            }
            if case .exited(let code) = scheduler.state(of: h) {
                throw LaunchError("the server exited with status \(code) at start; see \(workDirectory)/logs/server.log")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw LaunchError("the server did not write \(endpointFile) within 30 s; see \(workDirectory)/logs/server.log")
    }

    func readEndpoints() -> Endpoints? {
        guard let data = FileManager.default.contents(atPath: endpointFile),
              let e = try? JSONSerialization.jsonObject(with: data) as? [String: String],
              let s = e["solver"], let k = e["control"] else { return nil }
        return Endpoints(solver: s, consumer: e["consumer"], control: k)
    }

    /// Starts the server again if it died; true if it did.
    func restartIfDead(journal: Journal) throws -> Bool {
        guard owned, let h = handle else { return false }
        switch scheduler.state(of: h) {
        case .running, .queued: return false
        case .exited, .lost:
            try start(journal: journal)
            return true
        }
    }

    /// The server's counters.
    func status(acceptedSteps: Bool = false) throws -> ServerStatus {
        // A server job that Slurm requeued onto another node writes new endpoints; follow them.
        if owned, endpoints != nil, let e = readEndpoints() { endpoints = e }
        guard let control = endpoints?.control else { throw LaunchError("no server endpoints yet") }
        let request = StatusBody(json: Array((acceptedSteps ? #"{"accepted_steps":true}"# : "{}").utf8))
        let body = try AdminClient.status(endpoint: control, timeout: .seconds(3), curve: adminKeys, request: request)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ServerStatus.self, from: Data(body))
    }

    /// Stops an owned server gracefully (it writes its final checkpoint).
    func stop() throws {
        guard owned, let h = handle else { return }
        scheduler.interrupt(h)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            switch scheduler.state(of: h) {
            case .running, .queued: Thread.sleep(forTimeInterval: 0.05)
            default: return
            }
        }
        scheduler.kill(h)
    }
}
