import Testing
import SolverKit

@Suite("Complex")
struct ComplexTests {
    @Test("arithmetic follows the textbook formulas")
    func arithmetic() {
        let a = Complex<Double>(1, 2), b = Complex<Double>(3, -4)
        #expect(a + b == Complex(4, -2))
        #expect(a - b == Complex(-2, 6))
        #expect(a * b == Complex(11, 2))                    // (1 + 2i)(3 - 4i) = 3 - 4i + 6i + 8
        #expect(((a / b) - Complex(-0.2, 0.4)).length < 1e-16) // (1 + 2i)(3 + 4i) / 25
        #expect(-a == Complex(-1, -2))
        #expect(a.conjugate == Complex(1, -2))
        #expect(Complex<Double>.i * .i == Complex(-1, 0))
        #expect(2 * a == Complex(2, 4))
    }

    @Test("length is exact for 3-4-5 and does not overflow")
    func length() {
        #expect(Complex<Double>(3, 4).length == 5)
        #expect(abs(Complex<Double>(3e300, 4e300).length / 5e300 - 1) < 1e-15)
        #expect(Complex<Float>(0, -2).length == 2)
        #expect(Complex<Double>(3, -4).description == "3.0 - 4.0i")
    }
}
