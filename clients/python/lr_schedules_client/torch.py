"""Drop-in replacements for ``torch.optim.lr_scheduler``: the same classes,
signatures and behaviour on the optimizer, with every value computed by the
lr-schedules service.

    from lr_schedules_client.torch import OneCycleLR   # instead of torch.optim.lr_scheduler

Value t is what every param group's ``lr`` holds after construction and t calls of
``step()``: the constructor sets value 0, as torch's does (its initial step), and each
``step()`` sets the next one. Values are fetched a window at a time (``_pages.py``).
A ``step()`` that fails (the service refuses the step, or cannot be reached) raises
and changes nothing: neither the param groups nor the step count.

:class:`SequentialLR` and :class:`ChainedScheduler` take schedulers built with this
module, as torch's take torch's: the children are built first, each setting the
optimizer's LRs as torch's constructors do, and the composite then asks the service
for the whole composition, built from the optimizer as it was before the first child.
A child wrapped in a composite no longer steps on its own.

:class:`ReduceLROnPlateau` sends the metrics it has been given and gets the next LR,
live, at every ``step(metrics)``.

The optimizer is duck-typed: anything with ``param_groups`` (a list of dicts holding
``lr``) will do; on a real torch optimizer the groups are set exactly as torch sets them.
Momentum is not the service's: CyclicLR and OneCycleLR with ``cycle_momentum=True``
set only the LR (a warning says so).
"""
import math
import warnings

from ._client import EncodedNumbers, as_client
from ._groups import as_number, clean, param_groups_of, set_group_value
from ._pages import Pages

__all__ = [
    "LRScheduler", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR",
    "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR", "ReduceLROnPlateau",
    "SequentialLR", "ChainedScheduler", "MomentumNotCycledWarning",
]



def _restore_state(scheduler, state_dict):
    """torch's ``load_state_dict``: every entry set back as an attribute; then this
    client's own part (the config and the groups as built) restored, and returned for
    the fields a scheduler keeps beside them (None when the state has none)."""
    state = dict(state_dict)
    own = state.pop("lr_schedules", None)
    for key, value in state.items():
        setattr(scheduler, key, value)
    if own is not None:
        config = dict(own["config"])
        config.pop("scheduler", None)
        scheduler._params = clean(config)
        scheduler._groups_before = [dict(g) for g in own["param_groups"]]
    return own

class MomentumNotCycledWarning(UserWarning):
    """CyclicLR or OneCycleLR with cycle_momentum=True: the client sets the LR only."""


def _snapshot(optimizer):
    """The param groups as the service takes them: lr, and initial_lr where a group has one."""
    groups = []
    for i, group in enumerate(param_groups_of(optimizer)):
        if "lr" not in group:
            raise KeyError("lr missing from param_groups[%d]" % i)
        entry = {"lr": as_number(group["lr"], "param_groups[%d].lr" % i)}
        if "initial_lr" in group:
            entry["initial_lr"] = as_number(group["initial_lr"], "param_groups[%d].initial_lr" % i)
        groups.append(entry)
    return groups


