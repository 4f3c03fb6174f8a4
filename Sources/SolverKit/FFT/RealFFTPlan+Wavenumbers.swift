extension RealFFTPlan {
    /// The integer wavenumber of each spectral index along `axis`, in the order the spectrum stores them.
    ///
    /// For the last (halved) axis of extent `n` these are `0, 1, ..., n/2` (`n/2 + 1` values). For every other axis
    /// they are FFTW's order `0, 1, ..., ceil(n/2) - 1, -floor(n/2), ..., -1`, as `numpy.fft.fftfreq(n) * n`: for even
    /// `n` the Nyquist index `n/2` reports `-n/2`. Multiply by `2 pi / L` for a physical wavenumber on a
    /// domain of length `L`.
    ///
    /// - Precondition: `0 <= axis < shape.count`.
    public func wavenumbers(axis: Int) -> [Int] {
        precondition(shape.indices.contains(axis), "axis \(axis) is out of range for shape \(shape)")
        let n = shape[axis]
        if axis == shape.count - 1 { return Array(0...(n / 2)) }
        return (0..<n).map { i in i < (n + 1) / 2 ? i : i - n }
    }
}
