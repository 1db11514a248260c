"""Drop-in replacements for ``transformers``' learning-rate schedules: ``get_scheduler``
and the ``get_*_schedule_*`` functions, with every value computed by the lr-schedules
service.

    from lr_schedules_client.transformers import get_scheduler   # instead of transformers

Each returns a scheduler with torch's ``LambdaLR`` interface (``step()``,
``get_last_lr()``, ``last_epoch``, ``state_dict()``); ``reduce_lr_on_plateau`` returns
a ``ReduceLROnPlateau`` (``step(metrics)``), as transformers does.
"""
from .torch import LRScheduler, ReduceLROnPlateau as _TorchReduceLROnPlateau

__all__ = [
    "SCHEDULER_TYPES", "SchedulerType", "LambdaLR", "get_scheduler",
    "get_constant_schedule", "get_constant_schedule_with_warmup", "get_linear_schedule_with_warmup",
    "get_cosine_schedule_with_warmup", "get_cosine_with_hard_restarts_schedule_with_warmup",
    "get_polynomial_decay_schedule_with_warmup", "get_inverse_sqrt_schedule", "get_reduce_on_plateau_schedule",
    "get_cosine_with_min_lr_schedule_with_warmup", "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
    "get_wsd_schedule",
]

#: transformers' ``SchedulerType`` values, in its order.
SCHEDULER_TYPES = (
    "linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
    "inverse_sqrt", "reduce_lr_on_plateau", "cosine_with_min_lr", "cosine_warmup_with_min_lr",
    "warmup_stable_decay",
)


class SchedulerType(str):
    """The names ``get_scheduler`` takes (transformers' ``SchedulerType``)."""

    def __new__(cls, value):
        value = getattr(value, "value", value)
        if value not in SCHEDULER_TYPES:
            raise ValueError("%s is not a valid SchedulerType, please select one of %s"
                             % (value, list(SCHEDULER_TYPES)))
        return str.__new__(cls, value)

    @property
    def value(self):
        return str(self)


for _name in SCHEDULER_TYPES:
    setattr(SchedulerType, _name.upper(), _name)


class LambdaLR(LRScheduler):
    """What transformers' schedule functions return: torch's ``LambdaLR``, the lambda
    being the service's ``transformers.<type>``."""

    def __init__(self, optimizer, scheduler_type, params, *, client=None):
        self.wire_name = "transformers." + scheduler_type
        self.scheduler_type = scheduler_type
        self._setup(optimizer, params, client)


class ReduceLROnPlateau(_TorchReduceLROnPlateau):
    """What ``get_scheduler("reduce_lr_on_plateau", ...)`` returns: torch's ReduceLROnPlateau."""

    wire_name = "transformers.reduce_lr_on_plateau"

    def __init__(self, optimizer, params, *, client=None):
        self._setup(optimizer, params, client)


def _given(**fields):
    return {key: value for key, value in fields.items() if value is not None}


def _with_last_epoch(params, last_epoch):
    if last_epoch != -1:
        params["last_epoch"] = last_epoch
    return params


def get_scheduler(name, optimizer, num_warmup_steps=None, num_training_steps=None, scheduler_specific_kwargs=None,
                  *, client=None):
    """transformers' ``get_scheduler``: the schedule ``name`` (a ``SchedulerType``) on
    the optimizer, with ``scheduler_specific_kwargs`` passed to its function."""
    name = SchedulerType(name).value
    params = _given(num_warmup_steps=num_warmup_steps, num_training_steps=num_training_steps)
    params.update(scheduler_specific_kwargs or {})
    if name == "reduce_lr_on_plateau":
        return ReduceLROnPlateau(optimizer, params, client=client)
    return LambdaLR(optimizer, name, params, client=client)


def get_constant_schedule(optimizer, last_epoch=-1, *, client=None):
    return LambdaLR(optimizer, "constant", _with_last_epoch({}, last_epoch), client=client)


