"""Drop-in replacements for ``timm.scheduler``: the same classes, signatures and
behaviour on the optimizer, with every value computed by the lr-schedules service.

    from lr_schedules_client.timm import CosineLRScheduler   # instead of timm.scheduler

Like timm's, each scheduler is called with the step it is at: ``step(epoch)`` after
each epoch and ``step_update(num_updates)`` after each optimizer update, in any order
and for any t. A scheduler that steps per epoch (``t_in_epochs=True``) leaves the
param groups alone on ``step_update``, and the other way round, as timm's base
Scheduler does. Values are fetched a window at a time (see ``_pages.py``), one cache
per unit and view. ``noise`` (timm's seeded PyTorch noise) is the service's; the
group's ``lr_scale`` is applied here, read from the group at each step as timm reads it.

:class:`PlateauLRScheduler` sends the metrics it has been given and gets the next
LR, live, at every ``step``.
"""
import math

from ._client import EncodedNumbers, as_client
from ._groups import as_number, clean, param_groups_of
from ._pages import Pages

__all__ = [
    "Scheduler", "StepLRScheduler", "MultiStepLRScheduler", "CosineLRScheduler", "TanhLRScheduler",
    "PolyLRScheduler", "PlateauLRScheduler", "create_scheduler_v2", "create_scheduler", "scheduler_kwargs",
]


