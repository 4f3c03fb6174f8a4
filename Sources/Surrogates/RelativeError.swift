/// The relative L2 error of a prediction, sample by sample: `||y_i - t_i||_2 / ||t_i||_2`, averaged over the
/// samples (the Melissa study's validation measure). A sample whose target is all zeros contributes its absolute
/// error instead (no division by zero).
public func meanRelativeL2Error(predictions: some Collection<Float>, targets: some Collection<Float>, samples: Int) -> Double {
    precondition(samples >= 1 && predictions.count == targets.count && targets.count % samples == 0,
                 "relative error of \(predictions.count) predictions against \(targets.count) targets in \(samples) samples")
    let width = targets.count / samples
    var total = 0.0
    var p = predictions.makeIterator(), t = targets.makeIterator()
    for _ in 0..<samples {
        var diff = 0.0, norm = 0.0
        for _ in 0..<width {
            guard let y = p.next(), let x = t.next() else { break }
            let d = Double(y) - Double(x)
            diff += d * d
            norm += Double(x) * Double(x)
        }
        total += norm > 0 ? (diff / norm).squareRoot() : diff.squareRoot()
    }
    return total / Double(samples)
}
