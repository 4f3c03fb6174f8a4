import Foundation
import SluiceModel
import Testing
import TestSupport
@testable import Wire

let fixtureDirectory = repositoryRoot() + "/schemas/wire/fixtures"

/// Set SLUICE_REGENERATE_FIXTURES=1 to rewrite the golden files from the encoder (then review the diff).
@Test("golden fixture files hold exactly what the encoder produces")
func fixturesMatchEncoder() throws {
    let regenerate = ProcessInfo.processInfo.environment["SLUICE_REGENERATE_FIXTURES"] == "1"
    if regenerate {
        try FileManager.default.createDirectory(atPath: fixtureDirectory, withIntermediateDirectories: true)
    }
    for fixture in allFixtures {
        #expect(!fixture.frames.isEmpty, "fixture \(fixture.name) has no frames")
        let path = "\(fixtureDirectory)/\(fixture.name).bin"
        if regenerate { try FrameFile.write(fixture.frames, to: path) }
        let onDisk = try FrameFile.read(path)
        #expect(onDisk == fixture.frames, "fixture \(fixture.name) differs from the encoder's output")
    }
    if regenerate { try writeManifest() }
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(fixtureDirectory)/manifest.json"))) as? [[String: Any]]
    #expect(manifest?.count == allFixtures.count)
}

func writeManifest() throws {
    let rows: [[String: Any]] = allFixtures.map { f in
        var row: [String: Any] = ["file": "\(f.name).bin", "description": f.description, "valid": f.expectedError == nil]
        if let code = f.expectedError { row["error"] = code }
        if f.expectedError == nil, let command = try? Envelope.parse(f.frames[0]) { row["command"] = command.description }
        return row
    }
    let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: "\(fixtureDirectory)/manifest.json"))
}

@Test("every valid fixture decodes and re-encodes byte for byte", arguments: validFixtures.map(\.name))
func validFixtureRoundTrip(name: String) throws {
    let frames = try FrameFile.read("\(fixtureDirectory)/\(name).bin")
    let message = try codec.decode(frames)
    let reencoded: [[UInt8]]
    switch message {
    case .sample(let header, let payload): reencoded = [Envelope.frame(.sample), try header.encoded()] + payload
    case .batch(let header, let payload): reencoded = [Envelope.frame(.batch), try header.encoded()] + payload
    default: reencoded = try codec.encode(message)
    }
    #expect(reencoded == frames)
}

@Test("every invalid fixture is rejected with its documented code", arguments: invalidFixtures.map { ($0.name, $0.expectedError ?? "") })
func invalidFixtureRejected(name: String, code: String) throws {
    let frames = try FrameFile.read("\(fixtureDirectory)/\(name).bin")
    #expect {
        _ = try codec.decode(frames)
    } throws: { error in
        (error as? WireError)?.code.rawValue == code
    }
}

@Test("decoded fixtures carry the values that were encoded")
func decodedValues() throws {
    let grid = try codec.decode(try FrameFile.read("\(fixtureDirectory)/sample_grid_f32.bin"))
    guard case .sample(let header, let payload) = grid else { Issue.record("not a sample"); return }
    #expect(header.member == 7 && header.attempt == 0 && header.step == 120 && header.time == 0.012)
    #expect(header.geometry == .uniformGrid && header.spatialDims == 2)
    #expect(header.parameter(named: "nu") == 0.001)
    #expect(header.fields == [FieldDescriptor(name: "vorticity", dtype: .float32, shape: [4, 3])])
    let values = payload[0].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    #expect(values == (0..<12).map { Float($0) * 0.5 })

    let mesh = try codec.decode(try FrameFile.read("\(fixtureDirectory)/sample_mesh.bin"))
    guard case .sample(let m, _) = mesh else { Issue.record("not a sample"); return }
    #expect(m.field(named: "cells")?.role == .triangles && m.field(named: "coords")?.shape == [4, 2])

    let ready = try codec.decode(try FrameFile.read("\(fixtureDirectory)/ready.bin"))
    guard case .ready(let r) = ready else { Issue.record("not ready"); return }
    #expect(r.acceptedSteps == [0, 10] && r.heartbeatMs == 1000)
    let json = String(decoding: try FrameFile.read("\(fixtureDirectory)/hello_trainer.bin")[1], as: UTF8.self)
    #expect(json == #"{"batch_size":32,"capabilities":["ragged-batch"],"group":"fno","peer":"trainer-1","protocol_version":1,"rank":1,"role":"trainer","world_size":2}"#)

    let batch = try codec.decode(try FrameFile.read("\(fixtureDirectory)/batch_ragged_mesh.bin"))
    guard case .batch(let b, let frames) = batch else { Issue.record("not a batch"); return }
    #expect(b.fields[0].shapes == .ragged([[3, 2], [4, 2]]) && frames[0].count == 14 * 8)
}
