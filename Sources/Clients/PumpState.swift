import Synchronization
import Wire

/// State shared between a client's caller thread and its background (pump) thread, which owns the DEALER socket.
/// All fields are behind the mutex.
final class PumpState: Sendable {
    enum Phase: Sendable, Equatable {
        case connecting
        case ready
        case failed(ClientError)
        case stopped
    }

    struct Snapshot: Sendable {
        var phase: Phase = .connecting
        var acceptedSteps: [UInt64] = []
        var ready: Ready?
        var credit = 0
        var sent = 0
        var errors: [String: Int] = [:]
        var lastError: ErrorReport?
        var reconnects = 0
        var serverShuttingDown = false
    }

    private let state = Mutex(Snapshot())
    private let stopRequest = Atomic<Bool>(false)

    func update(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }
    var snapshot: Snapshot { state.withLock { $0 } }

    func requestStop() { stopRequest.store(true, ordering: .sequentiallyConsistent) }
    var stopRequested: Bool { stopRequest.load(ordering: .sequentiallyConsistent) }
}
