import Testing
@testable import HDF5

@Test func linkedHDF5IsVersion1_10OrLater() {
    let parts = HDF5Library.version.split(separator: ".").compactMap { Int($0) }
    #expect(parts.count == 3)
    #expect(parts[0] > 1 || (parts[0] == 1 && parts[1] >= 10))
}