class Scheduler(object):
    """timm's ``Scheduler`` base class: param groups, ``initial_lr``, noise, ``lr_scale``
    and the two units, over the service."""

    #: The scheduler's name on the wire.
    wire_name = None

    def _setup(self, optimizer, params, initialize, client):
        self.optimizer = optimizer
        self.param_group_field = "lr"
        self._initial_param_group_field = "initial_lr"
        self._client = as_client(client)
        groups = param_groups_of(optimizer)
        # timm's Scheduler.__init__: initial_lr is set once (setdefault), or must be there already.
        if initialize:
            for i, group in enumerate(groups):
                if "lr" not in group:
                    raise KeyError("lr missing from param_groups[%d]" % i)
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(groups):
                if "initial_lr" not in group:
                    raise KeyError("initial_lr missing from param_groups[%d]" % i)
        self.base_values = [group["initial_lr"] for group in groups]
        self.metric = None
        if params.get("noise_seed") is None:
            params["noise_seed"] = 42
        self._params = clean(params)
        for key, value in params.items():
            setattr(self, key, value)
        self._pages = {}
        self._constructor_values = self._construct(groups)
        self.update_groups_raw(self._constructor_values)

    # -- what the service is asked ------------------------------------------------------

    def _base_groups(self):
        return [{"lr": as_number(value, "param_groups[%d].initial_lr" % i)} for i, value in enumerate(self.base_values)]

    def _construct(self, groups):
        """The values timm's constructor leaves in the groups (the base LR, or
        warmup_lr_init during warmup, times lr_scale): the schedule asked in the unit
        it does not step in, where the service answers the constructor's values. The
        same request checks the parameters, so an argument error raises here."""
        body = {"scheduler": self.wire_name}
        body.update(self._params)
        body["param_groups"] = [self._group_for_construction(i, group) for i, group in enumerate(groups)]
        body["unit"] = "update" if self._params.get("t_in_epochs", True) else "epoch"
        body["view"] = "lr"
        body["start"] = 0
        body["count"] = 1
        window = self._client.window("/v1/schedules", body, len(groups))
        return window.row(0)

    def _group_for_construction(self, i, group):
        entry = {"lr": as_number(group["initial_lr"], "param_groups[%d].initial_lr" % i)}
        if "lr_scale" in group:
            entry["lr_scale"] = as_number(group["lr_scale"], "param_groups[%d].lr_scale" % i)
        return entry

    def _pages_for(self, unit, view):
        key = (unit, view)
        pages = self._pages.get(key)
        if pages is None:
            body = {"scheduler": self.wire_name}
            body.update(self._params)
            body["param_groups"] = self._base_groups()
            body["unit"] = unit
            body["view"] = view
            pages = Pages(self._client, "/v1/schedules", body, len(self.base_values))
            self._pages[key] = pages
        return pages

    def _unit(self):
        return "epoch" if self._params.get("t_in_epochs", True) else "update"

    # -- timm's interface ----------------------------------------------------------------

    def _get_lr(self, t):
        """timm's ``_get_lr(t)``: the schedule at t, without noise (the raw view)."""
        return self._pages_for(self._unit(), "raw").get(t)

    def _get_values(self, t, on_epoch=True):
        proceed = (on_epoch and self._params.get("t_in_epochs", True)) or (not on_epoch and not self._params.get("t_in_epochs", True))
        if not proceed:
            return None
        return self._get_lr(t)

    def values_at(self, t, on_epoch=True, view="lr"):
        """Not in timm: step t's values in one of the service's views, per group.
        ``raw``: ``_get_values(t, on_epoch)`` (None in the unit the schedule does not
        step in); ``noisy``: with timm's noise (what ``step`` hands to
        ``update_groups``); ``lr``: what the group holds after ``step(t)`` /
        ``step_update(t)`` on a fresh scheduler (noise and ``lr_scale``, or the
        constructor's value where the schedule yields nothing)."""
        if view not in ("raw", "noisy", "lr"):
            raise ValueError("view must be 'raw', 'noisy' or 'lr', got %r" % (view,))
        unit = "epoch" if on_epoch else "update"
        if unit != self._unit():
            return None if view != "lr" else list(self._constructor_values)
        values = self._pages_for(unit, "raw" if view == "raw" else "noisy").get(t)
        if view == "lr":
            groups = param_groups_of(self.optimizer)
            values = [v * group["lr_scale"] if "lr_scale" in group else v for v, group in zip(values, groups)]
        return values

    def step(self, epoch, metric=None):
        self.metric = metric
        if not self._params.get("t_in_epochs", True):
            return
        self.update_groups(self._pages_for("epoch", "noisy").get(epoch))

    def step_update(self, num_updates, metric=None):
        self.metric = metric
        if self._params.get("t_in_epochs", True):
            return
        self.update_groups(self._pages_for("update", "noisy").get(num_updates))

    def update_groups(self, values):
        if not isinstance(values, (list, tuple)):
            values = [values] * len(param_groups_of(self.optimizer))
        for param_group, value in zip(param_groups_of(self.optimizer), values):
            if value is None:
                continue
            if "lr_scale" in param_group:
                param_group[self.param_group_field] = value * param_group["lr_scale"]
            else:
                param_group[self.param_group_field] = value

    def update_groups_raw(self, values):
        """Sets the values as they are (lr_scale already applied)."""
        for param_group, value in zip(param_groups_of(self.optimizer), values):
            if value is not None:
                param_group[self.param_group_field] = value

    def state_dict(self):
        """As timm's: the scheduler's attributes but the optimizer (plain data, picklable)."""
        state = {"base_values": list(self.base_values), "metric": self.metric}
        state.update(self._public_params())
        return state

    def _public_params(self):
        return {key: getattr(self, key) for key in self._params}

    def load_state_dict(self, state_dict):
        """As timm's: the attributes are updated from the state."""
        params = dict(self._params)
        for key, value in state_dict.items():
            setattr(self, key, value)
            if key in params:
                params[key] = value
        self._params = clean(params)
        self._pages = {}

    @property
    def client(self):
        return self._client

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % kv for kv in self._public_params().items()))


class _CycleLength(object):
    def get_cycle_length(self, cycles=0):
        """timm's ``get_cycle_length``: the steps of ``cycles`` cycles (default
        ``cycle_limit``), the warmup included where it is a prefix."""
        cycles = max(1, cycles or self.cycle_limit)
        if self.cycle_mul == 1.0:
            t = self.t_initial * cycles
        else:
            t = int(math.floor(-self.t_initial * (self.cycle_mul ** cycles - 1) / (1 - self.cycle_mul)))
        return t + self.warmup_t if self.warmup_prefix else t


