"""Training script of the legacy example project.

Standard library only, so it runs anywhere (locally, in the dry-run container, on a cluster): it
"trains" a tiny linear model with stochastic gradient descent on the numbers found in the data folder
(or on generated data when the folder is empty or missing) and writes the model and its metrics to
``outputs/``. Under MPI or torch.distributed only rank 0 writes.
"""
import argparse
import json
import math
import os
import random
import sys
import time


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Train the example model")
    parser.add_argument("--data-dir", default="data", help="folder with *.csv files of 'x,y' rows")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--output-dir", default="outputs")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--dry-run", action="store_true", help="one epoch on a few rows")
    return parser.parse_args(argv)


def rank_and_size():
    """The process rank and world size, whatever launched us (MPI, torch.distributed, nothing)."""
    for rank_var, size_var in (("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"), ("RANK", "WORLD_SIZE")):
        if rank_var in os.environ:
            return int(os.environ[rank_var]), int(os.environ.get(size_var, "1"))
    return 0, 1


def load_rows(data_dir, seed):
    rows = []
    if os.path.isdir(data_dir):
        for name in sorted(os.listdir(data_dir)):
            if not name.endswith(".csv"):
                continue
            with open(os.path.join(data_dir, name), encoding="utf-8") as handle:
                for line in handle:
                    parts = line.strip().split(",")
                    if len(parts) != 2:
                        continue
                    try:
                        rows.append((float(parts[0]), float(parts[1])))
                    except ValueError:
                        continue  # header or malformed row
    if not rows:
        print(f"no data found in {data_dir!r}: using 200 generated rows (y = 3x + 2 + noise)")
        rng = random.Random(seed)
        rows = [(x, 3.0 * x + 2.0 + rng.gauss(0.0, 0.1)) for x in (rng.uniform(-1, 1) for _ in range(200))]
    return rows


def train(rows, epochs, learning_rate, batch_size, seed):
    rng = random.Random(seed)
    weight, bias = 0.0, 0.0
    history = []
    for epoch in range(1, epochs + 1):
        rng.shuffle(rows)
        for start in range(0, len(rows), batch_size):
            batch = rows[start:start + batch_size]
            grad_w = sum(2 * (weight * x + bias - y) * x for x, y in batch) / len(batch)
            grad_b = sum(2 * (weight * x + bias - y) for x, y in batch) / len(batch)
            weight -= learning_rate * grad_w
            bias -= learning_rate * grad_b
        mse = sum((weight * x + bias - y) ** 2 for x, y in rows) / len(rows)
        history.append({"epoch": epoch, "mse": mse})
        print(f"epoch {epoch}/{epochs} mse={mse:.5f} weight={weight:.4f} bias={bias:.4f}", flush=True)
        if not math.isfinite(mse):
            raise SystemExit("training diverged: lower --learning-rate")
    return weight, bias, history


def main(argv=None):
    args = parse_args(argv)
    rank, size = rank_and_size()
    print(f"rank {rank}/{size}: python {sys.version.split()[0]}, args {vars(args)}", flush=True)
    started = time.time()
    rows = load_rows(args.data_dir, args.seed)[rank::size]
    epochs = 1 if args.dry_run else args.epochs
    if args.dry_run:
        rows = rows[:32]
    weight, bias, history = train(rows, epochs, args.learning_rate, args.batch_size, args.seed + rank)
    if rank == 0:
        os.makedirs(args.output_dir, exist_ok=True)
        with open(os.path.join(args.output_dir, "model.json"), "w", encoding="utf-8") as handle:
            json.dump({"weight": weight, "bias": bias}, handle, indent=2)
        with open(os.path.join(args.output_dir, "metrics.json"), "w", encoding="utf-8") as handle:
            json.dump({"history": history, "rows": len(rows), "world_size": size,
                       "seconds": round(time.time() - started, 3)}, handle, indent=2)
        print(f"wrote {args.output_dir}/model.json and {args.output_dir}/metrics.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
