"""The Batch view: field arrays are views of the received frames (no copy), also at unaligned offsets, and the
per-sample metadata lines up with the fields."""

import numpy as np
import zmq

from sluice import wire
from sluice.batch import Batch
from sluice.model import BatchField, BatchHeader, DType, FieldRole, make_entries
from sluice.wire import Command, Message


def uniform_batch(values: np.ndarray) -> BatchHeader:
    b = values.shape[0]
    return BatchHeader(sequence=0, entries=make_entries(sample_id=range(b), member=range(b), step=[7] * b,
                                                        time=[0.5] * b, serve_count=[1] * b),
                       fields=[BatchField("u", DType.F64, values.ndim - 1, shape=values.shape[1:])],
                       parameter_names=["nu", "seed"],
                       parameter_values=np.column_stack([np.arange(b) * 0.1, np.arange(b) + 100.0]))


def test_fields_view_the_received_frame_without_copying():
    values = np.arange(2 * 64 * 64, dtype="<f8").reshape(2, 64, 64)
    frames = wire.encode(Message(Command.BATCH, uniform_batch(values), [values.tobytes()]))
    context = zmq.Context()
    try:
        a, b = context.socket(zmq.PAIR), context.socket(zmq.PAIR)
        a.bind("inproc://batch-view")
        b.connect("inproc://batch-view")
        a.send_multipart(frames)
        received = b.recv_multipart(copy=False)
        message = wire.decode(received)
        batch = Batch(message.body, message.payload)
        u = batch["u"]
        assert u.shape == (2, 64, 64) and np.array_equal(u, values)
        assert np.shares_memory(u, np.frombuffer(received[2].buffer, dtype=np.uint8))
        assert u.flags.writeable and batch["u"] is u  # built once, then cached
        a.close()
        b.close()
    finally:
        context.term()
    # The array keeps its frame alive after the sockets and context are gone.
    assert float(u[1, 63, 63]) == 2 * 64 * 64 - 1


def test_unaligned_frames_are_read_correctly():
    values = np.linspace(-1, 1, 3 * 5).reshape(3, 5)
    raw = bytearray(1 + values.nbytes)
    raw[1:] = values.tobytes()
    frame = memoryview(raw)[1:]  # starts at an odd address, as a small frame in libzmq's shared buffer may
    batch = Batch(uniform_batch(values), [frame])
    u = batch["u"]
    assert not u.flags.aligned
    assert np.array_equal(u, values) and float(u.sum()) == float(values.sum())


def test_metadata_and_parameters_line_up_with_samples():
    values = np.zeros((4, 3))
    batch = Batch(uniform_batch(values), [values.tobytes()])
    assert len(batch) == 4 and batch.keys() == ["u"] and "u" in batch and "v" not in batch
    assert batch.member.tolist() == [0, 1, 2, 3] and batch.step.tolist() == [7] * 4
    assert batch.parameters["seed"].tolist() == [100.0, 101.0, 102.0, 103.0]
    meta = batch.samples[2]
    assert (meta.member, meta.step, meta.time, meta.sample_id, meta.serve_count) == (2, 7, 0.5, 2, 1)
    assert meta.parameters == {"nu": 0.2, "seed": 102.0} and not meta.final
    assert batch.role("u") == FieldRole.DATA
    assert "Batch(sequence=0, samples=4" in repr(batch)