def _noise_type(noise_type):
    return "normal" if noise_type is None else noise_type


class StepLRScheduler(Scheduler):
    wire_name = "step"

    def __init__(self, optimizer, decay_t, decay_rate=1., warmup_t=0, warmup_lr_init=0, warmup_prefix=True,
                 t_in_epochs=True, noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42,
                 initialize=True, *, noise_type="normal", client=None):
        self._setup(optimizer, dict(
            decay_t=decay_t, decay_rate=decay_rate, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init,
            warmup_prefix=warmup_prefix, t_in_epochs=t_in_epochs, noise_range_t=noise_range_t,
            noise_type=_noise_type(noise_type), noise_pct=noise_pct, noise_std=noise_std, noise_seed=noise_seed,
        ), initialize, client)


class MultiStepLRScheduler(Scheduler):
    wire_name = "multistep"

    def __init__(self, optimizer, decay_t, decay_rate=1., warmup_t=0, warmup_lr_init=0., warmup_prefix=True,
                 t_in_epochs=True, noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42,
                 initialize=True, *, noise_type="normal", client=None):
        self._setup(optimizer, dict(
            decay_t=list(decay_t), decay_rate=decay_rate, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init,
            warmup_prefix=warmup_prefix, t_in_epochs=t_in_epochs, noise_range_t=noise_range_t,
            noise_type=_noise_type(noise_type), noise_pct=noise_pct, noise_std=noise_std, noise_seed=noise_seed,
        ), initialize, client)

    def get_curr_decay_steps(self, t):
        import bisect
        return bisect.bisect_right(self.decay_t, t)


class CosineLRScheduler(_CycleLength, Scheduler):
    wire_name = "cosine"

    def __init__(self, optimizer, t_initial, lr_min=0., cycle_mul=1., cycle_decay=1., cycle_limit=1,
                 warmup_t=0, warmup_lr_init=0, warmup_prefix=False, t_in_epochs=True, noise_range_t=None,
                 noise_pct=0.67, noise_std=1.0, noise_seed=42, k_decay=1.0, initialize=True, *,
                 noise_type="normal", client=None):
        self._setup(optimizer, dict(
            t_initial=t_initial, lr_min=lr_min, cycle_mul=cycle_mul, cycle_decay=cycle_decay,
            cycle_limit=cycle_limit, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init,
            warmup_prefix=warmup_prefix, t_in_epochs=t_in_epochs, noise_range_t=noise_range_t,
            noise_type=_noise_type(noise_type), noise_pct=noise_pct, noise_std=noise_std, noise_seed=noise_seed,
            k_decay=k_decay,
        ), initialize, client)


class TanhLRScheduler(_CycleLength, Scheduler):
    wire_name = "tanh"

    def __init__(self, optimizer, t_initial, lb=-7., ub=3., lr_min=0., cycle_mul=1., cycle_decay=1.,
                 cycle_limit=1, warmup_t=0, warmup_lr_init=0, warmup_prefix=False, t_in_epochs=True,
                 noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42, initialize=True, *,
                 noise_type="normal", client=None):
        self._setup(optimizer, dict(
            t_initial=t_initial, lb=lb, ub=ub, lr_min=lr_min, cycle_mul=cycle_mul, cycle_decay=cycle_decay,
            cycle_limit=cycle_limit, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init,
            warmup_prefix=warmup_prefix, t_in_epochs=t_in_epochs, noise_range_t=noise_range_t,
            noise_type=_noise_type(noise_type), noise_pct=noise_pct, noise_std=noise_std, noise_seed=noise_seed,
        ), initialize, client)


