import Foundation
import SolverKit
import Surrogates

/// What one training run is: the network, the optimiser, the batch, how long and how often to validate.
public struct TrainerSettings: Codable, Sendable {
    public var architecture: MLPArchitecture
    public var adam: AdamSettings
    public var steps: Int
    public var batchSize: Int
    /// Validate every this many steps (and after the last).
    public var validateEvery: Int
    /// Seeds the initial weights: ranks with the same seed start identical.
    public var seed: UInt64

    public init(architecture: MLPArchitecture, adam: AdamSettings = .init(), steps: Int, batchSize: Int,
                validateEvery: Int = 100, seed: UInt64 = 0) {
        self.architecture = architecture
        self.adam = adam
        self.steps = steps
        self.batchSize = batchSize
        self.validateEvery = validateEvery
        self.seed = seed
    }
}

/// One row of the loss history.
public struct HistoryRecord: Codable, Sendable {
    public var step: Int
    public var wallSeconds: Double
    /// Examples this rank consumed so far.
    public var samples: Int
    /// Mean training loss (normalised MSE, averaged over ranks) since the previous record.
    public var trainLoss: Double
    /// Mean relative L2 error on the validation set, where validated at this step.
    public var validationError: Double?
}

/// A snapshot for the live line.
public struct TrainingProgress: Sendable {
    public var step: Int
    public var steps: Int
    public var elapsed: Double
    public var batchesPerSecond: Double
    public var samplesPerSecond: Double
    public var trainLoss: Double
    public var validationError: Double?
    public var uniqueSamples: Int
    public var samples: Int
    /// Share of the wall time spent waiting for batches (1: the trainer is starved, 0: data is never the limit).
    public var waitFraction: Double
    public var meanReuse: Double { uniqueSamples > 0 ? Double(samples) / Double(uniqueSamples) : 0 }
}

/// What a finished run did.
public struct TrainingSummary: Codable, Sendable {
    public var steps: Int
    public var samples: Int
    public var uniqueSamples: Int
    public var members: Int
    public var wallSeconds: Double
    public var waitSeconds: Double
    public var finalTrainLoss: Double
    public var finalValidationError: Double?
    public var bestValidationError: Double?
    public var samplesPerSecond: Double { wallSeconds > 0 ? Double(samples) / wallSeconds : 0 }
    public var meanReuse: Double { uniqueSamples > 0 ? Double(samples) / Double(uniqueSamples) : 0 }
}

/// The training loop: pull a batch, normalise, forward and backward (``MLPWorkspace``), average the gradient and
/// the loss across ranks (``GradientAllreduce``), Adam, and every `validateEvery` steps the relative L2 error on
/// the validation set (rank 0). Single-threaded; OpenBLAS uses its own threads inside each gemm.
public final class Trainer {
    public let settings: TrainerSettings
    public let normalization: Normalization
    public private(set) var model: MLP<Float>
    public private(set) var history: [HistoryRecord] = []
    /// What the run had done when it last recorded history or failed: for checkpoints, and for saving the model
    /// of a run whose data source died.
    public private(set) var partialSummary: TrainingSummary?
    var adam: Adam<Float>
    let workspace: MLPWorkspace<Float>
    let validation: ExampleSet?
    /// The validation inputs, normalised once.
    let validationInputs: [Float]

    /// - Parameter validation: held-out examples in physical units (nil: no validation, e.g. on ranks > 0).
    public init(settings: TrainerSettings, normalization: Normalization, validation: ExampleSet?) {
        self.settings = settings
        self.normalization = normalization
        model = MLP(settings.architecture, seed: settings.seed)
        adam = Adam(parameterCount: settings.architecture.parameterCount, settings: settings.adam)
        workspace = MLPWorkspace(settings.architecture, batch: settings.batchSize)
        self.validation = validation
        var x = validation?.inputs ?? []
        normalization.normaliseInputs(&x, count: validation?.count ?? 0)
        validationInputs = x
    }

    /// The mean relative L2 error of the model on the validation set, in physical units (nil without one).
    public func validationError() -> Double? {
        guard let v = validation, v.count > 0 else { return nil }
        var prediction = model.predict(validationInputs, batch: v.count)
        normalization.denormaliseOutputs(&prediction, count: v.count)
        return meanRelativeL2Error(predictions: prediction, targets: v.targets, samples: v.count)
    }

