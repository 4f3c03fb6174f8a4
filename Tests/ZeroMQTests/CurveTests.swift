import Foundation
import Testing
import TestSupport
@testable import ZeroMQ

@Test("generated CURVE keys are Z85 and the public key derives from the secret key")
func curveKeys() throws {
    #expect(ZeroMQLibrary.hasCurve)
    let pair = try CurveKeyPair.generate()
    #expect(pair.publicKey.count == 40 && pair.secretKey.count == 40)
    #expect(try CurveKeyPair.fromSecretKey(pair.secretKey) == pair)
    #expect(try CurveKeyPair.generate() != pair)
    #expect(throws: ZMQError.self) { try CurveKeyPair.fromSecretKey("short") }
}

/// Runs a CURVE server and a client that believes the server key is `serverKeyForClient`; returns what the
/// server received within the time-out (nil if nothing).
func curveExchange(serverKeys: CurveKeyPair, serverKeyForClient: String) throws -> [UInt8]? {
    let context = try Context()
    let server = try Socket(context, type: .pull)
    try server.setLinger(milliseconds: 0)
    try server.makeCurveServer(serverKeys)
    try server.setReceiveTimeout(milliseconds: 1500)
    let endpoint = try server.bind("tcp://127.0.0.1:*")
    let client = try Socket(context, type: .push)
    try client.setLinger(milliseconds: 0)
    try client.makeCurveClient(serverKey: serverKeyForClient, keys: try CurveKeyPair.generate())
    try client.connect(endpoint)
    try client.send(Array("secret payload".utf8), dontWait: true)
    return try server.receive()?.bytes
}

@Test("a CURVE client with the right server key connects; one with a wrong key is refused")
func curveAuthentication() throws {
    let serverKeys = try CurveKeyPair.generate()
    #expect(try curveExchange(serverKeys: serverKeys, serverKeyForClient: serverKeys.publicKey) == Array("secret payload".utf8))
    let wrong = try CurveKeyPair.generate().publicKey
    #expect(try curveExchange(serverKeys: serverKeys, serverKeyForClient: wrong) == nil)
}

@Test("a plain client cannot talk to a CURVE server")
func plainClientRefused() throws {
    let context = try Context()
    let server = try Socket(context, type: .pull)
    try server.setLinger(milliseconds: 0)
    try server.makeCurveServer(try CurveKeyPair.generate())
    try server.setReceiveTimeout(milliseconds: 1000)
    let endpoint = try server.bind("tcp://127.0.0.1:*")
    let client = try Socket(context, type: .push)
    try client.setLinger(milliseconds: 0)
    try client.connect(endpoint)
    try client.send([1, 2, 3], dontWait: true)
    #expect(try server.receive() == nil)
}
