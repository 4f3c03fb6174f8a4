"""One DistributedDataParallel rank for test_torch.py: joins a gloo process group (RANK, WORLD_SIZE, MASTER_ADDR,
MASTER_PORT from the environment), reads a ReservoirDataset through a DataLoader with 2 workers, and writes what it
received as JSON: python ddp_rank.py CONSUMER_ENDPOINT OUT.json"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402

from sluice.synthetic import values  # noqa: E402
from sluice.torch import ReservoirDataset, group_rank  # noqa: E402


def tag(batch):
    batch["group_rank"] = group_rank()  # as the dataset computed it, in this worker
    return batch


def main() -> None:
    endpoint, out = sys.argv[1], sys.argv[2]
    dist.init_process_group("gloo")
    dataset = ReservoirDataset(endpoint, group="ddp", batch_size=4, idle_timeout=2.0, transform=tag)
    received, bad = [], 0
    for batch in DataLoader(dataset, batch_size=None, num_workers=2):
        for i in range(len(batch["member"])):
            m, s = int(batch["member"][i]), int(batch["step"][i])
            bad += int(not torch.equal(batch["value"][i], torch.from_numpy(values(m, s, (8, 8)))))
            received.append([m, s, list(batch["group_rank"])])
    dist.barrier()
    dist.destroy_process_group()
    with open(out, "w") as f:
        json.dump({"rank": dist.get_rank() if dist.is_initialized() else int(os.environ["RANK"]),
                   "received": received, "bad": bad}, f)


if __name__ == "__main__":
    main()
