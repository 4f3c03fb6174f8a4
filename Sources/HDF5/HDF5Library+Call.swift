import CHDF5
import Foundation

/// The lock around every HDF5 call and the checking function every call goes through (see `HDF5Library`).
extension HDF5Library {
    /// The one lock held around every HDF5 call. Recursive so that code already holding it (an error-stack walk, a
    /// `deinit` running inside a locked region) cannot deadlock.
    static let lock = NSRecursiveLock()

    /// Whether the linked library was built thread-safe. In such builds HDF5 keeps one error stack, and one
    /// "print errors automatically" setting, per thread.
    ///
    /// Evaluated once, under `lock`, by the first call; it also switches off printing for that thread.
    private static let isThreadSafe: Bool = {
        // A library that cannot initialize fails the first real call, which reports it; nothing to do here.
        _ = H5open()
        _ = H5Eset_auto2(chdf5_e_default(), nil, nil)
        var threadSafe: hbool_t = false
        // If the query fails, assume per-thread settings: silencing before every call is then merely redundant.
        return H5is_library_threadsafe(&threadSafe) < 0 || threadSafe
    }()

    /// Stops HDF5 from printing its error stack to stderr: failures are read from the stack and thrown instead.
    /// Done once at startup, and again before each call when the build keeps that setting per thread (a thread
    /// HDF5 has not seen yet would otherwise print). Must be called with `lock` held.
    private static func silenceAutomaticErrorPrinting() {
        if isThreadSafe {
            _ = H5Eset_auto2(chdf5_e_default(), nil, nil)
        }
    }

    /// Runs one HDF5 call under the library lock and turns a negative result into a thrown `HDF5Error` carrying
    /// HDF5's error stack, the call's name and `site`.
    @discardableResult
    static func checked<Result: SignedInteger>(
        _ call: String, _ site: CallSite, _ body: () throws -> Result
    ) throws -> Result {
        try checked(call, site, failsWhen: { $0 < 0 }, body)
    }

    /// Runs one HDF5 call under the library lock; `failsWhen` says which results mean failure (a null pointer, a
    /// zero size, a negative enum value), in which case HDF5's error stack is read and thrown.
    static func checked<Result>(
        _ call: String, _ site: CallSite, failsWhen failed: (Result) -> Bool, _ body: () throws -> Result
    ) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        silenceAutomaticErrorPrinting()
        let result = try body()
        if failed(result) {
            throw HDF5Error.libraryCall(call, site: site, stack: takeErrorStack())
        }
        return result
    }

    /// Runs HDF5 calls whose results are checked by the caller (queries where a failure reads as "no"), under the
    /// library lock. HDF5's error stack is cleared afterwards so that nothing leaks into the next checked call.
    static func locked<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock.lock()
        defer {
            _ = H5Eclear2(chdf5_e_default())
            lock.unlock()
        }
        silenceAutomaticErrorPrinting()
        return try body()
    }

    /// Closes a temporary identifier (a dataspace, datatype, property list or attribute) whose close result cannot
    /// be acted on. Long-lived objects use `Object.close()`, which does report failures.
    static func release(_ id: hid_t, with close: (hid_t) -> herr_t) {
        lock.lock()
        defer { lock.unlock() }
        silenceAutomaticErrorPrinting()
        if close(id) < 0 {
            _ = H5Eclear2(chdf5_e_default())
        }
    }

    /// Reads this thread's HDF5 error stack, innermost entry first, as "description (minor message) [function]",
    /// then clears it. Must be called with `lock` held.
    private static func takeErrorStack() -> [String] {
        let collector = ErrorStackCollector()
        let walker: H5E_walk2_t = { _, entry, clientData in
            guard let entry, let clientData else { return 0 }
            let collector = Unmanaged<ErrorStackCollector>.fromOpaque(clientData).takeUnretainedValue()
            collector.entries.append(
                ErrorStackCollector.Entry(
                    function: entry.pointee.func_name.map { String(cString: $0) } ?? "?",
                    description: entry.pointee.desc.map { String(cString: $0) } ?? "",
                    minor: entry.pointee.min_num
                )
            )
            return 0
        }
        withExtendedLifetime(collector) {
            let clientData = Unmanaged.passUnretained(collector).toOpaque()
            _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_UPWARD, walker, clientData)
        }
        _ = H5Eclear2(chdf5_e_default())
        return collector.entries.map { entry in
            let minor = message(for: entry.minor)
            let description = entry.description.isEmpty ? minor : entry.description
            let suffix = minor.isEmpty || minor == description ? "" : " (\(minor))"
            return "\(description)\(suffix) [\(entry.function)]"
        }
    }

    /// The text of an HDF5 major or minor error message id ("Unable to open file").
    private static func message(for id: hid_t) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { H5Eget_msg(id, nil, $0.baseAddress, $0.count) }
        return length > 0 ? String(nulTerminated: buffer) : ""
    }
}

/// Gathers the entries of an H5Ewalk2 walk; only touched under `HDF5Library.lock`, on the walking thread.
private final class ErrorStackCollector {
    struct Entry {
        var function: String
        var description: String
        var minor: hid_t
    }

    var entries: [Entry] = []
}
