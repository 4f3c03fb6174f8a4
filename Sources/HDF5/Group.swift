/// A group in an HDF5 file: a container of named links to groups and datasets, carrying attributes.
///
/// Create or open one from a `File` or another `Group` (`createGroup(_:)`, `openGroup(_:)`); everything it can do
/// is on `Container` (children, datasets) and `Object` (attributes, closing). A group keeps its file open while it
/// lives. Not `Sendable`: see `HDF5Library` on threads.
public final class Group: Container {}