def get_constant_schedule_with_warmup(optimizer, num_warmup_steps, last_epoch=-1, *, client=None):
    return LambdaLR(optimizer, "constant_with_warmup", _with_last_epoch({"num_warmup_steps": num_warmup_steps}, last_epoch), client=client)


def get_linear_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, last_epoch=-1, *, client=None):
    return LambdaLR(optimizer, "linear", _with_last_epoch(
        {"num_warmup_steps": num_warmup_steps, "num_training_steps": num_training_steps}, last_epoch), client=client)


def get_cosine_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, num_cycles=0.5, last_epoch=-1, *, client=None):
    return LambdaLR(optimizer, "cosine", _with_last_epoch(
        {"num_warmup_steps": num_warmup_steps, "num_training_steps": num_training_steps, "num_cycles": num_cycles},
        last_epoch), client=client)


def get_cosine_with_hard_restarts_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, num_cycles=1,
                                                       last_epoch=-1, *, client=None):
    return LambdaLR(optimizer, "cosine_with_restarts", _with_last_epoch(
        {"num_warmup_steps": num_warmup_steps, "num_training_steps": num_training_steps, "num_cycles": num_cycles},
        last_epoch), client=client)


def get_polynomial_decay_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, lr_end=1e-7, power=1.0,
                                              last_epoch=-1, *, client=None):
    return LambdaLR(optimizer, "polynomial", _with_last_epoch(
        {"num_warmup_steps": num_warmup_steps, "num_training_steps": num_training_steps, "lr_end": lr_end,
         "power": power}, last_epoch), client=client)


def get_inverse_sqrt_schedule(optimizer, num_warmup_steps, timescale=None, last_epoch=-1, *, client=None):
    return LambdaLR(optimizer, "inverse_sqrt", _with_last_epoch(
        _given(num_warmup_steps=num_warmup_steps, timescale=timescale), last_epoch), client=client)


def get_reduce_on_plateau_schedule(optimizer, *, client=None, **kwargs):
    return ReduceLROnPlateau(optimizer, dict(kwargs), client=client)


def get_cosine_with_min_lr_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, num_cycles=0.5,
                                                last_epoch=-1, min_lr=None, min_lr_rate=None, *, client=None):
    return LambdaLR(optimizer, "cosine_with_min_lr", _with_last_epoch(dict(
        {"num_warmup_steps": num_warmup_steps, "num_training_steps": num_training_steps, "num_cycles": num_cycles},
        **_given(min_lr=min_lr, min_lr_rate=min_lr_rate)), last_epoch), client=client)


def get_cosine_with_min_lr_schedule_with_warmup_lr_rate(optimizer, num_warmup_steps, num_training_steps, num_cycles=0.5,
                                                        last_epoch=-1, min_lr=None, min_lr_rate=None,
                                                        warmup_lr_rate=None, *, client=None):
    return LambdaLR(optimizer, "cosine_warmup_with_min_lr", _with_last_epoch(dict(
        {"num_warmup_steps": num_warmup_steps, "num_training_steps": num_training_steps, "num_cycles": num_cycles},
        **_given(min_lr=min_lr, min_lr_rate=min_lr_rate, warmup_lr_rate=warmup_lr_rate)), last_epoch), client=client)


def get_wsd_schedule(optimizer, num_warmup_steps, num_decay_steps, num_training_steps=None, num_stable_steps=None,
                     warmup_type="linear", decay_type="cosine", min_lr_ratio=0, num_cycles=0.5, last_epoch=-1, *,
                     client=None):
    params = _given(num_warmup_steps=num_warmup_steps, num_decay_steps=num_decay_steps,
                    num_training_steps=num_training_steps, num_stable_steps=num_stable_steps)
    params.update(warmup_type=warmup_type, decay_type=decay_type, min_lr_ratio=min_lr_ratio, num_cycles=num_cycles)
    return LambdaLR(optimizer, "warmup_stable_decay", _with_last_epoch(params, last_epoch), client=client)
