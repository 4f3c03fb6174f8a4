/// An error from the HDF5 wrapper: a failed library call, a closed handle, a bad argument or a value of the wrong
/// type. Its description names the file and the object inside it, and for library failures the failing call and
/// HDF5's own innermost message (HDF5's automatic printing to stderr is switched off; see `HDF5Library`).
///
/// Match on `kind` (`error.kind == .notFound`); new kinds may be added without breaking callers.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// What sort of failure this is.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: Hashable, Sendable {
            case libraryCall, closed, notFound, invalidArgument, typeMismatch, unsupportedType
        }

        private let code: Code

        /// An HDF5 function returned a failure code; `call` names it and `stack` holds HDF5's error stack.
        public static let libraryCall = Kind(code: .libraryCall)
        /// The file or object was already closed.
        public static let closed = Kind(code: .closed)
        /// A file, object or attribute does not exist.
        public static let notFound = Kind(code: .notFound)
        /// An argument (shape, offset, count, chunk, value count) does not fit the dataset or the call.
        public static let invalidArgument = Kind(code: .invalidArgument)
        /// A stored value has a different type or shape than the one asked for.
        public static let typeMismatch = Kind(code: .typeMismatch)
        /// The stored data uses an HDF5 type this wrapper does not read (compound, reference, opaque, ...).
        public static let unsupportedType = Kind(code: .unsupportedType)

        public var description: String {
            switch code {
            case .libraryCall: "library call failed"
            case .closed: "closed"
            case .notFound: "not found"
            case .invalidArgument: "invalid argument"
            case .typeMismatch: "type mismatch"
            case .unsupportedType: "unsupported type"
            }
        }
    }

    /// What sort of failure this is.
    public let kind: Kind
    /// The HDF5 function that failed (`H5Dopen2`, ...), or nil when the wrapper itself refused the request.
    public let call: String?
    /// The file system path of the file involved.
    public let filePath: String
    /// The absolute path of the object inside the file ("/group/dataset"), or nil for file-level operations.
    public let objectPath: String?
    /// The attribute involved, if the failure concerns one.
    public let attributeName: String?
    /// What went wrong, in words: HDF5's innermost error message for library failures.
    public let message: String
    /// HDF5's error stack for library failures, innermost (where the error was detected) first; otherwise empty.
    public let stack: [String]

    private init(
        kind: Kind, call: String? = nil, site: CallSite, message: String, stack: [String] = []
    ) {
        self.kind = kind
        self.call = call
        self.filePath = site.file
        self.objectPath = site.object
        self.attributeName = site.attribute
        self.message = message
        self.stack = stack
    }

    /// "H5Dopen2 failed for '/run/u' in file '/data/a.h5': object 'u' doesn't exist ...", or without a call,
    /// "attribute 'dt' of '/' in file '/data/a.h5': no such attribute".
    public var description: String {
        var subject = attributeName.map { "attribute '\($0)' of " } ?? ""
        if let objectPath {
            subject += "'\(objectPath)' in file '\(filePath)'"
        } else {
            subject += "file '\(filePath)'"
        }
        let text = call.map { "\($0) failed for \(subject)" } ?? subject
        return text + ": " + message
    }

    // MARK: Constructors

    static func libraryCall(_ call: String, site: CallSite, stack: [String]) -> HDF5Error {
        let message = stack.first ?? "HDF5 reported a failure but left no message on its error stack"
        return HDF5Error(kind: .libraryCall, call: call, site: site, message: message, stack: stack)
    }

    static func closed(site: CallSite) -> HDF5Error {
        HDF5Error(kind: .closed, site: site, message: "the handle was already closed")
    }

    static func notFound(site: CallSite, _ message: String, stack: [String] = []) -> HDF5Error {
        HDF5Error(kind: .notFound, site: site, message: message, stack: stack)
    }

    static func invalidArgument(site: CallSite, _ message: String) -> HDF5Error {
        HDF5Error(kind: .invalidArgument, site: site, message: message)
    }

    static func typeMismatch(site: CallSite, _ message: String) -> HDF5Error {
        HDF5Error(kind: .typeMismatch, site: site, message: message)
    }

    static func unsupportedType(site: CallSite, _ message: String) -> HDF5Error {
        HDF5Error(kind: .unsupportedType, site: site, message: message)
    }
}

/// Where a call happens, for error messages: the file and, unless the call is about the whole file, the object.
struct CallSite: Sendable {
    var file: String
    var object: String?
    var attribute: String? = nil
}
