"""Writes tsunami mesh samples from a Sluice server as UM2N training files (schemas/um2n/FIELDS.md).

Each sample of a `solver: tsunami` member run with `output.um2n: true` becomes one `data_<n>.npy` holding the
dictionary UM2N's `MeshDataset` (UM2N/loader/dataset.py) loads: `x`/`coord` (the computational mesh), `y` (the
Monge-Ampere target), `u`, `grad_u`, `hessian`, `hessian_norm`, `monitor_val`, `phi`, `grad_phi`, the boundary
masks, `edge_index_bi` (both directions, [2, 2E]), `face_idxs` ([T, 3]; UM2N transposes it when loading),
`conv_uh` (here the monitor on the fixed 20 x 20 grid, [1, 20, 20]) and `node_num`.

Usage:
    sluice serve ...                                     # note its consumer endpoint
    sluice solve solvers/tsunami/shelf.yaml --server SOLVER_ENDPOINT
    python um2n_tsunami.py --server CONSUMER_ENDPOINT --output DIR [--idle-timeout 5]
"""
import argparse
import os

import numpy as np

from sluice import TrainerClient


def um2n_record(batch, i):
    """The UM2N dictionary of sample `i` of a batch of tsunami samples."""
    def field(name):
        value = batch[name]
        return np.asarray(value[i] if isinstance(value, list) else value[i])

    x = field("um2n_x").astype(np.float64)
    edges = field("edges").astype(np.int64)
    sides = field("um2n_bd_side_mask").astype(np.int32)
    return {
        "x": x, "coord": x, "y": field("um2n_y").astype(np.float64),
        "u": field("um2n_u"), "grad_u": field("um2n_grad_u"), "hessian": field("um2n_hessian").reshape(-1, 2, 2),
        "hessian_norm": field("um2n_hessian_norm"), "monitor_val": field("um2n_monitor"),
        "phi": field("um2n_phi"), "grad_phi": field("um2n_grad_phi"),
        "bd_mask": field("um2n_bd_mask").astype(np.int32).reshape(-1, 1),
        "bd_left_mask": sides[:, 0:1], "bd_right_mask": sides[:, 1:2],
        "bd_down_mask": sides[:, 2:3], "bd_up_mask": sides[:, 3:4],
        "edge_index_bi": np.concatenate([edges.T, edges[:, ::-1].T], axis=1),
        "face_idxs": field("triangles").astype(np.int64),
        "conv_uh": field("um2n_grid_monitor")[None, :, :],
        "node_num": x.shape[0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="the server's consumer endpoint")
    parser.add_argument("--output", required=True, help="directory for data_<n>.npy")
    parser.add_argument("--group", default="um2n")
    parser.add_argument("--idle-timeout", type=float, default=5.0, help="stop after this many idle seconds")
    parser.add_argument("--limit", type=int, default=None, help="stop after this many samples")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    count = 0
    with TrainerClient(args.server, group=args.group, batch_size=1) as client:
        for batch in client.batches(idle_timeout=args.idle_timeout):
            for i in range(len(batch)):
                np.save(os.path.join(args.output, f"data_{count}.npy"), um2n_record(batch, i), allow_pickle=True)
                count += 1
            if args.limit is not None and count >= args.limit:
                break
    print(f"wrote {count} UM2N samples to {args.output}")


if __name__ == "__main__":
    main()
