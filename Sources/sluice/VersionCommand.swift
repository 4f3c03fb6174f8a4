import ArgumentParser
import HDF5
import SluiceModel
import SolverKit
import ZeroMQ

/// `sluice version`: the Sluice version and the versions of the libraries this binary links.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the Sluice version and the versions of the linked libraries."
    )

    func run() throws {
        print("sluice \(SluiceVersion.string)")
        print("libzmq \(ZeroMQLibrary.version) (CURVE \(ZeroMQLibrary.hasCurve ? "available" : "missing"))")
        print("hdf5 \(HDF5Library.version)")
        print("\(SolverKitLibraries.fftwVersion)")
        print("openblas \(SolverKitLibraries.blasConfig)")
    }
}
