import Testing
import SolverKit

@Suite("AlignedBuffer")
struct AlignedBufferTests {
    @Test("complex values have the interleaved (re, im) layout FFTW and LAPACK expect")
    func complexLayoutMatchesC() {
        #expect(MemoryLayout<Complex<Double>>.size == 16)
        #expect(MemoryLayout<Complex<Double>>.stride == 16)
        #expect(MemoryLayout<Complex<Float>>.stride == 8)
        #expect(MemoryLayout<Complex<Double>>.offset(of: \.re) == 0)
        #expect(MemoryLayout<Complex<Double>>.offset(of: \.im) == 8)
        let values = [Complex<Double>(1, 2), Complex(3, 4)]
        let reals = values.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        #expect(reals == [1, 2, 3, 4])
    }

    @Test("storage is SIMD-aligned for every element type and size", arguments: [0, 1, 3, 17, 1000])
    func storageIsAligned(count: Int) {
        #expect(AlignedBuffer<Double>(count: count).isSIMDAligned)
        #expect(AlignedBuffer<Float>(count: count).isSIMDAligned)
        #expect(AlignedBuffer<Complex<Double>>(count: count).isSIMDAligned)
        #expect(AlignedBuffer<Complex<Float>>(count: count).isSIMDAligned)
    }

    @Test("a new buffer is zeroed and behaves as a mutable random-access collection")
    func collectionBehaviour() {
        let buffer = AlignedBuffer<Double>(count: 5)
        #expect(Array(buffer) == [0, 0, 0, 0, 0])
        buffer[2] = 7
        buffer.withUnsafeMutableBufferPointer { $0[4] = -1 }
        #expect(Array(buffer) == [0, 0, 7, 0, -1])
        #expect(buffer.reduce(0, +) == 6)
        buffer.fill(with: 2)
        #expect(Array(buffer) == [2, 2, 2, 2, 2])
    }

    @Test("copy() duplicates the storage; assigning the class shares it")
    func copySemantics() {
        let original = AlignedBuffer<Float>([1, 2, 3])
        let shared = original
        let copied = original.copy()
        original[0] = 10
        #expect(shared[0] == 10)
        #expect(Array(copied) == [1, 2, 3])
        copied.assign(from: [4, 5, 6])
        #expect(Array(copied) == [4, 5, 6])
        #expect(Array(AlignedBuffer(repeating: Complex<Double>(1, -1), count: 2)) == [Complex(1, -1), Complex(1, -1)])
    }

    @Test("out-of-range subscripts stop the process")
    func outOfRangeTraps() async {
        await #expect(processExitsWith: .failure) {
            let buffer = AlignedBuffer<Double>(count: 3)
            buffer[3] = 1
        }
    }
}
