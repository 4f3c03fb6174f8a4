import Foundation
import SluiceConfig
import Studies

/// The pieces of a study file the trainer needs: the case, the varied parameters (the surrogate's inputs, in
/// sorted order, as the launcher assigns them), the training members' draws and held-out validation draws.
public struct StudyMembers: Sendable {
    public let study: Study
    public let studyPath: String
    public let casePath: String

    public init(studyPath: String) throws {
        study = try ConfigFile.load(Study.self, from: studyPath)
        self.studyPath = studyPath
        let base = URL(fileURLWithPath: studyPath).deletingLastPathComponent()
        casePath = study.case.hasPrefix("/") ? study.case : base.appendingPathComponent(study.case).path
        guard FileManager.default.isReadableFile(atPath: casePath) else {
            throw TrainingError.configuration("study \(studyPath): case file \(casePath) not found")
        }
    }

    /// The varied parameters, sorted by name.
    public var parameterNames: [String] { study.parameters.keys.sorted() }

    /// The first `count` members of the study, with the draws `sluice launch` gives them (the offline arm).
    public func trainingMembers(_ count: Int) throws -> GeneratedMembers {
        let members = try (0..<count).map { k in
            GeneratedMembers.Member(index: UInt64(k), parameters: try study.draw(member: k))
        }
        return GeneratedMembers(casePath: casePath, members: members, label: "training members 0..<\(count)")
    }

    /// `count` held-out members: a random design from a seed derived from the study's, so no training member
    /// (Latin hypercube, Halton or random from the study's own seed) shares their parameters. Indices start at
    /// 2^40, never used by the launcher.
    public func validationMembers(_ count: Int, seed: UInt64? = nil) throws -> GeneratedMembers {
        let draws = try ParameterDraws(parameters: study.parameters, design: .random, members: count,
                                       seed: seed ?? (study.seed ^ 0x5EED_0F_7A11D))
        let members = (0..<count).map { k in GeneratedMembers.Member(index: (1 << 40) + UInt64(k), parameters: draws.draw(k)) }
        return GeneratedMembers(casePath: casePath, members: members, label: "validation members")
    }
}