class PolyLRScheduler(_CycleLength, Scheduler):
    wire_name = "poly"

    def __init__(self, optimizer, t_initial, power=0.5, lr_min=0., cycle_mul=1., cycle_decay=1., cycle_limit=1,
                 warmup_t=0, warmup_lr_init=0, warmup_prefix=False, t_in_epochs=True, noise_range_t=None,
                 noise_pct=0.67, noise_std=1.0, noise_seed=42, k_decay=1.0, initialize=True, *,
                 noise_type="normal", client=None):
        self._setup(optimizer, dict(
            t_initial=t_initial, power=power, lr_min=lr_min, cycle_mul=cycle_mul, cycle_decay=cycle_decay,
            cycle_limit=cycle_limit, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init,
            warmup_prefix=warmup_prefix, t_in_epochs=t_in_epochs, noise_range_t=noise_range_t,
            noise_type=_noise_type(noise_type), noise_pct=noise_pct, noise_std=noise_std, noise_seed=noise_seed,
            k_decay=k_decay,
        ), initialize, client)


class PlateauLRScheduler(Scheduler):
    """timm's ``PlateauLRScheduler``: ReduceLROnPlateau with warmup and noise. The
    service computes it as a function of the metric history, so every ``step`` sends
    the metrics seen so far and sets the LR it answers.

    timm's train loop calls ``step(epoch, metric)`` with epoch = 1, 2, 3, ... (after
    each epoch, before counting it); the history is that sequence, and an epoch out of
    it raises ValueError. ``step_update`` does nothing, as in timm.
    """
    wire_name = "plateau"

    def __init__(self, optimizer, decay_rate=0.1, patience_t=10, verbose=True, threshold=1e-4, cooldown_t=0,
                 warmup_t=0, warmup_lr_init=0, lr_min=0, mode='max', noise_range_t=None, noise_type='normal',
                 noise_pct=0.67, noise_std=1.0, noise_seed=None, initialize=True, *, client=None):
        self.verbose = verbose
        self._history = EncodedNumbers()
        self._setup(optimizer, dict(
            decay_rate=decay_rate, patience_t=patience_t, threshold=threshold, cooldown_t=cooldown_t,
            warmup_t=warmup_t, warmup_lr_init=warmup_lr_init, lr_min=lr_min, mode=mode,
            noise_range_t=noise_range_t, noise_type=_noise_type(noise_type), noise_pct=noise_pct,
            noise_std=noise_std, noise_seed=noise_seed,
        ), initialize, client)

    def _value(self, t):
        body = {"scheduler": self.wire_name}
        body.update(self._params)
        body["param_groups"] = self._groups
        body["start"] = t
        body["count"] = 1
        window = self._client.window("/v1/schedules", body, len(self._groups), raw={"metrics": self._history.json()})
        return window.row(t)

    def _construct(self, groups):
        self._groups = [self._group_for_construction(i, group) for i, group in enumerate(groups)]
        return self._value(0)

    @property
    def last_epoch(self):
        """The epoch of the last ``step`` (0 before the first)."""
        return len(self._history)

    @property
    def metrics(self):
        """The metrics given to ``step`` so far, one per epoch."""
        return list(self._history.values)

    def step(self, epoch, metric=None):
        expected = len(self._history) + 1
        if epoch != expected:
            raise ValueError(
                "PlateauLRScheduler.step(epoch=%r): the service computes plateau from the metric history of "
                "timm's train loop, step(1, metric), step(2, metric), ... in order; the next epoch is %d"
                % (epoch, expected))
        warmup = epoch <= self._params["warmup_t"]
        if metric is None:
            if not warmup:
                # torch's ReduceLROnPlateau.step(None) fails on float(None).
                raise TypeError("PlateauLRScheduler.step(%d) needs the eval metric after the warmup (got None)" % epoch)
            value = 0.0  # read by nothing: warmup epochs do not step the plateau
        else:
            value = metric
        self._history.append(value)
        try:
            values = self._value(epoch)
        except BaseException:
            self._history.pop()
            raise
        self.metric = metric
        self.update_groups_raw(values)

    def step_update(self, num_updates, metric=None):
        return None

    def _get_lr(self, t):
        raise AssertionError("should not be called as step is overridden")

    def values_at(self, t, on_epoch=True, view="lr"):
        raise NotImplementedError("PlateauLRScheduler's values depend on the metrics: use step(epoch, metric)")

    def state_dict(self):
        """The parameters and the metric history (timm keeps ReduceLROnPlateau's best
        and last_epoch; the history gives those and everything else)."""
        state = Scheduler.state_dict(self)
        state["metrics_history"] = list(self._history.values)
        state["param_groups"] = [dict(g) for g in self._groups]
        return state

    def load_state_dict(self, state_dict):
        state = dict(state_dict)
        history = state.pop("metrics_history", None)
        groups = state.pop("param_groups", None)
        Scheduler.load_state_dict(self, state)
        if history is not None:
            self._history = EncodedNumbers(history)
        if groups is not None:
            self._groups = [dict(g) for g in groups]


