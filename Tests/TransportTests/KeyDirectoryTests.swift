import Foundation
import Testing
import TestSupport
@testable import Transport
import ZeroMQ

@Test("a key directory generates, lists and revokes keys, and refuses secret keys that others can read")
func keyDirectoryLifecycle() throws {
    let scratch = try TemporaryDirectory(prefix: "sluice-keys")
    defer { scratch.remove() }
    let dir = KeyDirectory(scratch.path("keys"))
    let solver = try dir.generate(name: "member-1", role: "solver")
    let trainer = try dir.generate(name: "fno", role: "trainer")
    #expect(try CurveKeyFile.readSecret(dir.path + "/member-1.key") == solver)
    #expect(try CurveKeyFile.readPublic(dir.path + "/fno.pub") == trainer.publicKey)
    #expect(try CurveKeyFile.readSecret(dir.serverKeyPath).publicKey == (try CurveKeyFile.readPublic(dir.serverPublicKeyPath)))
    var lists = try dir.load()
    #expect(lists.allowed["solver"] == [solver.publicKey: "member-1"])
    #expect(lists.allowed["trainer"] == [trainer.publicKey: "fno"])
    #expect(throws: KeyError.self) { try dir.generate(name: "member-1", role: "solver") }
    #expect(throws: KeyError.self) { try dir.generate(name: "x", role: "root") }

    let revoked = try dir.revoke(solver.publicKey)
    #expect(revoked.map(\.name) == ["member-1"])
    lists = try dir.load()
    #expect(lists.allowed["solver"]?.isEmpty == true)
    #expect(lists.revoked == [solver.publicKey: "member-1"])
    #expect(throws: KeyError.self) { try dir.revoke("nobody") }

    // Secret key files must be private.
    let path = dir.path + "/fno.key"
    var info = stat()
    #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    chmod(path, 0o644)
    #expect { _ = try CurveKeyFile.readSecret(path) } throws: { "\($0)".contains("chmod 600 \(path)") && "\($0)".contains("644") }
}

@Test("Z85 round-trips binary keys")
func z85RoundTrip() throws {
    let pair = try CurveKeyPair.generate()
    let raw = try #require(Z85.decode(pair.publicKey))
    #expect(raw.count == 32)
    #expect(Z85.encode(raw) == pair.publicKey)
    #expect(Z85.encode([1, 2, 3]) == nil)
}
