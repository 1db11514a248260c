"""Every golden value of ../shared/fixtures/timm.json through the drop-in classes of
lr_schedules_client.timm, driven as the golden generator drove timm's: schedules
(raw, noisy and what step/step_update set), plateau, and train.py's loop around
create_scheduler_v2; and the train loops again through Plan (POST /v1/plans, paged).

Every value must be the fixture's double. Where the service's own tests list a
golden value that glibc computed 1 ulp off (test/schedules/timm/known-differences.ts),
the client's value must instead be the service's own, asked directly."""
import builtins
import unittest

import support
from lr_schedules_client import Plan, ServiceError
from lr_schedules_client import timm as client_timm

CLASSES = {
    "step": client_timm.StepLRScheduler,
    "multistep": client_timm.MultiStepLRScheduler,
    "cosine": client_timm.CosineLRScheduler,
    "tanh": client_timm.TanhLRScheduler,
    "poly": client_timm.PolyLRScheduler,
}

TRAIN_ARGS = {
    "num_epochs": "epochs", "noise": "lr_noise", "noise_pct": "lr_noise_pct", "noise_std": "lr_noise_std",
    "noise_seed": "seed", "cycle_mul": "lr_cycle_mul", "cycle_decay": "lr_cycle_decay",
    "cycle_limit": "lr_cycle_limit", "k_decay": "lr_k_decay",
}


def train_args(kwargs):
    """create_scheduler_v2's keyword names as train.py's (SPEC §3)."""
    args = {}
    for key, value in kwargs.items():
        if key == "step_on_epochs":
            args["sched_on_updates"] = not value
        else:
            args[TRAIN_ARGS.get(key, key)] = value
    return args


class Compare(object):
    """Compares per-step, per-group values with the fixture's, exactly."""

    def __init__(self, test, label, known, service_values):
        self.test = test
        self.label = label
        self.known = known
        self.service_values = service_values  # (case, view) -> the service's own rows
        self.values = 0

    def rows(self, case, view, actual, expected):
        self.test.assertEqual(len(actual), len(expected), "%s %s: steps" % (case["id"], view))
        own = None
        for t, (row, want) in enumerate(zip(actual, expected)):
            if want is None:
                self.test.assertIsNone(row, "%s/%s/%d: timm yields nothing" % (case["id"], view, t))
                self.values += 1
                continue
            self.test.assertIsNotNone(row, "%s/%s/%d" % (case["id"], view, t))
            self.test.assertEqual(len(row), len(want))
            for g, (a, b) in enumerate(zip(row, want)):
                self.values += 1
                if a == b:
                    continue
                key = "%s/%s/%d/%d" % (case["id"], view, t, g)
                if key not in self.known:
                    self.test.fail("%s: %r through the client, timm's %r" % (key, a, b))
                if own is None:
                    own = self.service_values(case, view)
                self.test.assertEqual(a, own[t][g], "%s: a listed difference, so the service's own value" % key)
                support.Tally.add("timm.json listed glibc differences, equal to the service's own values", 1)


def as_rows(values, groups):
    """A JSON answer's `lr` as rows per group."""
    return [None if v is None else ([v] if groups == 1 else list(v)) for v in values]