def create_scheduler_v2(
        optimizer,
        sched='cosine',
        num_epochs=300,
        decay_epochs=90,
        decay_milestones=(90, 180, 270),
        cooldown_epochs=0,
        patience_epochs=10,
        decay_rate=0.1,
        min_lr=0,
        warmup_lr=1e-5,
        warmup_epochs=0,
        warmup_prefix=False,
        noise=None,
        noise_pct=0.67,
        noise_std=1.,
        noise_seed=42,
        cycle_mul=1.,
        cycle_decay=0.1,
        cycle_limit=1,
        k_decay=1.0,
        plateau_mode='max',
        step_on_epochs=True,
        updates_per_epoch=0,
        *,
        client=None,
):
    """timm's ``create_scheduler_v2``: the scheduler train.py builds, and the number of
    epochs it runs (cycles, cooldown and the warmup prefix included)."""
    t_initial = num_epochs
    warmup_t = warmup_epochs
    decay_t = decay_epochs
    cooldown_t = cooldown_epochs

    if not step_on_epochs:
        assert updates_per_epoch > 0, 'updates_per_epoch must be set to number of dataloader batches'
        t_initial = t_initial * updates_per_epoch
        warmup_t = warmup_t * updates_per_epoch
        decay_t = decay_t * updates_per_epoch
        decay_milestones = [d * updates_per_epoch for d in decay_milestones]
        cooldown_t = cooldown_t * updates_per_epoch

    warmup_args = dict(warmup_lr_init=warmup_lr, warmup_t=warmup_t, warmup_prefix=warmup_prefix)

    if noise is not None:
        if isinstance(noise, (list, tuple)):
            noise_range = [n * t_initial for n in noise]
            if len(noise_range) == 1:
                noise_range = noise_range[0]
        else:
            noise_range = noise * t_initial
    else:
        noise_range = None
    noise_args = dict(noise_range_t=noise_range, noise_pct=noise_pct, noise_std=noise_std, noise_seed=noise_seed)
    cycle_args = dict(cycle_mul=cycle_mul, cycle_decay=cycle_decay, cycle_limit=cycle_limit)

    lr_scheduler = None
    if sched == 'cosine':
        lr_scheduler = CosineLRScheduler(
            optimizer, t_initial=t_initial, lr_min=min_lr, t_in_epochs=step_on_epochs,
            **cycle_args, **warmup_args, **noise_args, k_decay=k_decay, client=client)
    elif sched == 'tanh':
        lr_scheduler = TanhLRScheduler(
            optimizer, t_initial=t_initial, lr_min=min_lr, t_in_epochs=step_on_epochs,
            **cycle_args, **warmup_args, **noise_args, client=client)
    elif sched == 'step':
        lr_scheduler = StepLRScheduler(
            optimizer, decay_t=decay_t, decay_rate=decay_rate, t_in_epochs=step_on_epochs,
            **warmup_args, **noise_args, client=client)
    elif sched == 'multistep':
        lr_scheduler = MultiStepLRScheduler(
            optimizer, decay_t=decay_milestones, decay_rate=decay_rate, t_in_epochs=step_on_epochs,
            **warmup_args, **noise_args, client=client)
    elif sched == 'plateau':
        assert step_on_epochs, 'Plateau LR only supports step per epoch.'
        warmup_args.pop('warmup_prefix', False)
        lr_scheduler = PlateauLRScheduler(
            optimizer, decay_rate=decay_rate, patience_t=patience_epochs, cooldown_t=0, **warmup_args,
            lr_min=min_lr, mode=plateau_mode, **noise_args, client=client)
    elif sched == 'poly':
        lr_scheduler = PolyLRScheduler(
            optimizer, power=decay_rate, t_initial=t_initial, lr_min=min_lr, t_in_epochs=step_on_epochs,
            k_decay=k_decay, **cycle_args, **warmup_args, **noise_args, client=client)

    if hasattr(lr_scheduler, 'get_cycle_length'):
        # cosine, tanh and poly: the cycles (warmup prefix included) and the cooldown
        t_with_cycles_and_cooldown = lr_scheduler.get_cycle_length() + cooldown_t
        if step_on_epochs:
            num_epochs = t_with_cycles_and_cooldown
        else:
            num_epochs = t_with_cycles_and_cooldown // updates_per_epoch
    else:
        if warmup_prefix:
            num_epochs += warmup_epochs

    return lr_scheduler, num_epochs


