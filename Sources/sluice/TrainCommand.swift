import ArgumentParser
import Clients
import Foundation
import HDF5
import Logging
import Server
import SluiceModel
import Surrogates
import Training

/// `sluice train`: the built-in online trainer. A fully connected surrogate (the Melissa study's: the member's
/// parameters and the time in, the whole field out) trained with Adam on OpenBLAS, from the reservoir (online) or
/// from a fixed set of members read in epochs (offline), validated on held-out members of the same solver.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the built-in MLP surrogate online from a server (or offline on a fixed set of members).",
        discussion: """
            Inputs are the study's varied parameters (sorted by name) and the sample's time; the output is every \
            value of one field. Validation members are drawn from the study's parameter space with another seed and \
            run once in this process by the same solver. Rank 0 writes OUT/model.h5 (weights, normalisation, \
            history, provenance), OUT/loss.png, OUT/history.csv and OUT/summary.json.

            Data-parallel: start n processes with --rank r --world-size n and the same --allreduce endpoint \
            (rank 0 binds it); each pulls disjoint batches from the server and the gradients are averaged over \
            ZeroMQ every step (docs/training.md says why not MPI).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The study file (case, parameter space, seed).")
    var study: String

    @Option(help: "The server's consumer endpoint (online training). Without it, --offline-members is required.")
    var server: String?

    @Option(help: "The server's control endpoint, for the reservoir fill on the live line (optional; not with CURVE).")
    var control: String?

    @OptionGroup var curve: CurveOptions

    @Option(help: "Offline: train on the study's first N members, generated once in memory and read in epochs.")
    var offlineMembers: Int?

    @Option(help: "The field to learn (default: the case's first field).")
    var field: String?

    @Option(help: "Hidden layer widths, comma-separated.")
    var hidden = "256,256"

    @Option(help: "Activation between layers: relu or tanh.")
    var activation = "relu"

    @Option(help: "Examples per batch and rank.")
    var batchSize = 32

    @Option(help: "Gradient steps.")
    var steps = 2000

    @Option(help: "Adam's learning rate.")
    var learningRate = 1e-3

    @Option(help: "Held-out validation members.")
    var validationMembers = 8

    @Option(help: "Validate every this many steps.")
    var validateEvery = 100

    @Option(help: "Seed of the initial weights (and of the offline arm's shuffles).")
    var seed: UInt64 = 0

    @Option(help: "This process's rank.")
    var rank = 0

    @Option(help: "Number of data-parallel ranks.")
    var worldSize = 1

    @Option(help: "Gradient-averaging endpoint: rank 0 binds it, the others connect (needed with --world-size > 1).")
    var allreduce: String?

    @Option(help: "Rank 0 writes the endpoint it bound here; other ranks read it (instead of knowing the port).")
    var allreduceFile: String?

    @Option(help: "Consumer group on the server.")
    var group = "train"

    @Option(help: "Batch requests kept in flight.")
    var prefetch = 4

    @Option(help: "Rank 0 rewrites the outputs every this many steps (rounded to validations; 0: only at the end).")
    var checkpointEvery = 0

    @Option(help: "Output directory (rank 0).")
    var out = "train-out"

    @Flag(help: "One progress line per second instead of a live line.")
    var plain = false

    func validate() throws {
        guard (server == nil) != (offlineMembers == nil) else {
            throw ValidationError("give exactly one of --server (online) and --offline-members N (offline)")
        }
        if let n = offlineMembers, n < 1 { throw ValidationError("--offline-members must be at least 1") }
        guard batchSize >= 1, steps >= 1, validationMembers >= 1, validateEvery >= 1, learningRate > 0 else {
            throw ValidationError("--batch-size, --steps, --validation-members, --validate-every and --learning-rate must be positive")
        }
        guard worldSize >= 1, rank >= 0, rank < worldSize else { throw ValidationError("--rank \(rank) is outside --world-size \(worldSize)") }
        if worldSize > 1, allreduce == nil, allreduceFile == nil {
            throw ValidationError("--world-size \(worldSize) needs --allreduce ENDPOINT (or --allreduce-file)")
        }
        guard Activation(rawValue: activation) != nil else { throw ValidationError("--activation must be relu or tanh, not \(activation)") }
        guard hiddenWidths != nil else { throw ValidationError("--hidden '\(hidden)' is not a list of positive integers like 256,256") }
    }

    var hiddenWidths: [Int]? {
        let parts = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        return parts.compactMap { $0 }
    }

    func run() throws {
        global.bootstrapLogging()
        if server != nil { ReservoirServer.tuneTrainerProcessMemory() }  // batch buffers stay mapped (docs/benchmarks.md)
        let logger = Logger(label: "sluice.train")
        let members = try StudyMembers(studyPath: study)
        let validationProvider = try members.validationMembers(validationMembers)
        let fields = try validationProvider.fields()
        guard let chosen = field.map({ name in fields.first { $0.name == name } }) ?? fields.first else {
            throw ValidationError("case \(members.casePath) publishes no field '\(field ?? "")'; it has \(fields.map(\.name))")
        }
        let layout = FeatureLayout(parameterNames: members.parameterNames, field: chosen.name, fieldShape: chosen.shape)
        let start = Date()
        let validation = try validationProvider.load(layout: layout)
        say("validation: \(validation.count) snapshots of \(validationMembers) held-out members (\(String(format: "%.1f", Date().timeIntervalSince(start))) s); inputs \(layout.inputNames), output '\(layout.field)' \(layout.fieldShape)")
        let normalization = Normalization.fitted(inputs: validation.inputs, outputs: validation.targets, count: validation.count,
                                                 inputWidth: layout.inputWidth, outputWidth: layout.outputWidth)
        let architecture = MLPArchitecture(inputs: layout.inputWidth, hidden: hiddenWidths ?? [], outputs: layout.outputWidth,
                                           activation: Activation(rawValue: activation) ?? .relu)
        let settings = TrainerSettings(architecture: architecture, adam: AdamSettings(learningRate: learningRate), steps: steps,
                                       batchSize: batchSize, validateEvery: validateEvery, seed: seed)
        let trainer = Trainer(settings: settings, normalization: normalization, validation: rank == 0 ? validation : nil)

        let source: TrainingSource
        if let server {
            var configuration = TrainerClient.Configuration(endpoint: server, group: group, rank: rank, worldSize: worldSize,
                                                            batchSize: batchSize, prefetch: prefetch)
            configuration.connection.curve = try curve.keys()
            let client = try TrainerClient(configuration, logger: logger)
            source = ReservoirSource(client: client, layout: layout)
        } else {
            let n = offlineMembers ?? 0
            let t0 = Date()
            let fixed = try members.trainingMembers(n).load(layout: layout)
            say("offline: \(fixed.count) snapshots of study members 0..<\(n) generated in memory (\(String(format: "%.1f", Date().timeIntervalSince(t0))) s), read in epochs")
            source = EpochSource(fixed, batchSize: batchSize, rank: rank, worldSize: worldSize, seed: seed &+ 1)
        }
        let reducer = try makeAllreduce()
        say("model \(architecture), Adam lr \(learningRate), batch \(batchSize) x \(worldSize) rank(s), \(steps) steps; data: \(source.summary)")

        let interrupted = LockedValue(false)
        let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in interrupted.set(true) }
        defer { watcher.cancel() }
        var lastStatus = Date.distantPast
        var fill = ""
        let checkpoint = { (record: HistoryRecord) in
            guard rank == 0, checkpointEvery > 0, record.step > 0, record.step % checkpointEvery < validateEvery,
                  let partial = trainer.partialSummary else { return }
            do {
                try write(trainer: trainer, summary: partial, layout: layout, source: source, validation: validationProvider,
                          validationInputs: validation.inputs, quiet: true)
            } catch {
                logger.warning("checkpoint at step \(record.step) failed: \(error)")
            }
        }
        let summary: TrainingSummary
        do {
            summary = try trainer.run(source: source, allreduce: reducer, stop: { interrupted.value }, recorded: checkpoint) { p in
                if let control, Date().timeIntervalSince(lastStatus) >= 2 {
                    lastStatus = Date()
                    fill = (try? Self.fill(control)) ?? fill
                }
                let line = Self.line(p, fill: fill)
                if plain { print(line) } else { FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + line).utf8)) }
            }
        } catch {
            // The data source or the allreduce failed: keep what was trained so far, then report the failure.
            if !plain { print("") }
            if rank == 0, let partial = trainer.partialSummary, partial.steps > 0 {
                say("training stopped after \(partial.steps) steps: saving what was trained")
                try? write(trainer: trainer, summary: partial, layout: layout, source: source, validation: validationProvider,
                           validationInputs: validation.inputs)
            }
            throw error
        }
        if !plain { print("") }
        reducer?.close()
        if let reservoir = source as? ReservoirSource { reservoir.client.close() }
        if interrupted.value { say("interrupted after \(summary.steps) steps: saving what was trained") }
        say(String(format: "done: %d steps, %d samples (%d unique from %d members, mean reuse %.2f) in %.1f s = %.0f samples/s; waited for data %.0f%% of the time",
                   summary.steps, summary.samples, summary.uniqueSamples, summary.members, summary.meanReuse, summary.wallSeconds,
                   summary.samplesPerSecond, 100 * summary.waitSeconds / max(1e-9, summary.wallSeconds)))
        if let e = summary.finalValidationError, let best = summary.bestValidationError {
            say(String(format: "validation relative L2 error: final %.4f, best %.4f", e, best))
        }
        guard rank == 0 else { return }
        try write(trainer: trainer, summary: summary, layout: layout, source: source, validation: validationProvider,
                  validationInputs: validation.inputs)
    }

    func makeAllreduce() throws -> GradientAllreduce? {
        guard worldSize > 1 else { return nil }
        if rank == 0 {
            let reducer = try GradientAllreduce(rank: 0, worldSize: worldSize, endpoint: allreduce ?? "tcp://127.0.0.1:*")
            if let allreduceFile { try Data(reducer.endpoint.utf8).write(to: URL(fileURLWithPath: allreduceFile), options: .atomic) }
            return reducer
        }
        var endpoint = allreduce
        if endpoint == nil, let allreduceFile {
            for _ in 0..<600 where endpoint == nil {
                if let data = FileManager.default.contents(atPath: allreduceFile), !data.isEmpty { endpoint = String(decoding: data, as: UTF8.self) }
                else { Thread.sleep(forTimeInterval: 0.1) }
            }
        }
        guard let endpoint else { throw ValidationError("rank 0 wrote no endpoint to \(allreduceFile ?? "") within 60 s") }
        return try GradientAllreduce(rank: rank, worldSize: worldSize, endpoint: endpoint)
    }

    func write(trainer: Trainer, summary: TrainingSummary, layout: FeatureLayout, source: TrainingSource,
               validation: GeneratedMembers, validationInputs: [Float], quiet: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var provenance = ModelFile.Provenance()
        provenance.add("sluice_version", SluiceVersion.string)
        provenance.add("created_utc", ISO8601DateFormatter().string(from: Date()))
        provenance.add("command", CommandLine.arguments.joined(separator: " "))
        provenance.add("host", ProcessInfo.processInfo.hostName)
        provenance.add("study", study)
        provenance.add("case", (try? StudyMembers(studyPath: study).casePath) ?? "")
        provenance.add("mode", server == nil ? "offline" : "online")
        provenance.add("training_source", source.summary)
        provenance.add("validation_source", validation.summary)
        provenance.add("validation_parameters", validation.members.map { m in m.parameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ") })
        provenance.add("steps", summary.steps)
        provenance.add("batch_size", batchSize)
        provenance.add("world_size", worldSize)
        provenance.add("learning_rate", learningRate)
        provenance.add("seed", Int(seed))
        provenance.add("samples", summary.samples)
        provenance.add("unique_samples", summary.uniqueSamples)
        provenance.add("members_seen", summary.members)
        provenance.add("wall_seconds", summary.wallSeconds)
        provenance.add("final_train_loss", summary.finalTrainLoss)
        if let e = summary.finalValidationError { provenance.add("final_validation_error", e) }
        if let e = summary.bestValidationError { provenance.add("best_validation_error", e) }
        let modelPath = out + "/model.h5"
        // Written beside and renamed over: a checkpoint killed mid-write never leaves a truncated model.h5.
        let partialPath = out + "/.model.h5.partial"
        try ModelFile.write(partialPath, model: trainer.model, normalization: trainer.normalization, layout: layout,
                            history: trainer.history, provenance: provenance,
                            checkInputs: Array(validationInputs.prefix(4 * layout.inputWidth)))
        if rename(partialPath, modelPath) != 0 {
            throw ValidationError("cannot rename \(partialPath) to \(modelPath): \(String(cString: strerror(errno)))")
        }
        let history = trainer.history
        let plot = LossPlot(title: "\(server == nil ? "offline" : "online"): \(URL(fileURLWithPath: study).lastPathComponent)", series: [
            .init(name: "train mse", points: history.filter { $0.step > 0 }.map { (Double($0.step), $0.trainLoss) }, color: (31, 119, 180)),
            .init(name: "val rel l2", points: history.compactMap { r in r.validationError.map { (Double(r.step), $0) } }, color: (214, 39, 40)),
        ])
        try Data(plot.render().encoded()).write(to: URL(fileURLWithPath: out + "/loss.png"), options: .atomic)
        var csv = "step,wall_seconds,samples,train_loss,validation_error\n"
        for r in history { csv += "\(r.step),\(r.wallSeconds),\(r.samples),\(r.trainLoss),\(r.validationError.map { "\($0)" } ?? "")\n" }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: out + "/history.csv"), options: .atomic)
        var json: [String: Any] = [
            "mode": server == nil ? "offline" : "online", "steps": summary.steps, "samples": summary.samples,
            "unique_samples": summary.uniqueSamples, "members": summary.members, "wall_seconds": summary.wallSeconds,
            "wait_seconds": summary.waitSeconds, "samples_per_second": summary.samplesPerSecond, "mean_reuse": summary.meanReuse,
            "final_train_loss": summary.finalTrainLoss, "batch_size": batchSize, "world_size": worldSize,
            "parameters": trainer.model.architecture.parameterCount, "model": modelPath,
        ]
        if let e = summary.finalValidationError { json["final_validation_error"] = e }
        if let e = summary.bestValidationError { json["best_validation_error"] = e }
        if let offlineMembers { json["offline_members"] = offlineMembers }
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: out + "/summary.json"), options: .atomic)
        if !quiet { say("wrote \(modelPath), \(out)/loss.png, \(out)/history.csv, \(out)/summary.json") }
    }

    func say(_ line: String) {
        print(rank == 0 ? line : "[rank \(rank)] \(line)")
    }

    static func line(_ p: TrainingProgress, fill: String) -> String {
        var parts = [String(format: "step %d/%d", p.step, p.steps),
                     String(format: "%.1f batches/s %.0f samples/s", p.batchesPerSecond, p.samplesPerSecond),
                     String(format: "train %.3e", p.trainLoss)]
        if let v = p.validationError { parts.append(String(format: "val rel L2 %.4f", v)) }
        if !fill.isEmpty { parts.append(fill) }
        parts.append(String(format: "reuse %.2f (%d unique)", p.meanReuse, p.uniqueSamples))
        parts.append(String(format: "waiting %.0f%%", 100 * p.waitFraction))
        return parts.joined(separator: " | ")
    }

    /// The reservoir's fill from the server's STATUS ("fill 12.3% (345 samples)").
    static func fill(_ control: String) throws -> String {
        let body = try AdminClient.status(endpoint: control, timeout: .milliseconds(500))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let r = try decoder.decode(ServerStatus.self, from: Data(body)).reservoir
        let percent = r.capacityBytes > 0 ? 100 * Double(r.bytes) / Double(r.capacityBytes) : 0
        return String(format: "fill %.1f%% (%d samples)", percent, r.count)
    }
}
