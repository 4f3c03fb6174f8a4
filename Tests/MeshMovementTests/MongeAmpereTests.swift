import Meshes
@testable import MeshMovement
import Testing
import Foundation

@Suite("MeshMovement: P1 operators and Monge-Ampere relaxation")
struct MongeAmpereTests {
    @Test("mass matrix integrates to the area; stiffness annihilates constants and gives |grad u|^2 for linear u")
    func p1Operators() throws {
        let ops = P1Operators(mesh: try TriangleMesh.rectangle(nx: 6, ny: 4, upper: SIMD2(2, 1)))
        #expect(abs(ops.mass.values.reduce(0, +) - 2) < 1e-13)
        let ones = [Double](repeating: 1, count: ops.mesh.vertexCount)
        var y = ones
        ops.stiffness.multiply(ones, into: &y)
        #expect(y.allSatisfy { abs($0) < 1e-12 })
        let u = ops.mesh.vertices.map { 3 * $0.x - 2 * $0.y }
        ops.stiffness.multiply(u, into: &y)
        #expect(abs(ConjugateGradient.dot(u, y) - 13 * 2) < 1e-11)
    }

    @Test("recovered gradient and Hessian are exact for a linear function and close for a quadratic in the interior")
    func recovery() throws {
        let ops = P1Operators(mesh: try TriangleMesh.rectangle(nx: 16, ny: 16))
        let lin = ops.mesh.vertices.map { 0.5 * $0.x + 2 * $0.y }
        let g = ops.recoverGradient(lin)
        #expect(g.x.allSatisfy { abs($0 - 0.5) < 1e-10 } && g.y.allSatisfy { abs($0 - 2) < 1e-10 })
        let quad = ops.mesh.vertices.map { $0.x * $0.x + 3 * $0.x * $0.y }
        let h = ops.recoverHessian(quad)
        let centre = 8 * 17 + 8
        #expect(abs(h[0][centre] - 2) < 5e-3)
        #expect(abs(h[1][centre] - 3) < 5e-3)
        #expect(abs(h[3][centre]) < 5e-3)
    }

    @Test("a constant monitor leaves the mesh where it is")
    func constantMonitor() throws {
        let mesh = try TriangleMesh.rectangle(nx: 8, ny: 8)
        let mover = MongeAmpereMover(mesh: mesh)
        let report = mover.move { _ in 3 }
        #expect(report.converged && report.iterations == 0)
        #expect(zip(mover.physical, mesh.vertices).allSatisfy { ($0 - $1).max() == 0 && ($0 - $1).min() == 0 })
    }

    /// movement's demo monge_ampere1.py: UnitSquareMesh(20, 20) (diagonal "left"), ring monitor a = 20, b = 200,
    /// gamma = r^2 = 0.15. movement's first iteration prints volume ratio 11.49, variation 0.971, residual 0.939, and
    /// its converged mesh 8.84 and 0.348 (quasi-Newton, rtol 1e-8); the issue quotes 9.19 and 0.349 for the
    /// relaxation method. Here (relaxation, dtau 0.05, rtol 1e-3): 119 iterations, 8.89 and 0.348.
    @Test("20x20 ring monitor (movement's demo): converges untangled with movement's equidistribution figures")
    func ringDemo() throws {
        let mesh = try TriangleMesh.rectangle(nx: 20, ny: 20, diagonal: .left)
        let mover = MongeAmpereMover(mesh: mesh)
        var first: MongeAmpereMover.Equidistribution?
        let report = mover.move(monitor: Monitors.ring()) { iteration, _ in
            if iteration == 0 { first = mover.equidistribution() }
        }
        #expect(report.converged)
        #expect(report.iterations < 200)
        #expect(report.tangledCount == 0)
        #expect(MeshQuality.summary(mover.physicalMesh).invertedCount == 0)
        let start = try #require(first)
        #expect(abs(start.volumeRatio - 11.49) < 0.01 && abs(start.coefficientOfVariation - 0.971) < 0.001)
        // Boundary vertices stay on their sides; corners stay put.
        for (i, p) in mover.physical.enumerated() where mesh.vertices[i].x == 0 || mesh.vertices[i].x == 1 {
            #expect(p.x == mesh.vertices[i].x)
        }
        #expect(mover.physical[0] == SIMD2(0, 0) && mover.physical[440] == SIMD2(1, 1))
        let e = report.equidistribution
        #expect(abs(e.volumeRatio - 8.84) < 0.1)
        #expect(abs(e.coefficientOfVariation - 0.348) < 0.002)
    }

