"""Splitting a whole number into whole parts in proportion to weights: the sample data generators' one way of
making counts that add up to their totals."""

from __future__ import annotations

import math
from collections.abc import Sequence


def allocate(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Split a whole number into whole parts in proportion to `weights` (largest remainder), each <= its cap.

    Ties go to the earlier item, so the result is deterministic. Used with tenths for FTE.
    """
    n = len(weights)
    caps_ = list(caps) if caps is not None else [total] * n
    if sum(caps_) < total:
        raise ValueError(f"cannot fit {total} into caps {caps_}")
    parts = [0] * n
    free = list(range(n))
    remaining = total
    while True:
        weight_sum = sum(max(weights[i], 0.0) for i in free)
        if weight_sum <= 0:  # nothing to go on: spread evenly over whoever still has room
            shares = {i: 1.0 / len(free) for i in free}
        else:
            shares = {i: max(weights[i], 0.0) / weight_sum for i in free}
        over = [i for i in free if remaining * shares[i] > caps_[i]]
        if not over:
            break
        for i in over:  # fill to the cap and share what is left among the others
            parts[i] = caps_[i]
            remaining -= caps_[i]
            free.remove(i)
    quotas = {i: remaining * shares[i] for i in free}
    for i in free:
        parts[i] = math.floor(quotas[i] + 1e-9)
    left = remaining - sum(parts[i] for i in free)
    order = sorted(free, key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order:
        if left <= 0:
            break
        if parts[i] < caps_[i]:
            parts[i] += 1
            left -= 1
    if left:
        raise ValueError("allocation failed")  # only if caps are inconsistent, which the caller prevents
    return parts