def scheduler_kwargs(cfg, decreasing_metric=None):
    """timm's ``scheduler_kwargs``: train.py's arguments (an argparse namespace or a
    config object) as ``create_scheduler_v2``'s keyword arguments."""
    eval_metric = getattr(cfg, 'eval_metric', 'top1')
    if decreasing_metric is not None:
        plateau_mode = 'min' if decreasing_metric else 'max'
    else:
        plateau_mode = 'min' if 'loss' in eval_metric else 'max'
    return dict(
        sched=cfg.sched,
        num_epochs=getattr(cfg, 'epochs', 100),
        decay_epochs=getattr(cfg, 'decay_epochs', 30),
        decay_milestones=getattr(cfg, 'decay_milestones', [30, 60]),
        warmup_epochs=getattr(cfg, 'warmup_epochs', 5),
        cooldown_epochs=getattr(cfg, 'cooldown_epochs', 0),
        patience_epochs=getattr(cfg, 'patience_epochs', 10),
        decay_rate=getattr(cfg, 'decay_rate', 0.1),
        min_lr=getattr(cfg, 'min_lr', 0.),
        warmup_lr=getattr(cfg, 'warmup_lr', 1e-5),
        warmup_prefix=getattr(cfg, 'warmup_prefix', False),
        noise=getattr(cfg, 'lr_noise', None),
        noise_pct=getattr(cfg, 'lr_noise_pct', 0.67),
        noise_std=getattr(cfg, 'lr_noise_std', 1.),
        noise_seed=getattr(cfg, 'seed', 42),
        cycle_mul=getattr(cfg, 'lr_cycle_mul', 1.),
        cycle_decay=getattr(cfg, 'lr_cycle_decay', 0.1),
        cycle_limit=getattr(cfg, 'lr_cycle_limit', 1),
        k_decay=getattr(cfg, 'lr_k_decay', 1.0),
        plateau_mode=plateau_mode,
        step_on_epochs=not getattr(cfg, 'sched_on_updates', False),
    )


def create_scheduler(args, optimizer, updates_per_epoch=0, *, client=None):
    """timm's ``create_scheduler``: ``create_scheduler_v2`` from train.py's arguments."""
    return create_scheduler_v2(optimizer=optimizer, **scheduler_kwargs(args), updates_per_epoch=updates_per_epoch, client=client)