class TimmFixtures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = support.client()
        cls.cases = support.fixtures("timm")["cases"]
        cls.known = support.timm_known_differences()

    def service_schedule(self, case, view):
        body = {"scheduler": case["scheduler"], **case["kwargs"], "param_groups": case["param_groups"],
                "unit": "epoch" if case["call"] == "step" else "update", "view": view, "count": case["t_count"]}
        return as_rows(support.post("/v1/schedules", body)["lr"], len(case["param_groups"]))

    def run_schedules(self, make):
        compare = Compare(self, "schedules", self.known, self.service_schedule)
        cases = [c for c in self.cases if c["kind"] == "schedule"]
        errors = 0
        for case in cases:
            with self.subTest(case=case["id"]):
                cls = CLASSES[case["scheduler"]]
                on_epoch = case["call"] == "step"
                expected = case["expected"]
                optimizer = make(case["param_groups"])
                if "error" in expected:
                    errors += 1
                    with self.assertRaises(Exception) as raised:
                        scheduler = cls(optimizer, **case["kwargs"], client=self.client)
                        for t in range(case["t_count"]):
                            scheduler._get_values(t, on_epoch)
                            scheduler.step(t) if on_epoch else scheduler.step_update(t)
                    self.assertIsInstance(raised.exception, getattr(builtins, expected["error"]), str(raised.exception))
                    self.assertIsInstance(raised.exception, ServiceError, str(raised.exception))
                    continue
                scheduler = cls(optimizer, **case["kwargs"], client=self.client)
                compare.rows(case, "initial", [support.lrs(optimizer)], [expected["initial"]])
                raw, noisy, lr = [], [], []
                for t in range(case["t_count"]):
                    raw.append(scheduler._get_values(t, on_epoch))
                    noisy.append(scheduler.values_at(t, on_epoch, view="noisy"))
                    if on_epoch:
                        scheduler.step(t)
                    else:
                        scheduler.step_update(t)
                    lr.append(support.lrs(optimizer))
                compare.rows(case, "raw", raw, expected["raw"])
                compare.rows(case, "noisy", noisy, expected["noisy"])
                compare.rows(case, "lr", lr, expected["lr"])
        self.assertGreater(compare.values, 150000)
        self.assertEqual(errors, 7)
        return compare.values

    def run_plateau(self, make):
        compare = Compare(self, "plateau", self.known, None)
        for case in (c for c in self.cases if c["kind"] == "plateau"):
            with self.subTest(case=case["id"]):
                optimizer = make(case["param_groups"])
                scheduler = client_timm.PlateauLRScheduler(optimizer, **case["kwargs"], client=self.client)
                compare.rows(case, "initial", [support.lrs(optimizer)], [case["expected"]["initial"]])
                lr = []
                for e, metric in enumerate(case["metrics"]):
                    scheduler.step(e + 1, metric)
                    lr.append(support.lrs(optimizer))
                compare.rows(case, "lr", lr, case["expected"]["lr"])
        return compare.values

    def run_train_loops(self, make):
        compare = Compare(self, "train loops", self.known, self.service_plan)
        for case in (c for c in self.cases if c["kind"] == "train_loop"):
            with self.subTest(case=case["id"]):
                kwargs = case["create_scheduler_v2"]
                optimizer = make(case["param_groups"])
                expected = case["expected"]
                upe = case["updates_per_epoch"]
                if "error" in expected:
                    with self.assertRaises(getattr(builtins, expected["error"])):
                        client_timm.create_scheduler_v2(optimizer, **kwargs, updates_per_epoch=upe, client=self.client)
                    continue
                scheduler, num_epochs = client_timm.create_scheduler_v2(optimizer, **kwargs, updates_per_epoch=upe, client=self.client)
                self.assertEqual(num_epochs, expected["num_epochs"])
                self.assertEqual(type(scheduler).__name__, expected["scheduler_class"])
                metrics = case.get("metrics") or []
                per_update = []
                for epoch in range(num_epochs):
                    num_updates = epoch * upe
                    for _ in range(upe):
                        per_update.append(support.lrs(optimizer))
                        num_updates += 1
                        scheduler.step_update(num_updates=num_updates, metric=None)
                    if kwargs["sched"] == "plateau":
                        if epoch < len(metrics):
                            scheduler.step(epoch + 1, metrics[epoch])
                    else:
                        scheduler.step(epoch + 1, None)
                compare.rows(case, "per_update", per_update, expected["per_update"])
        return compare.values

    def service_plan(self, case, view):
        body = {**train_args(case["create_scheduler_v2"]), "param_groups": case["param_groups"],
                "updates_per_epoch": case["updates_per_epoch"]}
        if case.get("metrics"):
            body["metrics"] = case["metrics"]
        return as_rows(support.post("/v1/plans", body)["lr"], len(case["param_groups"]))

    def test_plans_through_plan(self):
        compare = Compare(self, "plans", self.known, self.service_plan)
        for case in (c for c in self.cases if c["kind"] == "train_loop"):
            with self.subTest(case=case["id"]):
                args = train_args(case["create_scheduler_v2"])
                if case.get("metrics"):
                    args["metrics"] = case["metrics"]
                expected = case["expected"]
                if "error" in expected:
                    with self.assertRaises(getattr(builtins, expected["error"])):
                        Plan(client=self.client, param_groups=case["param_groups"], updates_per_epoch=case["updates_per_epoch"], **args)
                    continue
                plan = Plan(client=self.client, param_groups=case["param_groups"], updates_per_epoch=case["updates_per_epoch"], **args)
                self.assertEqual(plan.num_epochs, expected["num_epochs"])
                self.assertEqual(plan.scheduler_class, expected["scheduler_class"])
                self.assertEqual(plan.total_updates, len(expected["per_update"]))
                compare.rows(case, "per_update", list(plan), expected["per_update"])
        support.Tally.add("timm.json train loops through Plan", compare.values)


def _fixture_tests(kind, make):
    def test_schedules(self):
        support.Tally.add("timm.json schedules (raw, noisy, lr) on %s" % kind, self.run_schedules(make))

    def test_plateau(self):
        support.Tally.add("timm.json plateau on %s" % kind, self.run_plateau(make))

    def test_train_loops(self):
        support.Tally.add("timm.json train loops on %s" % kind, self.run_train_loops(make))

    return test_schedules, test_plateau, test_train_loops


TimmFixtures.test_schedules, TimmFixtures.test_plateau, TimmFixtures.test_train_loops = _fixture_tests("a duck-typed optimizer", support.duck_optimizer)


@unittest.skipUnless(support.HAVE_TORCH, "torch is not installed for this interpreter (Debian's python3-torch): the fixtures run on a duck-typed optimizer only")
class TimmFixturesOnTorchSGD(TimmFixtures):
    test_plans_through_plan = None


if support.HAVE_TORCH:
    TimmFixturesOnTorchSGD.test_schedules, TimmFixturesOnTorchSGD.test_plateau, TimmFixturesOnTorchSGD.test_train_loops = _fixture_tests("torch.optim.SGD", support.torch_optimizer)


if __name__ == "__main__":
    unittest.main()
