import Clients
import Foundation
import SluiceModel
import Testing
import TestSupport

/// `sluice solve` as a separate process: streaming through a real `sluice serve` over tcp://127.0.0.1.
@Suite("sluice solve end to end")
struct SolveEndToEndTests {
    /// A Taylor-Green case: omega(x, y, step) = A cos(2 pi x) cos(2 pi y) r^step, r the Crank-Nicolson factor.
    func taylorGreenCase(in directory: TemporaryDirectory) throws -> String {
        let text = """
            solver: ns2d
            name: e2e-taylor-green
            parameters:
              viscosity: 0.05
              amplitude: 1.0
            grid: {points: 16, length: 1.0}
            time: {scheme: cn-euler, dt: 1.0e-3, steps: 20}
            forcing: none
            initial_condition: {kind: taylor-green}
            output:
              every: {steps: 5}
              fields: [vorticity]
              dtype: f64
            """
        let path = directory.path("tg.yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("two members stream Taylor-Green snapshots through a server, exact to 1e-12; a relaunch resends nothing")
    func streamsThroughServer() throws {
        let cluster = try SluiceCluster()
        let path = try taylorGreenCase(in: cluster.directory)
        for (member, amplitude) in [(0, 1.0), (1, 2.5)] {
            let solve = try ChildProcess(sluiceBinary(), ["solve", path, "--member", "\(member)", "--server", cluster.solver,
                                                          "--set", "amplitude=\(amplitude)", "--quiet"],
                                         name: "solve-\(member)", directory: cluster.directory)
            #expect(solve.wait(seconds: 60) == 0, "\(solve.output)\n\(cluster.server.output)")
        }
        let relaunch = try ChildProcess(sluiceBinary(), ["solve", path, "--member", "0", "--attempt", "1",
                                                         "--server", cluster.solver, "--quiet"],
                                        name: "solve-relaunch", directory: cluster.directory)
        #expect(relaunch.wait(seconds: 60) == 0, "\(relaunch.output)")
        #expect(relaunch.stderr.contains("0 snapshots written, 5 already held by the server"), "\(relaunch.output)")

        let trainer = try TrainerClient(.init(endpoint: cluster.consumer, group: "check", batchSize: 1))
        defer { trainer.close() }
        var seen: [[UInt64]] = []
        let x = (0..<16).map { Double($0) / 16 }
        let lambda = -0.05 * 8 * Double.pi * Double.pi, dt = 1e-3
        let factor = (1 + 0.5 * dt * lambda) / (1 - 0.5 * dt * lambda)
        while seen.count < 10, let batch = try trainer.next(timeout: .seconds(10)) {
            let entry = try #require(batch.entries.first)
            let amplitude = try #require(batch.parameter("amplitude", sample: 0))
            #expect(amplitude == (entry.member == 0 ? 1.0 : 2.5))
            #expect(batch.header.fields.map(\.name) == ["vorticity"])
            let omega = try batch.field("vorticity", as: Double.self)
            let scale = amplitude * pow(factor, Double(entry.step))
            let expected = x.flatMap { xi in x.map { scale * cos(2 * Double.pi * xi) * cos(2 * Double.pi * $0) } }
            #expect(zip(omega, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "member \(entry.member) step \(entry.step)")
            #expect(entry.flags.contains(.final) == (entry.step == 20))
            seen.append([entry.member, entry.step])
        }
        #expect(Set(seen) == Set([0, 1].flatMap { m in [0, 5, 10, 15, 20].map { [UInt64(m), UInt64($0)] } }))
        let final = try cluster.stop()
        #expect(final.int("totals.samples_in") == 10, "\(final)")
    }

    @Test("a member that goes non-finite exits 1 with an error naming member, step and field")
    func nonFiniteStops() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("blowup.yaml")
        try """
            solver: advection
            name: overflow
            parameters: {amplitude: 4.0e307, centre_y: 0.5, width: 0.1}
            grid: {points: 16}
            flow: translation
            initial_condition: gaussian
            scheme: {method: finite-volume}
            time: {steps: 5}
            output: {every: {steps: 1}, dtype: f64}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let solve = try ChildProcess(sluiceBinary(), ["solve", path, "--member", "5"], directory: directory)
        #expect(solve.wait(seconds: 60) == 1, "\(solve.output)")
        #expect(solve.stderr.contains("member 5 produced NaN or Inf at step 1"), "\(solve.output)")
        #expect(solve.stderr.contains("in field 'tracer'"), "\(solve.output)")
    }

    @Test("--dry-run prints the plan and runs nothing; bad --set values exit non-zero with the name")
    func dryRunAndBadInput() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plan = try ChildProcess(sluiceBinary(), ["solve", repositoryRoot() + "/solvers/ns2d/fno.yaml", "--member", "7",
                                                     "--set", "viscosity=1e-5", "--dry-run"], directory: directory)
        #expect(plan.wait(seconds: 60) == 0, "\(plan.output)")
        #expect(plan.stdout.contains("member 7"), "\(plan.output)")
        #expect(plan.stdout.contains("viscosity=1e-05"), "\(plan.output)")
        #expect(plan.stdout.contains("seed=7"), "\(plan.output)")
        #expect(plan.stdout.contains("500000 (t = 0 to 50)"), "\(plan.output)")
        #expect(plan.stdout.contains("51 ("), "\(plan.output)")
        let bad = try ChildProcess(sluiceBinary(), ["solve", repositoryRoot() + "/solvers/ns2d/fno.yaml", "--set", "viscosty=1",
                                                    "--dry-run"], directory: directory)
        #expect(bad.wait(seconds: 60) != 0)
        #expect(bad.stderr.contains("no parameter 'viscosty'"), "\(bad.output)")
    }
}
