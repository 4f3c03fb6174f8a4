import Wire
import ZeroMQ

/// Received ZeroMQ frames are decoded in place: the decoder reads the header frame and only checks the sizes of
/// payload frames, which stay libzmq's buffers.
extension Message: WireFrame {}
