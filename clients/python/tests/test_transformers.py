"""Every golden value of ../shared/fixtures/transformers.json through
lr_schedules_client.transformers.get_scheduler: the case's type with its
num_warmup_steps, num_training_steps and scheduler_specific_kwargs, then step() (with
the metric, for reduce_lr_on_plateau) as many times as the case has steps. Where
transformers raises, the client raises the same exception class at the same step.

Values that the service's own tests trace to glibc's cos and pow
(test/schedules/transformers/known-differences.ts) must be the service's own values,
asked directly, at exactly the listed distance; every other value must be transformers'."""
import builtins
import unittest

import support
from lr_schedules_client import ServiceError
from lr_schedules_client import transformers as client_transformers


def make_scheduler(case, optimizer, client):
    kwargs = dict(case["kwargs"])
    warmup = kwargs.pop("num_warmup_steps", None)
    training = kwargs.pop("num_training_steps", None)
    return client_transformers.get_scheduler(case["scheduler"], optimizer, num_warmup_steps=warmup,
                                             num_training_steps=training, scheduler_specific_kwargs=kwargs, client=client)


class TransformersFixtures(unittest.TestCase):
    make = staticmethod(support.duck_optimizer)
    kind = "a duck-typed optimizer"

    @classmethod
    def setUpClass(cls):
        cls.client = support.client()
        cls.cases = support.fixtures("transformers")["cases"]
        cls.known = support.transformers_known_differences()

    def service_values(self, case, steps):
        body = {"scheduler": "transformers." + case["scheduler"], **case["kwargs"], "param_groups": case["param_groups"], "count": steps}
        if case.get("metrics") is not None:
            body["metrics"] = case["metrics"][:max(steps - 1, 0)]
        lr = support.post("/v1/schedules", body)["lr"]
        return [[v] if len(case["param_groups"]) == 1 else list(v) for v in lr]

    def compare(self, case, actual, expected):
        self.assertEqual(len(actual), len(expected), case["id"])
        own = None
        for t, (row, want) in enumerate(zip(actual, expected)):
            for g, (a, b) in enumerate(zip(row, want)):
                if a == b:
                    continue
                key = "%s/%d/%d" % (case["id"], t, g)
                self.assertIn(key, self.known, "%s: %r through the client, transformers' %r" % (key, a, b))
                self.assertEqual(support.ulps(a, b), self.known[key], key)
                if own is None:
                    own = self.service_values(case, len(expected))
                self.assertEqual(a, own[t][g], "%s: a listed difference, so the service's own value" % key)
                support.Tally.add("transformers.json listed glibc differences, equal to the service's own values", 1)
        return sum(len(row) for row in actual)

    def test_every_case(self):
        compared = 0
        errors = 0
        for case in self.cases:
            with self.subTest(case=case["id"]):
                optimizer = self.make(case["param_groups"])
                expected = case["expected"]
                metrics = case.get("metrics")
                plateau = case["scheduler"] == "reduce_lr_on_plateau"
                if "error" in expected and expected.get("at_step") is None:
                    errors += 1
                    with self.assertRaises(getattr(builtins, expected["error"])):
                        make_scheduler(case, optimizer, self.client)
                    continue
                scheduler = make_scheduler(case, optimizer, self.client)
                values = [support.lrs(optimizer)]
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
        self.assertEqual(errors, 31)
        self.assertGreater(compared, 400000)
        support.Tally.add("transformers.json on %s" % self.kind, compared)


@unittest.skipUnless(support.HAVE_TORCH, "torch is not installed for this interpreter (Debian's python3-torch): the fixtures run on a duck-typed optimizer only")
class TransformersFixturesOnTorchSGD(TransformersFixtures):
    make = staticmethod(support.torch_optimizer if support.HAVE_TORCH else None)
    kind = "torch.optim.SGD"


if __name__ == "__main__":
    unittest.main()