    /// The variant, r = 0.4 (r^2 = 0.16): also untangled and converged.
    @Test("ring of radius 0.4 converges without tangling")
    func ringRadius04() throws {
        let mover = MongeAmpereMover(mesh: try TriangleMesh.rectangle(nx: 20, ny: 20))
        let report = mover.move(monitor: Monitors.ring(radiusSquared: 0.16))
        #expect(report.converged && report.tangledCount == 0)
        #expect(report.equidistribution.volumeRatio < 10 && report.equidistribution.coefficientOfVariation < 0.4)
    }
}

@Suite("MeshMovement: rotated domains and point location")
struct RotatedDomainTests {
    /// Monge-Ampere is invariant under rotation; on a square rotated by 30 degrees the boundary vertices slide along
    /// slanted segments (not axis-aligned), and the figures match the unrotated run.
    @Test("a rotated square gives the same moved mesh, rotated, with boundary vertices on their slanted sides")
    func rotationInvariance() throws {
        let square = try TriangleMesh.rectangle(nx: 12, ny: 12)
        let angle = Double.pi / 6, c = cos(angle), s = sin(angle)
        func rotate(_ p: SIMD2<Double>) -> SIMD2<Double> { SIMD2(c * p.x - s * p.y, s * p.x + c * p.y) }
        var rotated = square
        rotated.vertices = square.vertices.map(rotate)
        let monitor = Monitors.ring(radiusSquared: 0.1, amplitude: 10, sharpness: 50)
        let centre = rotate(SIMD2(0.5, 0.5))
        let a = MongeAmpereMover(mesh: square), b = MongeAmpereMover(mesh: rotated)
        let ra = a.move(monitor: monitor)
        let rb = b.move(monitor: Monitors.ring(centre: centre, radiusSquared: 0.1, amplitude: 10, sharpness: 50))
        #expect(ra.converged && rb.converged && rb.tangledCount == 0)
        #expect(ra.iterations == rb.iterations)
        #expect(abs(ra.equidistribution.volumeRatio - rb.equidistribution.volumeRatio) < 1e-6)
        for i in square.vertices.indices {
            let d = rotate(a.physical[i]) - b.physical[i]
            #expect(abs(d.x) < 1e-8 && abs(d.y) < 1e-8)
            // Vertices of the side x = 0 stay on the rotated line through the origin with direction (-s, c).
            if square.vertices[i].x == 0 {
                let p = b.physical[i]
                #expect(abs(p.x * c + p.y * s) < 1e-12)
            }
        }
        #expect(b.physical[0] == rotated.vertices[0])
    }

    @Test("the point locator finds the triangle holding a point and interpolates P1 data exactly for linear data")
    func locator() throws {
        let mesh = try TriangleMesh.rectangle(nx: 7, ny: 5, lower: SIMD2(-1, 2), upper: SIMD2(3, 4))
        let locator = PointLocator(mesh: mesh)
        let values = mesh.vertices.map { 2 * $0.x - 3 * $0.y + 1 }
        for p in [SIMD2(-1.0, 2.0), SIMD2(0.37, 3.21), SIMD2(3.0, 4.0), SIMD2(2.99, 2.01), SIMD2(3.5, 4.5)] {
            let q = pointwiseMin(pointwiseMax(p, SIMD2(-1, 2)), SIMD2(3, 4))
            #expect(abs(locator.interpolate(vertexValues: values, at: p) - (2 * q.x - 3 * q.y + 1)) < 1e-12)
        }
    }
}