class LRScheduler(object):
    """torch's ``LRScheduler`` over the service."""

    #: The scheduler's name on the wire.
    wire_name = None
    #: Whether the class sets its own initial step (SequentialLR and ChainedScheduler do not own param keys).
    _is_composite = False

    def _setup(self, optimizer, params, client, groups_before=None):
        self.optimizer = optimizer
        self._client = as_client(client)
        self._params = clean(params)
        self._groups_before = groups_before if groups_before is not None else _snapshot(optimizer)
        self._wrapped_by = None
        self._t = 0
        self._pages = None
        values = self._values(0)
        groups = param_groups_of(optimizer)
        self._set_group_keys(groups)
        self._set_lrs(values)
        self.base_lrs = [group.get("initial_lr", group["lr"]) for group in groups]
        self.last_epoch = self._params.get("last_epoch", -1) + 1
        self._step_count = 1

    def config(self):
        """This scheduler as the service takes it: ``{"scheduler": ..., ...parameters}``."""
        config = {"scheduler": self.wire_name}
        config.update(self._params)
        return config

    def _body(self):
        body = self.config()
        body["param_groups"] = self._groups_before
        return body

    def _values(self, t):
        if self._pages is None:
            self._pages = Pages(self._client, "/v1/schedules", self._body(), len(self._groups_before))
        return self._pages.get(t)

    def _set_group_keys(self, groups):
        """What torch's constructor writes in the groups besides the LR: initial_lr, by setdefault."""
        if self._params.get("last_epoch", -1) == -1:
            for group in groups:
                group.setdefault("initial_lr", group["lr"])

    def _set_lrs(self, values):
        groups = param_groups_of(self.optimizer)
        for group, value in zip(groups, values):
            set_group_value(group, "lr", value)
        self._last_lr = [group["lr"] for group in groups]

    def _check_own(self, method):
        if self._wrapped_by is not None:
            raise RuntimeError(
                "this %s is one of the schedulers of a %s: call %s() on that, which steps it"
                % (type(self).__name__, type(self._wrapped_by).__name__, method))

    def step(self, epoch=None):
        """Sets the next step's LRs; raises, changing nothing, when the service refuses
        the step or cannot be reached."""
        self._check_own("step")
        if epoch is not None:
            raise NotImplementedError(
                "step(epoch) is deprecated in torch and not supported here: call step() once per step "
                "(the schedule is value t after t calls)")
        t = self._t + 1
        values = self._values(t)
        self._set_lrs(values)
        self._t = t
        self.last_epoch += 1
        self._step_count += 1

    def get_last_lr(self):
        """The LRs the last step set (or the constructor), one per group."""
        return self._last_lr

    def state_dict(self):
        """As torch's: the scheduler's state but the optimizer (plain data, picklable),
        with what this client needs to resume: its request and the steps taken."""
        return {
            "last_epoch": self.last_epoch,
            "_step_count": self._step_count,
            "base_lrs": list(self.base_lrs),
            "_last_lr": list(self._last_lr),
            "lr_schedules": {"config": self.config(), "param_groups": [dict(g) for g in self._groups_before], "steps": self._t},
        }

    def load_state_dict(self, state_dict):
        """As torch's: the state is restored (the optimizer's LRs are the optimizer's
        own state_dict's business); the next ``step()`` continues from it."""
        own = _restore_state(self, state_dict)
        if own is not None:
            self._t = int(own["steps"])
            self._pages = None

    @property
    def client(self):
        return self._client

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % kv for kv in self._params.items()))


def _warn_momentum(cls, cycle_momentum):
    if cycle_momentum:
        warnings.warn(
            "%s with cycle_momentum=True: lr_schedules_client sets the learning rate only, not the momentum; "
            "pass cycle_momentum=False to say so" % cls, MomentumNotCycledWarning, stacklevel=3)


class StepLR(LRScheduler):
    wire_name = "torch.StepLR"

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1, *, client=None):
        self._setup(optimizer, dict(step_size=step_size, gamma=gamma, last_epoch=last_epoch), client)


class MultiStepLR(LRScheduler):
    wire_name = "torch.MultiStepLR"

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1, *, client=None):
        self._setup(optimizer, dict(milestones=list(milestones), gamma=gamma, last_epoch=last_epoch), client)


class ConstantLR(LRScheduler):
    wire_name = "torch.ConstantLR"

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1, *, client=None):
        self._setup(optimizer, dict(factor=factor, total_iters=total_iters, last_epoch=last_epoch), client)


class LinearLR(LRScheduler):
    wire_name = "torch.LinearLR"

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1, *, client=None):
        self._setup(optimizer, dict(start_factor=start_factor, end_factor=end_factor, total_iters=total_iters,
                                    last_epoch=last_epoch), client)


class ExponentialLR(LRScheduler):
    wire_name = "torch.ExponentialLR"

    def __init__(self, optimizer, gamma, last_epoch=-1, *, client=None):
        self._setup(optimizer, dict(gamma=gamma, last_epoch=last_epoch), client)


class PolynomialLR(LRScheduler):
    wire_name = "torch.PolynomialLR"

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1, *, client=None):
        self._setup(optimizer, dict(total_iters=total_iters, power=power, last_epoch=last_epoch), client)


