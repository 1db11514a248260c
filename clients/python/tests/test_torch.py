"""Every golden value of ../shared/fixtures/torch.json through the drop-in classes of
lr_schedules_client.torch: each case's scheduler built on the optimizer (a composite's
children built first, as torch's users write them), then step() (with the metric, for
ReduceLROnPlateau) as many times as the case has steps; value t is every group's LR
after t steps. Where torch raises, the client raises the same exception class at the
same step, after the same values, and the failing step leaves the LRs alone.

Values the service's own tests trace to glibc's libm (test/schedules/torch/
known-differences.ts lists, per case, how many differ and from which step) must be
the service's own values, asked directly; every other value must be torch's."""
import builtins
import unittest
import warnings

import support
from lr_schedules_client import ServiceError
from lr_schedules_client import torch as client_torch


def build(spec, optimizer, client):
    """A scheduler from the fixture's kwargs; children first, as torch's users write them."""
    name = spec["scheduler"]
    kwargs = {k: v for k, v in spec.items() if k != "scheduler"}
    if "schedulers" in kwargs:
        kwargs["schedulers"] = [build(child, optimizer, client) for child in kwargs["schedulers"]]
    cls = getattr(client_torch, name)
    if name == "ChainedScheduler":
        return cls(optimizer=optimizer, client=client, **kwargs)
    return cls(optimizer, client=client, **kwargs)


def renamed(value):
    """The fixture's kwargs as the service's request: children named torch.<Class>."""
    if isinstance(value, list):
        return [renamed(v) for v in value]
    if isinstance(value, dict):
        return {k: ("torch." + v if k == "scheduler" and isinstance(v, str) else renamed(v)) for k, v in value.items()}
    return value


class TorchFixtures(unittest.TestCase):
    make = staticmethod(support.duck_optimizer)
    kind = "a duck-typed optimizer"

    @classmethod
    def setUpClass(cls):
        cls.client = support.client()
        cls.cases = support.fixtures("torch")["cases"]
        cls.carried = support.torch_carried_differences()

    def service_values(self, case, steps):
        body = {"scheduler": "torch." + case["scheduler"], **renamed(case["kwargs"]), "param_groups": case["param_groups"], "count": steps}
        if case.get("metrics") is not None:
            body["metrics"] = case["metrics"][:max(steps - 1, 0)]
        lr = support.post("/v1/schedules", body)["lr"]
        return [[v] if len(case["param_groups"]) == 1 else list(v) for v in lr]

    def compare(self, case, actual, expected):
        self.assertEqual(len(actual), len(expected), case["id"])
        differing = []
        for t, (row, want) in enumerate(zip(actual, expected)):
            for g, (a, b) in enumerate(zip(row, want)):
                if a != b:
                    differing.append((t, g))
        if differing:
            listed = self.carried.get(case["id"])
            self.assertIsNotNone(listed, "%s: %d values differ from torch's (first at %r), none listed" % (case["id"], len(differing), differing[0]))
            values, start, _ = listed
            self.assertEqual(len(differing), values, "%s: as many differing values as listed" % case["id"])
            self.assertGreaterEqual(differing[0][0], start, case["id"])
            own = self.service_values(case, len(expected))
            for t, g in differing:
                self.assertEqual(actual[t][g], own[t][g], "%s/%d/%d: a listed difference, so the service's own value" % (case["id"], t, g))
            support.Tally.add("torch.json listed glibc differences, equal to the service's own values", len(differing))
        return sum(len(row) for row in actual)

    def test_every_case(self):
        compared = 0
        errors = 0
        for case in self.cases:
            with self.subTest(case=case["id"]):
                optimizer = self.make(case["param_groups"])
                expected = case["expected"]
                metrics = case.get("metrics")
                plateau = case["scheduler"] == "ReduceLROnPlateau"
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", client_torch.MomentumNotCycledWarning)
                    if "error" in expected and expected.get("at_step") is None:
                        errors += 1
                        with self.assertRaises(getattr(builtins, expected["error"])) as raised:
                            build({"scheduler": case["scheduler"], **case["kwargs"]}, optimizer, self.client)
                        continue
                    scheduler = build({"scheduler": case["scheduler"], **case["kwargs"]}, optimizer, self.client)
                values = [support.lrs(optimizer)]
                self.assertEqual(scheduler.get_last_lr(), values[0])
                steps = expected["at_step"] if "error" in expected else case["steps"]
                for t in range(1, steps):
                    scheduler.step(metrics[t - 1]) if plateau else scheduler.step()
                    values.append(support.lrs(optimizer))
                if "error" in expected:
                    errors += 1
                    before = support.lrs(optimizer)
                    with self.assertRaises(getattr(builtins, expected["error"])) as raised:
                        scheduler.step(metrics[steps - 1]) if plateau else scheduler.step()
                    self.assertIsInstance(raised.exception, ServiceError)
                    self.assertEqual(support.lrs(optimizer), before, "%s: the failing step sets nothing" % case["id"])
                    compared += self.compare(case, values, expected.get("lr", []))
                    continue
                self.assertEqual(scheduler.get_last_lr(), values[-1])
                compared += self.compare(case, values, expected["lr"])
        self.assertEqual(errors, 29)
        self.assertGreater(compared, 490000)
        support.Tally.add("torch.json on %s" % self.kind, compared)


@unittest.skipUnless(support.HAVE_TORCH, "torch is not installed for this interpreter (Debian's python3-torch): the fixtures run on a duck-typed optimizer only")
class TorchFixturesOnTorchSGD(TorchFixtures):
    make = staticmethod(support.torch_optimizer if support.HAVE_TORCH else None)
    kind = "torch.optim.SGD"


if __name__ == "__main__":
    unittest.main()
