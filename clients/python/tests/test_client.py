"""The client's own behaviour: paging, caching and formats, state_dict round trips in
the middle of a run, the live plateau schedulers, the service's problems as Python
exceptions, retries, and a service that goes away in the middle of a run."""
import copy
import http.server
import json
import os
import pickle
import threading
import time
import unittest
import urllib.request
import warnings

import support
import lr_schedules_client
from lr_schedules_client import Client, Plan, ServiceError, ServiceUnavailableError, set_default_client
from lr_schedules_client import _client as client_module
from lr_schedules_client import timm as T
from lr_schedules_client import torch as P
from lr_schedules_client import transformers as H


def rows(answer, groups=1):
    return [[v] if groups == 1 else list(v) for v in answer["lr"]]


def run_torch(scheduler, optimizer, steps):
    values = [support.lrs(optimizer)]
    for _ in range(steps):
        scheduler.step()
        values.append(support.lrs(optimizer))
    return values


class Paging(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = support.service_url()

    def test_windows_across_boundaries_in_both_formats(self):
        """A timm schedule per update read in order, backwards and by jumps, through
        windows of 16 values, is the service's one answer, in JSON, NPY with NumPy and
        NPY without it."""
        expected = rows(support.post("/v1/schedules", {"scheduler": "cosine", "t_initial": 700, "warmup_t": 30, "warmup_lr_init": 1e-4,
                                                        "t_in_epochs": False, "noise_range_t": 100, "cycle_limit": 2,
                                                        "param_groups": [{"lr": 0.1}, {"lr": 0.05, "lr_scale": 0.5}],
                                                        "unit": "update", "count": 1500}), 2)
        formats = ["json", "npy"]
        for fmt in formats + ["npy-without-numpy"]:
            with self.subTest(format=fmt):
                saved = client_module._np
                if fmt == "npy-without-numpy":
                    client_module._np = None
                try:
                    client = Client(self.url, format="json" if fmt == "json" else "npy", page_values=16)
                    optimizer = support.DuckOptimizer([{"lr": 0.1}, {"lr": 0.05, "lr_scale": 0.5}])
                    scheduler = T.CosineLRScheduler(optimizer, t_initial=700, warmup_t=30, warmup_lr_init=1e-4, t_in_epochs=False,
                                                    noise_range_t=100, cycle_limit=2, client=client)
                    order = list(range(1500)) + list(range(1499, -1, -7)) + [0, 1499, 8, 9, 7, 1000, 15, 16, 17, 31, 32]
                    for t in order:
                        scheduler.step_update(t)
                        self.assertEqual(support.lrs(optimizer), expected[t], "t=%d" % t)
                    pages = scheduler._pages[("update", "noisy")]
                    self.assertLessEqual(max(w.count for w in pages._windows), 8, "16 values, 2 groups: windows of at most 8 steps")
                    self.assertGreaterEqual(pages.fetches, 1500 // 8)
                finally:
                    client_module._np = saved

    def test_windows_grow_while_reading_on(self):
        client = Client(self.url)
        optimizer = support.DuckOptimizer([{"lr": 0.1}])
        scheduler = P.CosineAnnealingLR(optimizer, T_max=200000, client=client)
        first = scheduler._pages.fetches
        self.assertEqual(first, 1, "the constructor fetched one window")
        self.assertEqual(scheduler._pages._windows[-1].count, 256, "a short first window: the first step does not wait for the run")
        for _ in range(100000):
            scheduler.step()
        sizes = [256 * 4 ** k for k in range(5)]
        self.assertLessEqual(scheduler._pages.fetches, 6, "windows of 256, 1024, 4096, 16384, 65536 and 262144 steps")
        expected = support.post("/v1/schedules", {"scheduler": "torch.CosineAnnealingLR", "T_max": 200000, "lr": 0.1, "start": 100000, "count": 1})["lr"][0]
        self.assertEqual(support.lrs(optimizer), [expected])
        self.assertTrue(sizes)

    def test_a_step_where_the_library_raises(self):
        """cosine with cycle_mul < 1 is finite: timm raises ValueError past its end. The
        windows before it are served; exactly the first step past it raises."""
        body = {"scheduler": "cosine", "t_initial": 40, "cycle_mul": 0.5, "cycle_limit": 3, "lr": 0.1}
        first_bad = None
        for t in range(60, 100):
            try:
                support.post("/v1/schedules", dict(body, start=t, count=1))
            except urllib.error.HTTPError as error:
                self.assertEqual(error.code, 422)
                first_bad = t
                break
        self.assertIsNotNone(first_bad)
        client = Client(self.url)
        optimizer = support.DuckOptimizer([{"lr": 0.1}])
        scheduler = T.CosineLRScheduler(optimizer, t_initial=40, cycle_mul=0.5, cycle_limit=3, client=client)
        before = client.requests
        for t in range(first_bad):
            scheduler.step(t)
        lr = support.lrs(optimizer)
        with self.assertRaises(ValueError) as raised:
            scheduler.step(first_bad)
        self.assertIsInstance(raised.exception, ServiceError)
        self.assertEqual(raised.exception.exception, "ValueError")
        self.assertEqual(raised.exception.paths, ["/cycle_mul"])
        self.assertEqual(support.lrs(optimizer), lr, "the failing step sets nothing")
        self.assertLess(client.requests - before, 40, "the refusal is found by halving windows")

    def test_plan_pages(self):
        args = dict(sched="step", epochs=40, decay_epochs=7, decay_rate=0.5, warmup_epochs=3, lr=0.1, updates_per_epoch=251,
                    lr_noise=[0.2, 0.6], sched_on_updates=True)
        expected = rows(support.post("/v1/plans", args))
        plan = Plan(client=Client(self.url, page_values=1000), **args)
        self.assertEqual((plan.num_epochs, plan.updates_per_epoch, plan.total_updates, plan.scheduler_class),
                         (40, 251, 40 * 251, "StepLRScheduler"))
        self.assertEqual(list(plan), expected)
        self.assertEqual(plan.lr(5000), expected[5000])
        self.assertEqual(plan[-1], expected[-1])
        self.assertEqual(plan.epoch(3), expected[3 * 251:4 * 251])
        chunks = list(plan.windows())
        self.assertEqual(sum(len(values) for _, values in chunks), 40 * 251)
        self.assertEqual([start for start, _ in chunks][:2], [0, chunks[0][1].__len__()])
        with self.assertRaises(IndexError):
            plan.lr(40 * 251)

    def test_nothing_yielded_is_none(self):
        """A per-epoch schedule asked per update yields nothing: NaN in NPY, null in JSON, None here."""
        body = {"scheduler": "step", "decay_t": 3, "param_groups": [{"lr": 0.1}, {"lr": 0.2}], "unit": "update", "view": "raw", "start": 5, "count": 3}
        for fmt in ("json", "npy"):
            window = Client(self.url, format=fmt).window("/v1/schedules", body, 2)
            self.assertEqual([window.row(t) for t in range(5, 8)], [[None, None]] * 3)
        optimizer = support.DuckOptimizer([{"lr": 0.1}])
        scheduler = T.StepLRScheduler(optimizer, decay_t=3, decay_rate=0.5, client=Client(self.url))
        self.assertIsNone(scheduler._get_values(7, on_epoch=False))
        self.assertEqual(scheduler.values_at(7, on_epoch=False, view="lr"), [0.1])
        requests = scheduler.client.requests
        scheduler.step_update(7)
        self.assertEqual(scheduler.client.requests, requests, "a per-epoch schedule asks nothing on step_update")
        self.assertEqual(support.lrs(optimizer), [0.1])
        scheduler.step(3)
        self.assertEqual(support.lrs(optimizer), [0.05])

    def test_get_cycle_length_is_the_services_length(self):
        for cls, name, kwargs in [(T.CosineLRScheduler, "cosine", dict(t_initial=37, cycle_mul=1.7, cycle_limit=4, warmup_t=5, warmup_prefix=True)),
                                  (T.TanhLRScheduler, "tanh", dict(t_initial=10, cycle_limit=3)),
                                  (T.PolyLRScheduler, "poly", dict(t_initial=13, cycle_mul=0.5, cycle_limit=3, warmup_t=2))]:
            scheduler = cls(support.DuckOptimizer([{"lr": 0.1}]), client=Client(self.url), **kwargs)
            self.assertEqual(scheduler.get_cycle_length(), support.post("/v1/schedules", dict(kwargs, scheduler=name, lr=0.1))["count"], name)


class RoundTrips(unittest.TestCase):
    """state_dict() in the middle of a run, through pickle, into a scheduler built anew
    on an optimizer restored to that point: the rest of the run is the same."""

    @classmethod
    def setUpClass(cls):
        cls.client = Client(support.service_url(), page_values=64)

    def resume(self, build, drive, steps, split):
        optimizer = support.DuckOptimizer([{"lr": 0.1}, {"lr": 0.02}])
        scheduler = build(optimizer)
        whole = [drive(scheduler, optimizer, t) for t in range(steps)]

        optimizer = support.DuckOptimizer([{"lr": 0.1}, {"lr": 0.02}])
        scheduler = build(optimizer)
        first = [drive(scheduler, optimizer, t) for t in range(split)]
        state = pickle.loads(pickle.dumps(scheduler.state_dict()))
        saved_groups = copy.deepcopy(optimizer.param_groups)

        restored = support.DuckOptimizer([{"lr": 0.1}, {"lr": 0.02}])
        again = build(restored)
        restored.param_groups = saved_groups  # as optimizer.load_state_dict restores them
        again.load_state_dict(state)
        rest = [drive(again, restored, t) for t in range(split, steps)]
        self.assertEqual(first + rest, whole)
        return again

    def test_timm(self):
        def drive(scheduler, optimizer, t):
            scheduler.step_update(t)
            return support.lrs(optimizer)
        self.resume(lambda o: T.CosineLRScheduler(o, t_initial=300, warmup_t=20, t_in_epochs=False, noise_range_t=50, client=self.client),
                    drive, 400, 123)

    def test_timm_plateau(self):
        metrics = [0.9, 0.8, 0.85, 0.86, 0.87, 0.7, 0.71, 0.72, 0.73, 0.74, 0.6, 0.61, 0.62]

        def drive(scheduler, optimizer, t):
            scheduler.step(t + 1, metrics[t])
            return support.lrs(optimizer)
        again = self.resume(lambda o: T.PlateauLRScheduler(o, mode="min", patience_t=1, warmup_t=2, warmup_lr_init=0.001,
                                                           noise_range_t=5, client=self.client), drive, len(metrics), 6)
        self.assertEqual(again.metrics, metrics)

    def test_torch(self):
        def drive(scheduler, optimizer, t):
            scheduler.step()
            return support.lrs(optimizer) + [scheduler.last_epoch] + scheduler.get_last_lr()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", P.MomentumNotCycledWarning)
            self.resume(lambda o: P.OneCycleLR(o, max_lr=[0.5, 0.1], total_steps=500, client=self.client), drive, 450, 201)

    def test_torch_composite(self):
        def build(o):
            warm = P.LinearLR(o, start_factor=0.01, total_iters=20, client=self.client)
            chained = P.ChainedScheduler([P.ExponentialLR(o, gamma=0.999, client=self.client),
                                          P.StepLR(o, step_size=30, gamma=0.5, client=self.client)])
            return P.SequentialLR(o, [warm, P.CosineAnnealingLR(o, T_max=100, client=self.client)], milestones=[20])

        def drive(scheduler, optimizer, t):
            scheduler.step()
            return support.lrs(optimizer)
        self.resume(build, drive, 200, 77)

    def test_torch_plateau_and_transformers(self):
        metrics = [1.0 / (1 + (i % 7)) for i in range(60)]

        def drive_plateau(scheduler, optimizer, t):
            scheduler.step(metrics[t])
            return support.lrs(optimizer)
        self.resume(lambda o: P.ReduceLROnPlateau(o, patience=2, cooldown=1, client=self.client), drive_plateau, 60, 31)
        self.resume(lambda o: H.get_scheduler("reduce_lr_on_plateau", o, scheduler_specific_kwargs={"patience": 1}, client=self.client),
                    drive_plateau, 60, 17)

        def drive(scheduler, optimizer, t):
            scheduler.step()
            return support.lrs(optimizer)
        self.resume(lambda o: H.get_scheduler("cosine_with_restarts", o, num_warmup_steps=30, num_training_steps=700,
                                              scheduler_specific_kwargs={"num_cycles": 3}, client=self.client), drive, 700, 350)

    @unittest.skipUnless(support.HAVE_TORCH, "torch is not installed for this interpreter (Debian's python3-torch)")
    def test_torch_optimizer_state_dict(self):
        """With a real SGD: the optimizer's own state_dict restores the LRs and initial_lr."""
        def build(optimizer):
            return P.CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=2, eta_min=1e-4, client=self.client)
        optimizer = support.torch_optimizer([{"lr": 0.1}])
        scheduler = build(optimizer)
        whole = run_torch(scheduler, optimizer, 100)
        optimizer = support.torch_optimizer([{"lr": 0.1}])
        scheduler = build(optimizer)
        first = run_torch(scheduler, optimizer, 40)
        saved = pickle.loads(pickle.dumps((optimizer.state_dict(), scheduler.state_dict())))
        optimizer = support.torch_optimizer([{"lr": 0.1}])
        scheduler = build(optimizer)
        optimizer.load_state_dict(saved[0])
        scheduler.load_state_dict(saved[1])
        rest = run_torch(scheduler, optimizer, 60)[1:]
        self.assertEqual(first + rest, whole)


class LivePlateau(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = Client(support.service_url())

    def test_each_step_asks_with_the_metric_it_was_given(self):
        optimizer = support.DuckOptimizer([{"lr": 1.0}])
        scheduler = P.ReduceLROnPlateau(optimizer, patience=0, factor=0.5, client=self.client)
        for metric, lr in [(1.0, 1.0), (0.5, 1.0), (0.6, 0.5), (0.4, 0.5), (0.4, 0.25), (0.1, 0.25)]:
            before = self.client.requests
            scheduler.step(metric)
            self.assertEqual(self.client.requests - before, 1, "one request a step")
            self.assertEqual(support.lrs(optimizer), [lr])
        self.assertEqual(scheduler.metrics, [1.0, 0.5, 0.6, 0.4, 0.4, 0.1])
        self.assertEqual(scheduler.last_epoch, 6)

    def test_timm_plateau_in_train_loop_order(self):
        optimizer = support.DuckOptimizer([{"lr": 0.1}])
        scheduler = T.PlateauLRScheduler(optimizer, warmup_t=2, warmup_lr_init=0.01, patience_t=0, mode="max", client=self.client)
        self.assertEqual(support.lrs(optimizer), [0.01])
        scheduler.step(1)  # warmup: no metric needed
        with self.assertRaises(ValueError):
            scheduler.step(3, 0.5)
        scheduler.step(2, 0.5)
        with self.assertRaises(TypeError):
            scheduler.step(3)
        scheduler.step(3, 0.6)
        scheduler.step(4, 0.5)
        self.assertEqual(scheduler.last_epoch, 4)
        expected = support.post("/v1/schedules", {"scheduler": "plateau", "warmup_t": 2, "warmup_lr_init": 0.01, "patience_t": 0,
                                                  "lr": 0.1, "metrics": [0.0, 0.5, 0.6, 0.5]})["lr"]
        self.assertEqual(support.lrs(optimizer), [expected[4]])
        self.assertIsNone(scheduler.step_update(10))


class Problems(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = Client(support.service_url())

    def test_a_refused_configuration_raises_at_construction(self):
        optimizer = support.DuckOptimizer([{"lr": 0.1}])
        with self.assertRaises(ValueError) as raised:
            P.ConstantLR(optimizer, factor=1.5, client=self.client)
        error = raised.exception
        self.assertIsInstance(error, ServiceError)
        self.assertEqual((error.status, error.type, error.exception), (422, "/problems/schedule-refused", "ValueError"))
        self.assertIn("factor", error.detail)
        self.assertIn(error.detail, str(error))
        self.assertEqual(support.lrs(optimizer), [0.1], "nothing set")
        self.assertNotIn("initial_lr", optimizer.param_groups[0])
        again = pickle.loads(pickle.dumps(error))
        self.assertIsInstance(again, ValueError)
        self.assertEqual(again.detail, error.detail)

    def test_an_invalid_argument_names_its_field(self):
        with self.assertRaises(ValueError) as raised:
            T.CosineLRScheduler(support.DuckOptimizer([{"lr": 0.1}]), t_initial=0, client=self.client)
        self.assertEqual(raised.exception.status, 400)
        self.assertEqual(raised.exception.title, "Invalid request")
        self.assertEqual(raised.exception.paths, ["/t_initial"])
        with self.assertRaises(ValueError) as raised:
            T.StepLRScheduler(support.DuckOptimizer([{"lr": 0.1}, {"lr": -1}]), decay_t=3, client=self.client)
        self.assertEqual(raised.exception.paths, ["/param_groups/1/lr"])

    def test_an_unexpected_keyword_is_a_type_error(self):
        with self.assertRaises(TypeError) as raised:
            H.get_scheduler("linear", support.DuckOptimizer([{"lr": 0.1}]), num_warmup_steps=1, num_training_steps=10,
                            scheduler_specific_kwargs={"num_cycles": 2}, client=self.client)
        self.assertEqual(raised.exception.paths, ["/num_cycles"])
        with self.assertRaises(ValueError):
            H.get_scheduler("constant_schedule", support.DuckOptimizer([{"lr": 0.1}]), client=self.client)

    def test_a_resumed_scheduler_needs_initial_lr(self):
        with self.assertRaises(KeyError) as raised:
            P.StepLR(support.DuckOptimizer([{"lr": 0.1}]), step_size=3, last_epoch=4, client=self.client)
        self.assertEqual(raised.exception.paths, ["/param_groups/0/initial_lr"])

    def test_composites_take_this_packages_schedulers(self):
        optimizer = support.DuckOptimizer([{"lr": 0.1}])
        warm = P.LinearLR(optimizer, start_factor=0.1, total_iters=4, client=self.client)
        self.assertEqual(support.lrs(optimizer), [0.010000000000000002], "a child sets the LR when it is built, as torch's does")
        decay = P.ExponentialLR(optimizer, gamma=0.9, client=self.client)
        sequential = P.SequentialLR(optimizer, [warm, decay], milestones=[4])
        with self.assertRaises(RuntimeError):
            warm.step()
        with self.assertRaises(TypeError):
            P.SequentialLR(optimizer, [object()], milestones=[])
        with self.assertRaises(ValueError):
            P.ChainedScheduler([P.StepLR(support.DuckOptimizer([{"lr": 0.1}]), step_size=2, client=self.client),
                                P.StepLR(optimizer, step_size=2, client=self.client)])
        with self.assertRaises(ValueError):
            P.SequentialLR(optimizer, [P.ReduceLROnPlateau(optimizer, client=self.client)], milestones=[])
        expected = support.post("/v1/schedules", {"scheduler": "torch.SequentialLR", "lr": 0.1, "count": 10, "milestones": [4], "schedulers": [
            {"scheduler": "torch.LinearLR", "start_factor": 0.1, "total_iters": 4}, {"scheduler": "torch.ExponentialLR", "gamma": 0.9}]})["lr"]
        self.assertEqual([v[0] for v in run_torch(sequential, optimizer, 9)], expected)


class Reachability(unittest.TestCase):
    def test_the_default_client_reads_LR_SCHEDULES_URL(self):
        url = support.service_url()
        saved = os.environ.get("LR_SCHEDULES_URL")
        try:
            os.environ["LR_SCHEDULES_URL"] = url
            set_default_client(None)
            scheduler = P.StepLR(support.DuckOptimizer([{"lr": 0.1}]), step_size=2)
            self.assertEqual(scheduler.client.url, url)
            self.assertEqual(P.StepLR(support.DuckOptimizer([{"lr": 0.1}]), step_size=2, client=url).client.url, url)
            os.environ["LR_SCHEDULES_URL"] = "http://127.0.0.1:9"
            set_default_client(None)
            self.assertEqual(lr_schedules_client.default_client().url, "http://127.0.0.1:9")
        finally:
            if saved is None:
                os.environ.pop("LR_SCHEDULES_URL", None)
            else:
                os.environ["LR_SCHEDULES_URL"] = saved
            set_default_client(None)

    def test_a_service_that_is_not_there(self):
        port = support.free_port()
        client = Client("http://127.0.0.1:%d" % port, retries=2, backoff=0.01)
        optimizer = support.DuckOptimizer([{"lr": 0.1}])
        with self.assertRaises(ServiceUnavailableError) as raised:
            T.CosineLRScheduler(optimizer, t_initial=10, client=client)
        self.assertIsInstance(raised.exception, ConnectionError)
        self.assertEqual(raised.exception.attempts, 3)
        self.assertIn("LR_SCHEDULES_URL", str(raised.exception))
        self.assertEqual(optimizer.param_groups, [{"lr": 0.1, "initial_lr": 0.1}])

    def test_retries_on_503_and_timeouts(self):
        real = support.service_url()
        plan = {"answers": []}

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                try:
                    self.answer()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: what the test is about

            def answer(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                what = plan["answers"].pop(0) if plan["answers"] else "forward"
                if what == "503":
                    payload = json.dumps({"type": "/problems/overloaded", "title": "Too busy", "status": 503, "detail": "busy", "errors": []}).encode()
                    self.send_response(503)
                    self.send_header("content-type", "application/problem+json")
                    self.send_header("retry-after", "0")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if what == "slow":
                    time.sleep(0.5)
                request = urllib.request.Request(real + self.path, data=body, headers={"content-type": "application/json",
                                                                                      "accept": self.headers.get("accept", "*/*")})
                with urllib.request.urlopen(request) as answer:
                    payload = answer.read()
                    self.send_response(answer.status)
                    for name, value in answer.getheaders():
                        if name.lower() not in ("transfer-encoding", "connection", "content-length", "keep-alive"):
                            self.send_header(name, value)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = "http://127.0.0.1:%d" % server.server_address[1]
            plan["answers"] = ["503", "503"]
            client = Client(url, retries=3, backoff=0.01, timeout=0.3)
            scheduler = P.StepLR(support.DuckOptimizer([{"lr": 0.1}]), step_size=2, client=client)
            self.assertEqual(client.requests, 3, "two 503s, then the answer")
            self.assertEqual(scheduler.get_last_lr(), [0.1])
            plan["answers"] = ["slow", "slow", "slow"]
            client = Client(url, retries=2, backoff=0.01, timeout=0.2)
            with self.assertRaises(ServiceUnavailableError):
                P.StepLR(support.DuckOptimizer([{"lr": 0.1}]), step_size=2, client=client)
            plan["answers"] = ["503", "503", "503"]
            client = Client(url, retries=2, backoff=0.01)
            with self.assertRaises(ServiceUnavailableError) as raised:
                P.StepLR(support.DuckOptimizer([{"lr": 0.1}]), step_size=2, client=client)
            self.assertEqual(raised.exception.problem["detail"], "busy")
        finally:
            server.shutdown()
            server.server_close()


class ServiceGoesAway(unittest.TestCase):
    """A server of its own, killed in the middle of a run: the step that needs it raises
    ServiceUnavailableError and sets nothing; the run goes on once it is back."""

    def test_mid_run(self):
        server = support.Server(env={"MAX_VALUES": "100000"})
        try:
            client = Client(server.url, retries=1, backoff=0.01, page_values=64)
            optimizer = support.DuckOptimizer([{"lr": 0.1}])
            scheduler = P.CosineAnnealingLR(optimizer, T_max=500, client=client)
            plateau_optimizer = support.DuckOptimizer([{"lr": 0.1}])
            plateau = T.PlateauLRScheduler(plateau_optimizer, patience_t=0, mode="min", client=client)
            plateau.step(1, 1.0)
            expected = support.post("/v1/schedules", {"scheduler": "torch.CosineAnnealingLR", "T_max": 500, "lr": 0.1, "count": 300})["lr"]
            for _ in range(100):
                scheduler.step()
            server.kill()
            served = 0
            with self.assertRaises(ServiceUnavailableError) as raised:
                while True:
                    scheduler.step()
                    served += 1
                    self.assertEqual(support.lrs(optimizer), [expected[scheduler.last_epoch]], "a value from a window fetched before")
            self.assertLess(served, 64)
            self.assertIn(server.url, str(raised.exception))
            t = scheduler.last_epoch
            self.assertEqual(support.lrs(optimizer), [expected[t]], "the LR of the last step that was answered")
            with self.assertRaises(ServiceUnavailableError):
                scheduler.step()
            self.assertEqual(scheduler.last_epoch, t)
            before = support.lrs(plateau_optimizer)
            with self.assertRaises(ServiceUnavailableError):
                plateau.step(2, 2.0)
            self.assertEqual(support.lrs(plateau_optimizer), before)
            self.assertEqual(plateau.metrics, [1.0])

            server = support.Server(port=server.port)
            scheduler.step()
            self.assertEqual(support.lrs(optimizer), [expected[t + 1]], "back: the next step, not a skipped one")
            plateau.step(2, 2.0)
            plateau.step(3, 3.0)
            self.assertEqual(support.lrs(plateau_optimizer), [0.1 * 0.1 * 0.1])
        finally:
            server.stop()

    def test_windows_over_MAX_VALUES_are_halved(self):
        server = support.Server(env={"MAX_VALUES": "1000"})
        try:
            client = Client(server.url, page_values=1 << 20)
            optimizer = support.DuckOptimizer([{"lr": 0.1}, {"lr": 0.2}])
            scheduler = T.CosineLRScheduler(optimizer, t_initial=3000, t_in_epochs=False, client=client)
            expected = rows(support.post("/v1/schedules", {"scheduler": "cosine", "t_initial": 3000, "param_groups": [{"lr": 0.1}, {"lr": 0.2}],
                                                           "t_in_epochs": False, "unit": "update", "count": 3000}), 2)
            for t in range(3000):
                scheduler.step_update(t)
                self.assertEqual(support.lrs(optimizer), expected[t])
            # A fold is computed from step 0: past MAX_VALUES, even one step is too many.
            torch_scheduler = P.ExponentialLR(support.DuckOptimizer([{"lr": 0.1}]), gamma=0.99, client=client)
            with self.assertRaises(ServiceError) as raised:
                for _ in range(1200):
                    torch_scheduler.step()
            self.assertEqual(raised.exception.type, "/problems/too-many-values")
            self.assertEqual(torch_scheduler.last_epoch, 999)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