class CosineAnnealingLR(LRScheduler):
    wire_name = "torch.CosineAnnealingLR"

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1, *, client=None):
        self._setup(optimizer, dict(T_max=T_max, eta_min=eta_min, last_epoch=last_epoch), client)


class CosineAnnealingWarmRestarts(LRScheduler):
    wire_name = "torch.CosineAnnealingWarmRestarts"

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1, *, client=None):
        self._setup(optimizer, dict(T_0=T_0, T_mult=T_mult, eta_min=eta_min, last_epoch=last_epoch), client)


class CyclicLR(LRScheduler):
    wire_name = "torch.CyclicLR"

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None, mode="triangular",
                 gamma=1.0, scale_fn=None, scale_mode="cycle", cycle_momentum=True, base_momentum=0.8,
                 max_momentum=0.9, last_epoch=-1, *, client=None):
        if scale_fn is not None:
            raise NotImplementedError("CyclicLR(scale_fn=...): a Python function cannot be sent to the service; "
                                      "use mode='triangular', 'triangular2' or 'exp_range'")
        params = dict(base_lr=base_lr, max_lr=max_lr, step_size_up=step_size_up, step_size_down=step_size_down,
                      mode=mode, gamma=gamma, scale_mode=scale_mode, cycle_momentum=cycle_momentum,
                      base_momentum=base_momentum, max_momentum=max_momentum, last_epoch=last_epoch)
        self._setup(optimizer, params, client)
        _warn_momentum("CyclicLR", cycle_momentum)

    def _set_group_keys(self, groups):
        # CyclicLR sets every group's lr to base_lr before LRScheduler's setdefault.
        if self._params.get("last_epoch", -1) == -1:
            base = self._params["base_lr"]
            bases = base if isinstance(base, list) else [base] * len(groups)
            for group, value in zip(groups, bases):
                group.setdefault("initial_lr", value)


class OneCycleLR(LRScheduler):
    wire_name = "torch.OneCycleLR"

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3,
                 anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85, max_momentum=0.95,
                 div_factor=25.0, final_div_factor=1e4, three_phase=False, last_epoch=-1, *, client=None):
        params = dict(max_lr=max_lr, total_steps=total_steps, epochs=epochs, steps_per_epoch=steps_per_epoch,
                      pct_start=pct_start, anneal_strategy=anneal_strategy, cycle_momentum=cycle_momentum,
                      base_momentum=base_momentum, max_momentum=max_momentum, div_factor=div_factor,
                      final_div_factor=final_div_factor, three_phase=three_phase, last_epoch=last_epoch)
        self._setup(optimizer, params, client)
        _warn_momentum("OneCycleLR", cycle_momentum)

    def _set_group_keys(self, groups):
        # OneCycleLR writes initial_lr, max_lr and min_lr in every group when it starts.
        if self._params.get("last_epoch", -1) == -1:
            max_lr = self._params["max_lr"]
            max_lrs = max_lr if isinstance(max_lr, list) else [max_lr] * len(groups)
            div_factor = self._params["div_factor"]
            final_div_factor = self._params["final_div_factor"]
            for group, value in zip(groups, max_lrs):
                group["initial_lr"] = value / div_factor
                group["max_lr"] = value
                group["min_lr"] = group["initial_lr"] / final_div_factor


def _check_children(kind, optimizer, schedulers):
    for index, scheduler in enumerate(schedulers):
        if not isinstance(scheduler, (LRScheduler, ReduceLROnPlateau)):
            raise TypeError(
                "%s takes schedulers built with lr_schedules_client.torch; schedulers[%d] is a %s.%s"
                % (kind, index, type(scheduler).__module__, type(scheduler).__name__))
        if scheduler.optimizer is not optimizer:
            raise ValueError(
                "%s expects all schedulers to belong to the same optimizer, but got scheduler %s at index %d "
                "has %r, which is different from %r." % (kind, type(scheduler).__name__, index, scheduler.optimizer, optimizer))
        if scheduler._wrapped_by is not None:
            raise ValueError("%s: schedulers[%d] already belongs to a %s" % (kind, index, type(scheduler._wrapped_by).__name__))


