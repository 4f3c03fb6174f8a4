import ArgumentParser
import Clients
import Foundation
import Transport

/// `sluice keys`: CURVE key management for authenticated, encrypted connections.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Generate, list and revoke CURVE keys (server key, and per-role allow-lists).",
        discussion: """
            A key directory holds server.key/server.pub, allow/{solver,trainer,admin}.keys, revoked.keys and the \
            peers' key pairs. Start the server with `sluice serve --curve-dir DIR`; give each peer its NAME.key \
            (mode 0600) and server.pub, e.g. `sluice synth --curve-key DIR/member-0.key --server-key DIR/server.pub`.
            """,
        subcommands: [Generate.self, List.self, Revoke.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the key directory and server key if needed, and a key pair for a peer.")

        @Option(help: "The key directory.")
        var dir: String

        @Option(help: "Name of the peer's key (omit to create only the server key).")
        var name: String?

        @Option(help: "Role of the peer: solver, trainer or admin.")
        var role = "solver"

        func run() throws {
            let keys = KeyDirectory(dir)
            try keys.initialise()
            print("server public key: \(try CurveKeyFile.readPublic(keys.serverPublicKeyPath)) (\(keys.serverPublicKeyPath))")
            if let name {
                let pair = try keys.generate(name: name, role: role)
                print("\(role) key '\(name)': \(pair.publicKey) (\(dir)/\(name).key, mode 0600; allowed in \(keys.allowListPath(role)))")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the allowed and revoked keys.")

        @Option(help: "The key directory.")
        var dir: String

        func run() throws {
            let keys = KeyDirectory(dir)
            let lists = try keys.load()
            print("server \(try CurveKeyFile.readPublic(keys.serverPublicKeyPath))")
            for role in KeyDirectory.roles {
                for (key, name) in (lists.allowed[role] ?? [:]).sorted(by: { $0.value < $1.value }) {
                    print("\(role.padding(toLength: 8, withPad: " ", startingAt: 0)) \(key) \(name)")
                }
            }
            for (key, name) in lists.revoked.sorted(by: { $0.value < $1.value }) { print("revoked  \(key) \(name)") }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by name or public key; a running server refuses it from its next connection.")

        @Option(help: "The key directory.")
        var dir: String

        @Argument(help: "Key name or Z85 public key.")
        var key: String

        func run() throws {
            for (k, name) in try KeyDirectory(dir).revoke(key) { print("revoked \(name) \(k)") }
        }
    }
}

/// CURVE options of a client command.
struct CurveOptions: ParsableArguments {
    @Option(help: "This peer's secret key file (NAME.key, mode 0600); enables CURVE.")
    var curveKey: String?

    @Option(help: "The server's public key file (server.pub).")
    var serverKey: String?

    func keys() throws -> CurveClientKeys? {
        guard let curveKey else {
            if serverKey != nil { throw ValidationError("--server-key needs --curve-key") }
            return nil
        }
        guard let serverKey else { throw ValidationError("--curve-key needs --server-key (the server's server.pub)") }
        do {
            return CurveClientKeys(serverPublicKey: try CurveKeyFile.readPublic(serverKey), keys: try CurveKeyFile.readSecret(curveKey))
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
