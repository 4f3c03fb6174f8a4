import Foundation
import Testing
import TestSupport
@testable import Training

/// Held-out and offline members run in process through SolverRuntime, on the shipped surrogate study.
@Suite struct GeneratedMembersTests {
    static let study = repositoryRoot() + "/solvers/advection/surrogate-study.yaml"

    @Test("validation members are drawn inside the study's ranges, apart from its members, and become examples")
    func validationMembers() throws {
        let members = try StudyMembers(studyPath: Self.study)
        #expect(members.parameterNames == ["centre_x", "centre_y", "velocity_x", "velocity_y", "width"])
        let validation = try members.validationMembers(3)
        let training = try members.trainingMembers(3)
        for m in validation.members {
            for (name, value) in m.parameters {
                let d = try #require(members.study.parameters[name])
                #expect(value >= d.low ?? -.infinity && value <= d.high ?? .infinity, "\(name)=\(value)")
            }
            for t in training.members { #expect(m.parameters.map(\.1) != t.parameters.map(\.1)) }
        }
        let fields = try validation.fields()
        #expect(fields.map(\.name) == ["tracer"] && fields[0].shape == [32, 32])
        let layout = FeatureLayout(parameterNames: members.parameterNames, field: "tracer", fieldShape: [32, 32])
        let set = try validation.load(layout: layout)
        #expect(set.inputWidth == 6 && set.outputWidth == 1024)
        #expect(Set(set.members) == Set(validation.members.map(\.index)))
        for m in validation.members {
            let rows = set.members.indices.filter { set.members[$0] == m.index }
            #expect(rows.count >= 17 && rows.count <= 21)  // a snapshot every 0.05 up to t = 1 (the step sets the count)
            let first = try #require(rows.first), last = try #require(rows.last)
            // Inputs: the member's parameters (sorted by name) and the time, from 0 to 1.
            let expected = m.parameters.sorted { $0.0 < $1.0 }.map { Float($0.1) }
            #expect(Array(set.inputs[(6 * first)..<(6 * first + 5)]) == expected)
            #expect(set.inputs[6 * first + 5] == 0 && abs(set.inputs[6 * last + 5] - 1) < 1e-6)
            // The spectral scheme conserves the tracer's mean exactly; in float32 snapshots to about 1e-6.
            let mass0 = set.targets[(1024 * first)..<(1024 * first + 1024)].reduce(0, +)
            let mass1 = set.targets[(1024 * last)..<(1024 * last + 1024)].reduce(0, +)
            #expect(abs(mass1 - mass0) <= 1e-4 * mass0, "mass \(mass0) -> \(mass1)")
            #expect((set.targets[(1024 * first)..<(1024 * first + 1024)].max() ?? 0) > 0.5)
        }
    }
}
