import Foundation
import Transport
import Wire
import ZeroMQ

/// One-shot requests to a server's control endpoint (what `sluice status` uses).
public enum AdminClient {
    /// Sends STATUS and returns the reply's JSON body. Throws `.timedOut` naming the endpoint if no reply comes.
    public static func status(endpoint: String, timeout: Duration = .seconds(5), curve: CurveClientKeys? = nil,
                              request: StatusBody = .request) throws -> [UInt8] {
        let context = try Context(ioThreads: 1)
        let socket = try Socket(context, type: .dealer)
        try socket.setLinger(milliseconds: 0)
        if let curve { try socket.makeCurveClient(serverKey: curve.serverPublicKey, keys: curve.keys) }
        try socket.connect(endpoint)
        try socket.sendControl(.status(request))
        try socket.setReceiveTimeout(milliseconds: timeout.milliseconds)
        while true {
            guard let frames = try socket.receiveMultipart() else {
                throw ClientError(.timedOut, "no STATUS reply from \(endpoint) within \(timeout.seconds) s: is `sluice serve` running there (control endpoint)?")
            }
            switch try WireCodec().decode(frames) {
            case .status(let body): return body.json
            case .error(let report): throw ClientError(.refused, "server \(endpoint) refused STATUS: \(report.code): \(report.message)", report: report)
            default: continue
            }
        }
    }
}
