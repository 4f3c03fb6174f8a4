import Foundation

/// A log-scale line plot of loss curves against the gradient step, drawn into a ``PNGImage`` with a 3x5 pixel
/// font for the axis labels and legend: no plotting library needed.
public struct LossPlot {
    public struct Series {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: (UInt8, UInt8, UInt8)
        public init(name: String, points: [(x: Double, y: Double)], color: (UInt8, UInt8, UInt8)) {
            self.name = name
            self.points = points
            self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var series: [Series]
    public var width = 800
    public var height = 500

    public init(title: String, xLabel: String = "step", series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.series = series
    }

    /// The plot as an image. Points with `y <= 0` or non-finite values are skipped (log scale).
    public func render() -> PNGImage {
        var image = PNGImage(width: width, height: height)
        let left = 70, right = width - 20, top = 40, bottom = height - 50
        let all = series.flatMap(\.points).filter { $0.y > 0 && $0.y.isFinite && $0.x.isFinite }
        let xMax = max(1, all.map(\.x).max() ?? 1), xMin = min(0, all.map(\.x).min() ?? 0)
        var lo = floor(log10(all.map(\.y).min() ?? 1e-3)), hi = ceil(log10(all.map(\.y).max() ?? 1))
        if hi <= lo { hi = lo + 1 }
        if hi - lo > 12 { lo = hi - 12 }
        func px(_ x: Double) -> Int { left + Int((x - xMin) / (xMax - xMin) * Double(right - left)) }
        func py(_ y: Double) -> Int { bottom - Int((log10(y) - lo) / (hi - lo) * Double(bottom - top)) }
        let grey: (UInt8, UInt8, UInt8) = (210, 210, 210), black: (UInt8, UInt8, UInt8) = (0, 0, 0)
        // Decade grid lines and labels.
        for d in Int(lo)...Int(hi) {
            let y = py(pow(10, Double(d)))
            for x in left...right where x % 4 == 0 { image.set(x, y, grey) }
            Self.text("1e\(d)", x: 8, y: y - 5, scale: 2, color: black, into: &image)
        }
        // x ticks at five even steps.
        for i in 0...4 {
            let value = xMin + (xMax - xMin) * Double(i) / 4
            let x = px(value)
            for y in bottom...(bottom + 5) { image.set(x, y, black) }
            let label = String(Int(value.rounded()))
            let labelX = min(max(0, x - 4 * label.count), width - 8 * label.count - 2)  // 8 pixels a character
            Self.text(label, x: labelX, y: bottom + 10, scale: 2, color: black, into: &image)
        }
        for x in left...right { image.set(x, bottom, black) }
        for y in top...bottom { image.set(left, y, black) }
        Self.text(xLabel, x: (left + right) / 2 - 20, y: height - 20, scale: 2, color: black, into: &image)
        Self.text(title, x: left, y: 10, scale: 2, color: black, into: &image)
        // Curves and legend.
        for (k, s) in series.enumerated() {
            let points = s.points.filter { $0.y > 0 && $0.y.isFinite && $0.x.isFinite }
            for (a, b) in zip(points, points.dropFirst()) {
                Self.line(px(a.x), py(max(a.y, pow(10, lo))), px(b.x), py(max(b.y, pow(10, lo))), s.color, into: &image)
            }
            if points.count == 1, let p = points.first {
                for dx in -2...2 { for dy in -2...2 { image.set(px(p.x) + dx, py(p.y) + dy, s.color) } }
            }
            let ly = top + 10 + 18 * k
            for x in (right - 200)...(right - 170) { image.set(x, ly + 4, s.color); image.set(x, ly + 5, s.color) }
            Self.text(s.name, x: right - 160, y: ly, scale: 2, color: black, into: &image)
        }
        return image
    }

    /// Bresenham's line, two pixels thick.
    static func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: (UInt8, UInt8, UInt8), into image: inout PNGImage) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        while true {
            image.set(x, y, color)
            image.set(x, y + 1, color)
            if x == x1 && y == y1 { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// Draws `string` in the 3x5 font (unknown characters as blanks), `scale` pixels per font pixel.
    static func text(_ string: String, x: Int, y: Int, scale: Int, color: (UInt8, UInt8, UInt8), into image: inout PNGImage) {
        var cx = x
        for ch in string.lowercased() {
            if let rows = font[ch] {
                for (r, bits) in rows.enumerated() {
                    for c in 0..<3 where bits & (4 >> c) != 0 {
                        for sx in 0..<scale { for sy in 0..<scale { image.set(cx + c * scale + sx, y + r * scale + sy, color) } }
                    }
                }
            }
            cx += 4 * scale
        }
    }

    /// A 3x5 font: five rows of three bits (4 = left column) per character.
    static let font: [Character: [UInt8]] = [
        "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 7, 1, 7], "4": [5, 5, 7, 1, 1],
        "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 1, 1, 1], "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7],
        "-": [0, 0, 7, 0, 0], ".": [0, 0, 0, 0, 2], "(": [1, 2, 2, 2, 1], ")": [4, 2, 2, 2, 4], ",": [0, 0, 0, 2, 4],
        "/": [1, 1, 2, 4, 4], ":": [0, 2, 0, 2, 0], "=": [0, 7, 0, 7, 0], "%": [5, 1, 2, 4, 5], "_": [0, 0, 0, 0, 7],
        "a": [2, 5, 7, 5, 5], "b": [6, 5, 6, 5, 6], "c": [7, 4, 4, 4, 7], "d": [6, 5, 5, 5, 6], "e": [7, 4, 6, 4, 7],
        "f": [7, 4, 6, 4, 4], "g": [7, 4, 5, 5, 7], "h": [5, 5, 7, 5, 5], "i": [7, 2, 2, 2, 7], "j": [1, 1, 1, 5, 7],
        "k": [5, 5, 6, 5, 5], "l": [4, 4, 4, 4, 7], "m": [5, 7, 7, 5, 5], "n": [6, 5, 5, 5, 5], "o": [7, 5, 5, 5, 7],
        "p": [7, 5, 7, 4, 4], "q": [7, 5, 5, 7, 1], "r": [6, 5, 6, 5, 5], "s": [7, 4, 7, 1, 7], "t": [7, 2, 2, 2, 2],
        "u": [5, 5, 5, 5, 7], "v": [5, 5, 5, 5, 2], "w": [5, 5, 7, 7, 5], "x": [5, 5, 2, 5, 5], "y": [5, 5, 2, 2, 2],
        "z": [7, 1, 2, 4, 7], " ": [0, 0, 0, 0, 0],
    ]
}
