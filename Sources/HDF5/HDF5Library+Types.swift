import CHDF5

/// The non-numeric HDF5 datatypes attributes use. Each function returns a new type the caller closes with
/// `HDF5Library.release(_:with: H5Tclose)`.
extension HDF5Library {
    /// Variable-length UTF-8 strings, which h5py writes by default and reads back as `str`.
    static func createUTF8StringType(_ site: CallSite) throws -> hid_t {
        let type = try checked("H5Tcopy", site) { H5Tcopy(chdf5_c_s1()) }
        do {
            try checked("H5Tset_size", site) { H5Tset_size(type, chdf5_t_variable()) }
            try checked("H5Tset_cset", site) { H5Tset_cset(type, H5T_CSET_UTF8) }
        } catch {
            release(type, with: H5Tclose)
            throw error
        }
        return type
    }

    /// The names of h5py's boolean enum members, in value order (FALSE = 0, TRUE = 1).
    static let booleanMemberNames = ["FALSE", "TRUE"]

    /// h5py's boolean type: an enum with base `int8` and members FALSE = 0, TRUE = 1, which h5py and numpy read
    /// as `numpy.bool_`.
    static func createBooleanType(_ site: CallSite) throws -> hid_t {
        let type = try checked("H5Tenum_create", site) { H5Tenum_create(chdf5_native_int8()) }
        do {
            for (value, name) in booleanMemberNames.enumerated() {
                var member = Int8(value)
                try checked("H5Tenum_insert", site) { H5Tenum_insert(type, name, &member) }
            }
        } catch {
            release(type, with: H5Tclose)
            throw error
        }
        return type
    }

    /// The member names of an enum type, in member order.
    static func enumMemberNames(of type: hid_t, _ site: CallSite) throws -> [String] {
        let count = try checked("H5Tget_nmembers", site) { H5Tget_nmembers(type) }
        return try (0..<UInt32(count)).map { index in
            let name = try checked("H5Tget_member_name", site, failsWhen: { $0 == nil }) {
                H5Tget_member_name(type, index)
            }
            guard let name else { return "" }
            defer { locked { _ = H5free_memory(name) } }
            return String(cString: name)
        }
    }
}
