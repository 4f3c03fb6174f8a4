import Foundation

/// Polls `condition` every 10 ms until it holds or `seconds` pass; returns whether it held.
public func waitUntil(seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return try condition()
}

/// Bytes whose value at index i is a simple function of (i, seed), so corruption or reordering is visible.
public func patternedBytes(count: Int, seed: UInt64) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    var x = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    for i in 0..<count {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        out[i] = UInt8(truncatingIfNeeded: x)
    }
    return out
}

/// A unique path for an ipc:// endpoint under the temporary directory.
public func uniqueIPCEndpoint(_ tag: String = "sluice") -> String {
    "ipc://\(NSTemporaryDirectory())\(tag)-\(UUID().uuidString.prefix(8)).ipc"
}
