"""Fit weight = a * diameter + b by gradient descent on the CSV files of --data-dir; print the loss."""

import argparse
import csv
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--learning-rate", type=float, default=0.01)
    args = parser.parse_args()
    rows = [(float(row["diameter"]), float(row["weight"]))
            for path in sorted(Path(args.data_dir).glob("*.csv"))
            for row in csv.DictReader(path.open(newline=""))]
    if not rows:
        raise SystemExit(f"no training data: no *.csv in {args.data_dir}")
    a = b = 0.0
    for epoch in range(args.epochs):
        grad_a = sum(2 * (a * x + b - y) * x for x, y in rows) / len(rows)
        grad_b = sum(2 * (a * x + b - y) for x, y in rows) / len(rows)
        a, b = a - args.learning_rate * grad_a, b - args.learning_rate * grad_b
        loss = sum((a * x + b - y) ** 2 for x, y in rows) / len(rows)
        print(f"epoch {epoch}: loss {loss:.4f}")


if __name__ == "__main__":
    main()