class SequentialLR(LRScheduler):
    """torch's ``SequentialLR``: the schedulers take over from one another at the milestones."""
    wire_name = "torch.SequentialLR"

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1, *, client=None):
        schedulers = list(schedulers)
        _check_children("Sequential Schedulers", optimizer, schedulers)
        if client is None and schedulers:
            client = schedulers[0]._client
        before = schedulers[0]._groups_before if schedulers else None
        self._schedulers = schedulers
        self._milestones = list(milestones)
        self._setup(optimizer, dict(schedulers=[s.config() for s in schedulers], milestones=list(milestones),
                                    last_epoch=last_epoch), client, groups_before=before)
        for scheduler in schedulers:
            scheduler._wrapped_by = self

    def _set_group_keys(self, groups):
        pass

    def config(self):
        config = {"scheduler": self.wire_name}
        config.update(self._params)
        return config


class ChainedScheduler(LRScheduler):
    """torch's ``ChainedScheduler``: every ``step()`` steps each scheduler in turn."""
    wire_name = "torch.ChainedScheduler"

    def __init__(self, schedulers, optimizer=None, *, client=None):
        schedulers = list(schedulers)
        if len(schedulers) < 1:
            raise ValueError("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
        if optimizer is None:
            optimizer = schedulers[0].optimizer
        _check_children("ChainedScheduler", optimizer, schedulers)
        if client is None:
            client = schedulers[0]._client
        self._schedulers = schedulers
        self._setup(optimizer, dict(schedulers=[s.config() for s in schedulers]), client,
                    groups_before=schedulers[0]._groups_before)
        for scheduler in schedulers:
            scheduler._wrapped_by = self

    def _set_group_keys(self, groups):
        pass


class ReduceLROnPlateau(object):
    """torch's ``ReduceLROnPlateau``: every ``step(metrics)`` sends the metrics seen so
    far to the service and sets the LR it answers."""

    wire_name = "torch.ReduceLROnPlateau"

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel",
                 cooldown=0, min_lr=0, eps=1e-8, *, client=None):
        self._setup(optimizer, dict(mode=mode, factor=factor, patience=patience, threshold=threshold,
                                    threshold_mode=threshold_mode, cooldown=cooldown, min_lr=min_lr, eps=eps), client)

    def _setup(self, optimizer, params, client):
        self.optimizer = optimizer
        self._client = as_client(client)
        self._params = clean(params)
        self._groups_before = _snapshot(optimizer)
        self._wrapped_by = None
        self._history = EncodedNumbers()
        for key, value in params.items():
            setattr(self, key, value)
        values = self._value(0)
        self._set_lrs(values)
        self.last_epoch = 0

    def config(self):
        config = {"scheduler": self.wire_name}
        config.update(self._params)
        return config

    def _value(self, t):
        body = self.config()
        body["param_groups"] = self._groups_before
        body["start"] = t
        body["count"] = 1
        raw = {"metrics": self._history.json()}
        return self._client.window("/v1/schedules", body, len(self._groups_before), raw=raw).row(t)

    def _set_lrs(self, values):
        groups = param_groups_of(self.optimizer)
        for group, value in zip(groups, values):
            set_group_value(group, "lr", value)
        self._last_lr = [group["lr"] for group in groups]

    def step(self, metrics, epoch=None):
        """Sets the LR after this metric; raises, changing nothing, when the service
        refuses or cannot be reached."""
        if self._wrapped_by is not None:
            raise RuntimeError("this ReduceLROnPlateau belongs to a %s" % type(self._wrapped_by).__name__)
        self._history.append(float(metrics))
        try:
            values = self._value(len(self._history))
        except BaseException:
            self._history.pop()
            raise
        self._set_lrs(values)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch

    @property
    def metrics(self):
        """The metrics given to ``step`` so far."""
        return list(self._history.values)

    def get_last_lr(self):
        return self._last_lr

    def state_dict(self):
        return {
            "last_epoch": self.last_epoch,
            "_last_lr": list(self._last_lr),
            "lr_schedules": {"config": self.config(), "param_groups": [dict(g) for g in self._groups_before],
                             "metrics": list(self._history.values)},
        }

    def load_state_dict(self, state_dict):
        own = _restore_state(self, state_dict)
        if own is not None:
            self._history = EncodedNumbers(own["metrics"])

    @property
    def client(self):
        return self._client
