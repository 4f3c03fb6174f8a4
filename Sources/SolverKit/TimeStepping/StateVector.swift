/// A solver state that time steppers can combine linearly without knowing its layout: one field
/// (`AlignedBuffer<Double>`, `AlignedBuffer<Complex<Double>>`) or a class holding several.
///
/// States are reference types updated in place, so a stepper allocates its stage storage once (``makeZero()``) and
/// never copies a large field per step.
public protocol StateVector: AnyObject {
    /// A new state of the same shape, all zeros (stage storage for steppers).
    func makeZero() -> Self
    /// `self = other`.
    func assign(_ other: Self)
    /// `self += factor * other`.
    func add(_ other: Self, scaledBy factor: Double)
    /// `self *= factor`.
    func scale(by factor: Double)
}

/// Elements whose memory is `doublesPerElement` consecutive `Double`s (real and complex double precision), so
/// state arithmetic runs on one flat, vectorisable loop.
public protocol DoubleComposed: BitwiseCopyable, AdditiveArithmetic {
    static var doublesPerElement: Int { get }
}

extension Double: DoubleComposed {
    public static var doublesPerElement: Int { 1 }
}

extension Complex: DoubleComposed where Real == Double {
    public static var doublesPerElement: Int { 2 }
}

extension AlignedBuffer: StateVector where Element: DoubleComposed {
    public func makeZero() -> AlignedBuffer<Element> {
        AlignedBuffer(repeating: .zero, count: count)
    }

    public func assign(_ other: AlignedBuffer<Element>) {
        precondition(other.count == count, "assigning a state of \(other.count) values to one of \(count)")
        base.update(from: other.base, count: count)
    }

    public func add(_ other: AlignedBuffer<Element>, scaledBy factor: Double) {
        precondition(other.count == count, "adding a state of \(other.count) values to one of \(count)")
        let n = count * Element.doublesPerElement
        base.withMemoryRebound(to: Double.self, capacity: n) { y in
            other.base.withMemoryRebound(to: Double.self, capacity: n) { x in
                for i in 0..<n { y[i] += factor * x[i] }
            }
        }
    }

    public func scale(by factor: Double) {
        let n = count * Element.doublesPerElement
        base.withMemoryRebound(to: Double.self, capacity: n) { y in
            for i in 0..<n { y[i] *= factor }
        }
    }
}
