import CHDF5

/// Creation and inspection of the short-lived identifiers (dataspaces, property lists) the objects use. Each
/// function returns an identifier the caller closes with `HDF5Library.release(_:with:)`, usually in a `defer`.
extension HDF5Library {
    /// `H5P_DEFAULT`, as the `hid_t` the functions take (the macro imports as `Int32`).
    static var defaultList: hid_t { chdf5_p_default() }

    /// A simple dataspace of `shape`; `maxShape` nil means fixed at `shape`, a nil entry means unlimited.
    /// The caller has checked that every size is non-negative and the ranks match.
    static func createDataspace(shape: [Int], maxShape: [Int?]? = nil, _ site: CallSite) throws -> hid_t {
        let dims = shape.map { hsize_t($0) }
        let rank = Int32(dims.count)
        guard let maxShape else {
            return try checked("H5Screate_simple", site) { H5Screate_simple(rank, dims, nil) }
        }
        let maxDims = maxShape.map { $0.map { hsize_t($0) } ?? chdf5_s_unlimited() }
        return try checked("H5Screate_simple", site) { H5Screate_simple(rank, dims, maxDims) }
    }

    /// A scalar (single-element, rank 0) dataspace.
    static func createScalarDataspace(_ site: CallSite) throws -> hid_t {
        try checked("H5Screate", site) { H5Screate(H5S_SCALAR) }
    }

    /// The current and maximum extent of a simple dataspace; a nil maximum means unlimited. Sizes that do not fit
    /// an `Int` (only a damaged file has them) are clamped rather than trapping.
    static func extent(ofDataspace space: hid_t, _ site: CallSite) throws -> (shape: [Int], maxShape: [Int?]) {
        let rank = try checked("H5Sget_simple_extent_ndims", site) { H5Sget_simple_extent_ndims(space) }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        var maxDims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 {
            try checked("H5Sget_simple_extent_dims", site) { H5Sget_simple_extent_dims(space, &dims, &maxDims) }
        }
        let unlimited = chdf5_s_unlimited()
        return (dims.map { Int(clamping: $0) }, maxDims.map { $0 == unlimited ? nil : Int(clamping: $0) })
    }

    /// The number of elements in a dataspace (1 for a scalar, 0 for a null dataspace).
    static func elementCount(ofDataspace space: hid_t, _ site: CallSite) throws -> Int {
        Int(try checked("H5Sget_simple_extent_npoints", site) { H5Sget_simple_extent_npoints(space) })
    }

    /// A link-creation property list that creates missing intermediate groups ("a/b/c" makes "a" and "a/b").
    static func createLinkCreationList(_ site: CallSite) throws -> hid_t {
        let list = try checked("H5Pcreate", site) { H5Pcreate(chdf5_p_link_create()) }
        do {
            try checked("H5Pset_create_intermediate_group", site) { H5Pset_create_intermediate_group(list, 1) }
            // Names are stored as UTF-8 so that h5py and other tools show non-ASCII names correctly.
            try checked("H5Pset_char_encoding", site) { H5Pset_char_encoding(list, H5T_CSET_UTF8) }
        } catch {
            release(list, with: H5Pclose)
            throw error
        }
        return list
    }

    /// The product of `shape`, or an `.invalidArgument` error if it overflows (a damaged file or a bad argument).
    static func product(of shape: [Int], _ site: CallSite) throws -> Int {
        try shape.reduce(1) { total, size in
            let (result, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, size >= 0 else {
                throw HDF5Error.invalidArgument(site: site, "shape \(shape) has no valid element count")
            }
            return result
        }
    }
}

extension String {
    /// Decodes NUL-terminated UTF-8 text from a C buffer (invalid UTF-8 is repaired, never trapped on).
    init(nulTerminated buffer: some Collection<CChar>) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
