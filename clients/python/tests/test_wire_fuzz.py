"""Mutated golden fixtures: each input decodes or raises WireError with a protocol code, never another exception;
whatever decodes re-encodes to the same binary header (reserved bytes are checked, so a layout has exactly one
encoding). The mutations are those of Tests/WireTests/FuzzTests.swift, seeded so a failure can be replayed."""

import os
import random
from collections import Counter

from conftest import FIXTURES, manifest
from sluice import wire
from sluice.errors import WIRE_ERROR_CODES, WireError
from sluice.headers import encode_batch_header, encode_sample_header
from sluice.model import WireLimits
from sluice.wire import Command

SEEDS = [wire.read_frame_file(os.path.join(FIXTURES, e["file"])) for e in manifest()]
VALID_SEEDS = [wire.read_frame_file(os.path.join(FIXTURES, e["file"])) for e in manifest() if e["valid"]]
INTERESTING = [0, 0xFF, 0x7F, 0x80, 1, 2, 3]


def mutate(frames, rng: random.Random):
    """One to four random mutations: bit flips, interesting bytes at random offsets, truncation or extension of a
    frame, dropping, duplicating or swapping frames."""
    out = [bytearray(f) for f in frames]
    for _ in range(rng.randint(1, 4)):
        if not out:
            out = [bytearray()]
            continue
        f = rng.randrange(len(out))
        kind = rng.randrange(9)
        if kind in (0, 1) and out[f]:
            out[f][rng.randrange(len(out[f]))] ^= 1 << rng.randrange(8)
        elif kind in (2, 3) and out[f]:
            out[f][rng.randrange(len(out[f]))] = rng.choice(INTERESTING)
        elif kind == 4:
            del out[f][rng.randint(0, len(out[f])):]
        elif kind == 5:
            out[f] += bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif kind == 6:
            out.pop(f)
        elif kind == 7:
            out.insert(rng.randint(0, len(out)), bytearray(out[f]))
        elif kind == 8:
            g = rng.randrange(len(out))
            out[f], out[g] = out[g], out[f]
    return [bytes(x) for x in out]


def test_mutated_fixtures_decode_or_raise_wire_errors():
    limits = WireLimits(max_frame_bytes=1 << 20)
    rng = random.Random(0x5EED)
    decoded, rejected = 0, Counter()
    runs = 8000
    for i in range(runs):
        seed = rng.choice(SEEDS)
        # 5000 mutations of whole messages, then 3000 that keep frame 0 and so reach the body and header decoders.
        frames = mutate(seed, rng) if i < 5000 or len(seed) < 2 else [seed[0], *mutate(seed[1:], rng)]
        try:
            message = wire.decode(frames, limits)
        except WireError as e:
            assert e.code in WIRE_ERROR_CODES
            rejected[e.code] += 1
            continue
        except Exception as e:  # pragma: no cover - the failure this test exists to catch
            raise AssertionError(f"mutation {i} raised {e!r} for frames {frames!r}") from e
        decoded += 1
        if message.command == Command.SAMPLE:
            assert encode_sample_header(message.body, limits) == frames[1], f"mutation {i}"
        elif message.command == Command.BATCH:
            assert encode_batch_header(message.body, limits) == frames[1], f"mutation {i}"
    assert decoded + sum(rejected.values()) == runs
    # Both outcomes, and many distinct rejection paths.
    assert decoded > 500, decoded
    assert len(rejected) >= 9, rejected


def test_every_truncation_of_every_valid_header_is_rejected_cleanly():
    for frames in VALID_SEEDS:
        if len(frames) < 2 or frames[0][7] not in (Command.SAMPLE, Command.BATCH):
            continue
        for cut in range(len(frames[1])):
            try:
                wire.decode([frames[0], frames[1][:cut], *frames[2:]])
            except WireError as e:
                assert e.code in ("truncated", "frame-count", "frame-size", "invalid-value"), (cut, e)
            else:  # pragma: no cover
                raise AssertionError(f"a header cut at {cut} bytes decoded")
