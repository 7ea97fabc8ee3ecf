"""numpy's order argument ('C', 'F', 'A', 'K'), with numpy's errors."""


def order_code(order, allowed="CFAK"):
    """ord() of the upper-case order letter; None means 'K' (or 'C' where 'K'
    is not allowed)."""
    if order is None:
        return ord("K" if "K" in allowed else "C")
    if not isinstance(order, str):
        raise TypeError(f"order must be str, not {type(order).__name__}")
    o = order.upper()
    if o not in ("C", "F", "A", "K"):
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    if o not in allowed:
        raise ValueError(f"order {order!r} is not allowed here (accepted: {', '.join(allowed)})")
    return ord(o)
