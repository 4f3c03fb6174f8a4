import Foundation
import SluiceModel
import SolverKit

/// Initial vorticity fields on the case's grid (point values, row-major, x along axis 0).
enum InitialVorticity {
    /// The field the case's `initial_condition` names; `file` needs `fileValues` (read by the runtime).
    static func make(_ spec: NS2DCase, parameters p: NS2DParameters, grid: PeriodicGrid,
                     fileValues: [Double]?) throws -> AlignedBuffer<Double> {
        let field = AlignedBuffer<Double>(count: grid.pointCount)
        let x = grid.coordinates(axis: 0), y = grid.coordinates(axis: 1)
        let n = grid.shape[1]
        let kappa = 2 * Double.pi * p.wavenumber / grid.lengths[0]
        switch spec.initialCondition.kind {
        case .grf:
            let grf = try GaussianRandomField(grid: grid, alpha: p.grfAlpha, tau: p.grfTau,
                                              sigma: p.grfSigma > 0 ? p.grfSigma : nil)
            var rng = Xoshiro256StarStar(seed: p.seed)
            grf.sample(using: &rng, into: field)
        case .taylorGreen:
            for i in x.indices {
                for j in y.indices { field[i * n + j] = p.amplitude * cos(kappa * x[i]) * cos(kappa * y[j]) }
            }
        case .singleMode:
            for i in x.indices {
                for j in y.indices { field[i * n + j] = p.amplitude * cos(kappa * (x[i] + y[j]) + p.phase) }
            }
        case .file:
            guard let values = fileValues else {
                throw NS2DError.initialCondition("initial_condition kind 'file' needs the file's values; none were given")
            }
            guard values.count == grid.pointCount else {
                throw NS2DError.initialCondition("the initial vorticity from \(spec.initialCondition.path ?? "the file") has \(values.count) values; the \(grid.shapeDescription) grid needs \(grid.pointCount)")
            }
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw NS2DError.initialCondition("the initial vorticity from \(spec.initialCondition.path ?? "the file") holds \(values[bad]) at flat index \(bad)")
            }
            field.assign(from: values)
        }
        return field
    }

    /// The vorticity forcing on the grid, or nil for `none`.
    static func forcing(_ spec: NS2DCase, parameters p: NS2DParameters, grid: PeriodicGrid) -> AlignedBuffer<Double>? {
        let x = grid.coordinates(axis: 0), y = grid.coordinates(axis: 1)
        let n = grid.shape[1], length = grid.lengths[0]
        let field = AlignedBuffer<Double>(count: grid.pointCount)
        switch spec.forcing {
        case .none: return nil
        case .fno:
            let k = 2 * Double.pi / length
            for i in x.indices {
                for j in y.indices {
                    let phase = k * (x[i] + y[j])
                    field[i * n + j] = p.forcingAmplitude * (sin(phase) + cos(phase))
                }
            }
        case .kolmogorov:
            let k = 2 * Double.pi * p.forcingWavenumber / length
            for i in x.indices {
                for j in y.indices { field[i * n + j] = -p.forcingAmplitude * k * cos(k * y[j]) }
            }
        }
        return field
    }
}
