import Testing
@testable import SolverKit

@Test func fftwReportsVersion3() {
    #expect(SolverKitLibraries.fftwVersion.hasPrefix("fftw-3."))
}
