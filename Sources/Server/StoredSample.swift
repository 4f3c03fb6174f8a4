import SluiceModel
import ZeroMQ

/// A sample as the reservoir holds it: the decoded header and the received payload frames, which are libzmq's own
/// buffers (never copied at ingest).
///
/// `Sendable` because it is immutable after ingest and `Message` is immutable after receipt.
public final class StoredSample: Sendable {
    public let header: SampleHeader
    public let payload: [Message]
    /// Sum of the payload frames' sizes: what the reservoir's byte bound counts.
    public let bytes: Int

    public init(header: SampleHeader, payload: [Message]) {
        self.header = header
        self.payload = payload
        self.bytes = payload.reduce(0) { $0 + $1.count }
    }
}
