"""The optimizer's param groups, duck-typed: anything with ``param_groups``, a list of
dicts holding ``lr`` (a torch optimizer, or a plain object in a test)."""
import math


def param_groups_of(optimizer):
    groups = getattr(optimizer, "param_groups", None)
    if groups is None:
        raise TypeError("%s is not an optimizer: it has no param_groups (a list of dicts with 'lr')" % type(optimizer).__name__)
    return groups


def as_number(value, name):
    """A group's number as JSON can carry it (a torch tensor LR becomes its float)."""
    if isinstance(value, bool):
        raise TypeError("%s must be a number, got %r" % (name, value))
    if isinstance(value, (int, float)):
        number = value
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise TypeError("%s must be a number, got %r" % (name, value))
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError("%s must be finite, got %r" % (name, number))
    return number


def set_group_value(group, key, value):
    """Sets a group's LR as torch does: a tensor LR is filled in place."""
    current = group.get(key)
    fill = getattr(current, "fill_", None)
    if fill is not None and not isinstance(current, (int, float)):
        fill(value)
    else:
        group[key] = value


def clean(params):
    """Parameters as the service takes them: tuples as lists, numbers as JSON numbers."""
    out = {}
    for key, value in params.items():
        out[key] = _plain(value)
    return out


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    # NumPy scalars, tensors of one element
    item = getattr(value, "item", None)
    if item is not None:
        return item()
    return value
