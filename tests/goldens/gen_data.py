# Goldens for Nabla.Data: random_split indices and DataLoader batch orders (shuffle through RandomSampler), and where
# each leaves the generators. PyTorch 1.13 already takes fractional random_split lengths (floor, then the remainder
# round robin), as 2.x does: nothing here is written by hand.
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split

import golden_util as gu


def after(g=None):
    """Three draws that show where a generator stands afterwards."""
    return torch.randint(0, 1000, (3,), generator=g).tolist()


def split_case(n, lengths, seed, use_generator):
    if use_generator:
        g = torch.Generator().manual_seed(seed)
        parts = random_split(range(n), lengths, generator=g)
        return {"n": n, "lengths": lengths, "seed": seed, "generator": True,
                "indices": [list(p.indices) for p in parts], "after": after(g)}
    torch.manual_seed(seed)
    parts = random_split(range(n), lengths)
    return {"n": n, "lengths": lengths, "seed": seed, "generator": False,
            "indices": [list(p.indices) for p in parts], "after": after()}


def loader_case(n, batch_size, shuffle, drop_last, seed, use_generator, epochs=2):
    data = TensorDataset(torch.arange(n))
    if use_generator:
        g = torch.Generator().manual_seed(seed)
        loader = DataLoader(data, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, generator=g)
    else:
        g = None
        torch.manual_seed(seed)
        loader = DataLoader(data, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last)
    passes = [[batch[0].tolist() for batch in loader] for _ in range(epochs)]
    return {"n": n, "batch_size": batch_size, "shuffle": shuffle, "drop_last": drop_last, "seed": seed,
            "generator": use_generator, "len": len(loader), "epochs": passes, "after": after(g)}


def random_int64(seed):
    torch.manual_seed(seed)
    return {"seed": seed, "values": [int(torch.empty((), dtype=torch.int64).random_().item()) for _ in range(3)]}


gu.write("data", {
    "random_int64": [random_int64(5), random_int64(3)],
    "random_split": [
        split_case(10, [3, 7], 42, True),
        split_case(30, [0.3, 0.3, 0.4], 42, True),
        split_case(1797, [0.8, 0.2], 3, False),
        split_case(11, [0.5, 0.25, 0.25], 0, False),
    ],
    "loader": [
        loader_case(10, 4, True, False, 0, False),
        loader_case(10, 3, True, True, 7, True),
        loader_case(10, 4, False, False, 1, False),
        loader_case(100, 16, True, False, 3, False, epochs=3),
        loader_case(7, 7, True, False, 11, True),
    ],
})
