"""Plain-text charts for the console sales report."""


def bar_chart(counts, width=40):
    """One row of # characters per label, scaled to the largest count."""
    top = max(counts.values()) or 1
    rows = []
    for label, n in counts.items():
        rows.append(f"{label:>12} | " + "#" * int(n * width / top) + f" {n}")
    return "\n".join(rows)
