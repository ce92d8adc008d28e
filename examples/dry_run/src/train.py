"""Fit weight = a * diameter + b by gradient descent on a CSV, log the loss, save the model."""

import argparse
import csv
import json
import os
import random
from pathlib import Path

from azureml.core import Run


def load(folder: str) -> list[tuple[float, float]]:
    rows = []
    for path in sorted(Path(folder).glob("*.csv")):
        with open(path, newline="") as handle:
            rows += [(float(row["diameter"]), float(row["weight"])) for row in csv.DictReader(handle)]
    if not rows:
        raise SystemExit(f"no training data: no *.csv in {folder}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--learning-rate", type=float, default=0.01)
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()

    run = Run.get_context()
    rows = load(args.data_dir)
    random.seed(int(os.environ.get("FRUIT_SEED", "0")))
    a, b = random.random(), random.random()
    for epoch in range(args.epochs):
        grad_a = sum(2 * (a * x + b - y) * x for x, y in rows) / len(rows)
        grad_b = sum(2 * (a * x + b - y) for x, y in rows) / len(rows)
        a, b = a - args.learning_rate * grad_a, b - args.learning_rate * grad_b
        loss = sum((a * x + b - y) ** 2 for x, y in rows) / len(rows)
        run.log("loss", loss)
        print(f"epoch {epoch}: loss {loss:.4f}")
    os.makedirs("outputs", exist_ok=True)
    Path("outputs/model.json").write_text(json.dumps({"a": a, "b": b, "rows": len(rows)}))
    run.tag("status", "trained")


if __name__ == "__main__":
    main()
