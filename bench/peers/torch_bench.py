"""The sample models in PyTorch, timed the fastest idiomatic way: preloaded tensors, no
DataLoader, a plain loop of zero_grad / forward / loss / backward / step (training) or a forward
pass under no_grad (inference). Prints one JSON object per measurement.

    /usr/bin/python3 bench/peers/torch_bench.py [--seconds 0.5] [--repeats 5]
"""
import argparse
import ctypes
import json
import math
import os
import statistics
import time

import torch


def blas_library():
    """The BLAS that Debian's PyTorch multiplies matrices with (libblas.so.3: OpenBLAS, see bench/run)."""
    try:
        return ctypes.CDLL(os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"))
    except OSError:
        return None


def set_blas_threads(threads):
    """OpenBLAS's threads; what it then runs, or None when the BLAS is not OpenBLAS.
    torch.set_num_threads does not reach OpenBLAS, whose pthread build runs every product on all
    cores: until 2026-12-07 the '1 thread' figures had their products on both cores of this machine
    (process CPU time twice the wall time)."""
    blas = blas_library()
    if blas is None or not hasattr(blas, "openblas_set_num_threads"):
        return None
    blas.openblas_set_num_threads(threads)
    return blas.openblas_get_num_threads()


def regression(batch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(1, 64), torch.nn.Sigmoid(),
        torch.nn.Linear(64, 64), torch.nn.Sigmoid(),
        torch.nn.Linear(64, 1))
    for layer in model:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.normal_(layer.weight, 0, 1)
            torch.nn.init.constant_(layer.bias, 0.03)
    x = torch.randn(batch, 1)
    y = (x - 2) * torch.cos(4 * x)
    return list(model.parameters()), (lambda: model(x)), (lambda out: torch.nn.functional.mse_loss(out, y))


def toy(batch):
    values = [1.0, 1.0, 2.0, -1.0, 10.0, -0.1, 0.0, 0.9]  # b0 w0 b1 w1 b2 w2 b3 w3
    b0, w0, b1, w1, b2, w2, b3, w3 = [torch.tensor(v, requires_grad=True) for v in values]
    x = torch.full((batch,), 2.3)
    y = torch.full((batch,), 2.0)

    def forward():
        return b3 + w3 * torch.cos(b2 + w2 * torch.exp(b1 + w1 * torch.sin(b0 + w0 * x)))

    return [b0, w0, b1, w1, b2, w2, b3, w3], forward, (lambda f: ((f - y) ** 2).mean())


def fashion_mlp(batch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    for layer in model:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.normal_(layer.weight, 0, 0.01)
            torch.nn.init.zeros_(layer.bias)
    x = torch.rand(batch, 784)
    y = torch.randint(0, 10, (batch,))
    return list(model.parameters()), (lambda: model(x)), (lambda out: torch.nn.functional.cross_entropy(out, y))


def small_cnn(channels, size):
    """The course's network (section 1.8), as cnn.nn and fashion_cnn.nn write it."""
    def make(batch):
        torch.manual_seed(0)
        flat = 16 * (size // 4) * (size // 4)
        model = torch.nn.Sequential(
            torch.nn.Conv2d(channels, 16, 3, stride=1, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2, 2),
            torch.nn.BatchNorm2d(16),
            torch.nn.Conv2d(16, 16, 3, stride=1, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2, 2),
            torch.nn.Flatten(), torch.nn.Linear(flat, 10))
        for layer in model:
            if isinstance(layer, (torch.nn.Conv2d, torch.nn.Linear)):
                torch.nn.init.kaiming_normal_(layer.weight)
                torch.nn.init.zeros_(layer.bias)
        x = torch.rand(batch, channels, size, size)
        y = torch.randint(0, 10, (batch,))

        def forward():
            return model(x)

        # Training mode for the step (batch statistics), evaluation mode for inference (running ones),
        # as nnc's trainStep and infer.
        forward.train = model.train
        forward.eval = model.eval
        return list(model.parameters()), forward, (lambda out: torch.nn.functional.cross_entropy(out, y))
    return make


MODELS = {"regression": (regression, 128), "toy": (toy, 1), "fashion_mlp": (fashion_mlp, 256),
          "cnn": (small_cnn(3, 32), 64), "fashion_cnn": (small_cnn(1, 28), 64)}


def rate(fn, seconds, repeats):
    """Operations per second: the median of `repeats` timed blocks, and half their spread."""
    for _ in range(50):
        fn()
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        took = time.perf_counter() - start
        if took >= seconds / 4:
            break
        n *= 2
    n = max(1, int(n * seconds / took))
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates), (max(rates) - min(rates)) / 2


def fashion_epoch_seconds(repeats):
    """One epoch of the Fashion-MNIST MLP over 60,000 preloaded samples: a fresh permutation, then
    batches of 256 gathered by index, each a training step (EpochBench's loop). Median of repeats."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=1e-6)
    x = torch.rand(60000, 784)
    y = torch.randint(0, 10, (60000,))

    def epoch():
        perm = torch.randperm(60000)
        for i in range(0, 60000, 256):
            idx = perm[i:i + 256]
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

    epoch()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - start)
    return statistics.median(times), (max(times) - min(times)) / 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated models to time")
    parser.add_argument("--epochs", type=int, default=3, help="timed Fashion-MNIST epochs per thread count (0: none)")
    cores = os.cpu_count() or 1
    args = parser.parse_args()
    # One thread: PyTorch's and OpenBLAS's. All cores: both layouts, PyTorch's default (its threads
    # and OpenBLAS's on every core; their spinning pools contend) and its threads at 1 with OpenBLAS
    # on every core (the faster on this machine); report.py keeps the faster of each figure.
    layouts = [(1, 1)] + ([(cores, cores), (1, cores)] if cores > 1 else [])
    for intra, threads in layouts:
        torch.set_num_threads(intra)
        blas_threads = set_blas_threads(threads)
        if blas_threads is not None and blas_threads != threads:
            raise SystemExit("torch_bench: OpenBLAS runs %d threads where %d were asked for" % (blas_threads, threads))
        layout = "torch %d, OpenBLAS %d" % (intra, threads)
        if args.epochs > 0 and "fashion_mlp" in args.models.split(","):
            seconds, err = fashion_epoch_seconds(args.epochs)
            print(json.dumps({"peer": "pytorch", "version": torch.__version__, "model": "fashion_mlp", "batch": 256,
                              "threads": threads, "layout": layout, "mode": "epoch", "seconds": seconds, "error": err}),
                  flush=True)
        for name, (make, own) in MODELS.items():
            if name not in args.models.split(","):
                continue
            for batch in sorted({1, own}):
                params, forward, loss_of = make(batch)
                opt = torch.optim.SGD(params, lr=1e-6)

                modes = getattr(forward, "train", None)

                def train():
                    if modes:
                        forward.train()
                    opt.zero_grad(set_to_none=True)
                    loss = loss_of(forward())
                    loss.backward()
                    opt.step()

                def infer():
                    if modes:
                        forward.eval()
                    with torch.no_grad():
                        forward()

                for mode, fn in (("trainStep", train), ("infer", infer)):
                    ops, err = rate(fn, args.seconds, args.repeats)
                    print(json.dumps({"peer": "pytorch", "version": torch.__version__, "model": name, "batch": batch,
                                      "threads": threads, "layout": layout, "mode": mode, "ops_per_s": ops,
                                      "error": err}), flush=True)


if __name__ == "__main__":
    main()