    /// Runs `settings.steps` steps from `source` (fewer if `stop` returns true before a step), calling `progress`
    /// about once a second (and at the end).
    ///
    /// - Throws: the source's or the allreduce's errors, and ``TrainingError`` when a batch does not fit the
    ///   model or the source ends early.
    @discardableResult
    public func run(source: TrainingSource, allreduce: GradientAllreduce? = nil,
                    stop: () -> Bool = { false },
                    recorded: (HistoryRecord) -> Void = { _ in },
                    progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingSummary {
        let p = settings.architecture.parameterCount
        let inputWidth = settings.architecture.inputs, outputWidth = settings.architecture.outputs
        var buffer = [Float](repeating: 0, count: p + 1)  // the gradient, then the loss: averaged in one message
        var seen = Set<UInt64>(), members = Set<UInt64>()
        var samples = 0, waitSeconds = 0.0
        var lossSum = 0.0, lossCount = 0
        let start = Self.now()
        var lastReport = start, lastReportStep = 0, lastReportSamples = 0
        var lastLoss = Double.nan
        var lastValidation: Double?
        if let e = validationError() {
            lastValidation = e
            history.append(HistoryRecord(step: 0, wallSeconds: 0, samples: 0, trainLoss: .nan, validationError: e))
        }
        var stepsDone = 0
        func summary() -> TrainingSummary {
            TrainingSummary(steps: stepsDone, samples: samples, uniqueSamples: seen.count, members: members.count,
                            wallSeconds: Self.now() - start, waitSeconds: waitSeconds, finalTrainLoss: lastLoss,
                            finalValidationError: lastValidation, bestValidationError: history.compactMap(\.validationError).min())
        }
        do {
            for step in 1...max(1, settings.steps) where settings.steps > 0 {
                if stop() { break }
                let waitStart = Self.now()
                guard var batch = try source.nextBatch() else {
                    throw TrainingError.data("the training source ended after \(step - 1) of \(settings.steps) steps (\(source.summary))")
                }
                waitSeconds += Self.now() - waitStart
                let n = batch.count
                guard n >= 1, n <= settings.batchSize, batch.inputWidth == inputWidth, batch.outputWidth == outputWidth else {
                    throw TrainingError.data("a batch of \(n) examples \(batch.inputWidth) -> \(batch.outputWidth) does not fit the model (batch \(settings.batchSize), \(inputWidth) -> \(outputWidth))")
                }
                normalization.normaliseInputs(&batch.inputs, count: n)
                normalization.normaliseOutputs(&batch.targets, count: n)
                let loss = batch.inputs.withUnsafeBufferPointer { x in
                    batch.targets.withUnsafeBufferPointer { t in
                        buffer.withUnsafeMutableBufferPointer { b in
                            workspace.lossAndGradient(model, inputs: x, targets: t, batch: n,
                                                      gradient: UnsafeMutableBufferPointer(rebasing: b[0..<p]))
                        }
                    }
                }
                buffer[p] = Float(loss)
                try allreduce?.average(&buffer)
                guard buffer[p].isFinite else {
                    throw TrainingError.data("the training loss is \(buffer[p]) at step \(step): lower the learning rate (\(settings.adam.learningRate)) or check the data")
                }
                buffer.withUnsafeBufferPointer { adam.update(&model.parameters, gradient: UnsafeBufferPointer(rebasing: $0[0..<p])) }
                samples += n
                stepsDone = step
                for id in batch.sampleIDs { seen.insert(id) }
                for m in batch.members { members.insert(m) }
                lossSum += Double(buffer[p])
                lossCount += 1
                lastLoss = Double(buffer[p])
                let validate = step % max(1, settings.validateEvery) == 0 || step == settings.steps
                if validate {
                    lastValidation = validationError()
                    history.append(HistoryRecord(step: step, wallSeconds: Self.now() - start, samples: samples,
                                                 trainLoss: lossSum / Double(max(1, lossCount)), validationError: lastValidation))
                    lossSum = 0
                    lossCount = 0
                    partialSummary = summary()
                    if let last = history.last { recorded(last) }
                }
                let now = Self.now()
                if now - lastReport >= 1 || step == settings.steps {
                    let dt = max(1e-9, now - lastReport)
                    progress(TrainingProgress(step: step, steps: settings.steps, elapsed: now - start,
                                              batchesPerSecond: Double(step - lastReportStep) / dt,
                                              samplesPerSecond: Double(samples - lastReportSamples) / dt,
                                              trainLoss: lastLoss, validationError: lastValidation,
                                              uniqueSamples: seen.count, samples: samples,
                                              waitFraction: waitSeconds / max(1e-9, now - start)))
                    lastReport = now
                    lastReportStep = step
                    lastReportSamples = samples
                }
            }
        } catch {
            partialSummary = summary()
            throw error
        }
        if stepsDone < settings.steps, stepsDone > 0, history.last?.step != stepsDone {
            // Stopped early: validate where it stopped, so the model file's history ends there.
            lastValidation = validationError()
            history.append(HistoryRecord(step: stepsDone, wallSeconds: Self.now() - start, samples: samples,
                                         trainLoss: lossSum / Double(max(1, lossCount)), validationError: lastValidation))
        }
        partialSummary = summary()
        return summary()
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
}
