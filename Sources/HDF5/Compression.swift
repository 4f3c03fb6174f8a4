import CHDF5

/// How a chunked dataset's chunks are compressed when written through HDF5.
public struct Compression: Sendable, Hashable, CustomStringConvertible {
    /// The zlib level, 0 (store) to 9 (smallest), or nil for no compression.
    public let deflateLevel: Int?
    /// Whether the byte-shuffle filter runs before deflate (groups the bytes of each element by significance,
    /// which usually helps floating-point fields).
    public let shuffle: Bool

    /// No filters: chunks are stored as they are.
    public static let none = Compression(deflateLevel: nil, shuffle: false)

    /// The gzip filter h5py calls `compression="gzip"`, at `level` (0...9), after the shuffle filter unless
    /// `shuffle` is false. The level is checked when the dataset is created.
    public static func deflate(level: Int = 4, shuffle: Bool = true) -> Compression {
        Compression(deflateLevel: level, shuffle: shuffle)
    }

    /// The filter pipeline this compression produces, in order.
    public var filters: [Filter] {
        guard let deflateLevel else { return [] }
        return (shuffle ? [.shuffle] : []) + [.deflate(level: deflateLevel)]
    }

    public var description: String {
        guard let deflateLevel else { return "none" }
        return "deflate(level: \(deflateLevel)\(shuffle ? ", shuffle" : ""))"
    }
}

/// One filter in a dataset's filter pipeline, as reported by `Dataset.filters`.
public enum Filter: Sendable, Hashable {
    /// HDF5's byte shuffle (filter id 2).
    case shuffle
    /// zlib deflate (filter id 1) at a level 0...9.
    case deflate(level: Int)
    /// Any other filter (Fletcher32, szip, a plugin such as LZF or Blosc), with HDF5's id and name for it.
    case other(id: Int, name: String)
}

/// Which filters of a dataset's pipeline were skipped for one raw chunk: bit `i` set means filter `i` (in
/// `Dataset.filters` order) was not applied to the chunk's bytes, so reading will not undo it either.
/// The empty mask means every filter was applied.
public struct FilterMask: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Every filter skipped: the chunk's bytes are the raw little-endian elements.
    public static let allFiltersSkipped = FilterMask(rawValue: .max)

    /// The mask saying that the filter at `index` in the pipeline was skipped.
    public static func skipping(filterAt index: Int) -> FilterMask {
        precondition((0..<32).contains(index), "HDF5 filter masks cover filters 0..<32, not \(index)")
        return FilterMask(rawValue: 1 << UInt32(index))
    }

    /// Whether this mask skips every one of the first `filterCount` filters.
    func skipsAll(of filterCount: Int) -> Bool {
        (0..<min(filterCount, 32)).allSatisfy { rawValue & (1 << UInt32($0)) != 0 }
    }
}

extension Compression {
    /// Adds this compression's filters to a dataset-creation property list, after checking the level.
    func apply(to creationList: hid_t, _ site: CallSite) throws {
        guard let deflateLevel else { return }
        guard (0...9).contains(deflateLevel) else {
            throw HDF5Error.invalidArgument(site: site, "deflate level \(deflateLevel) is outside 0...9")
        }
        if shuffle {
            try HDF5Library.checked("H5Pset_shuffle", site) { H5Pset_shuffle(creationList) }
        }
        try HDF5Library.checked("H5Pset_deflate", site) { H5Pset_deflate(creationList, UInt32(deflateLevel)) }
    }
}
