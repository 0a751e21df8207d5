"""Imports product lists exported from spreadsheets."""

import csv


def load_products(path):
    """Reads rows of name, price, stock; rows that do not parse are counted and skipped."""
    products, rejected = [], 0
    with open(path, newline="") as f:
        for row in csv.reader(f):
            try:
                name, price, stock = row[0], float(row[1]), int(row[2])
            except (IndexError, ValueError):
                rejected += 1
                continue
            products.append({"name": name, "price": price, "stock": stock})
    return products, rejected
