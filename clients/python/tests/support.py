"""What the client's tests share: a real lr-schedules server for the whole run, the
golden vectors of ../shared/fixtures, the known differences the service's own tests
list, and the optimizers the drop-in classes are driven on."""
import atexit
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(PACKAGE_ROOT))
FIXTURES = os.path.join(os.path.dirname(REPO), "shared", "fixtures")

# The package from source, whether or not it is installed.
if PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, PACKAGE_ROOT)

import lr_schedules_client  # noqa: E402

try:
    import numpy  # noqa: F401
    HAVE_NUMPY = True
except ImportError:
    HAVE_NUMPY = False

try:
    import torch as real_torch
    HAVE_TORCH = True
except ImportError:
    real_torch = None
    HAVE_TORCH = False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(object):
    """The service as `node --import tsx src/server.ts`, on a free loopback port."""

    def __init__(self, env=None, port=None):
        self.port = port or free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log = tempfile.NamedTemporaryFile(prefix="lr-schedules-server-", suffix=".log", delete=False)
        environment = dict(os.environ)
        environment.update({"PORT": str(self.port), "HOST": "127.0.0.1", "LOG_LEVEL": "warn"})
        environment.update(env or {})
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is needed to run the lr-schedules server")
        self.process = subprocess.Popen(
            [node, "--import", "tsx", "src/server.ts"], cwd=REPO, env=environment,
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.log.close()  # the server writes to its own descriptor
        self.wait_ready()

    def wait_ready(self, seconds=60.0):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited with %s:\n%s" % (self.process.returncode, self.output()))
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not become ready in %ss:\n%s" % (seconds, self.output()))

    def output(self):
        try:
            with open(self.log.name, "r", errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def kill(self):
        """Ends the server at once (SIGKILL): a service that goes away."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        try:
            os.unlink(self.log.name)
        except OSError:
            pass


_server = None


def service_url():
    """The URL of the server shared by the whole run, started on first use
    (LR_SCHEDULES_TEST_URL points the tests at a server already running)."""
    global _server
    given = os.environ.get("LR_SCHEDULES_TEST_URL")
    if given:
        os.environ["LR_SCHEDULES_URL"] = given
        return given
    if _server is None:
        _server = Server()
        atexit.register(_server.stop)
        os.environ["LR_SCHEDULES_URL"] = _server.url
    return _server.url


def client(**options):
    return lr_schedules_client.Client(service_url(), **options)


def post(path, body):
    """The service's own answer, by plain urllib (not the client's code)."""
    request = urllib.request.Request(service_url() + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.loads(answer.read())


# -- golden vectors ------------------------------------------------------------------------

_fixtures = {}


def fixtures(name):
    if name not in _fixtures:
        path = os.path.join(FIXTURES, name + ".json")
        if not os.path.exists(path):
            raise FileNotFoundError("the golden vectors are not at %s (shared/ beside the repository)" % path)
        with open(path) as f:
            _fixtures[name] = json.load(f)
    return _fixtures[name]


def _read(path):
    with open(os.path.join(REPO, path)) as f:
        return f.read()


def timm_known_differences():
    """`id/view/t/group` keys from test/schedules/timm/known-differences.ts."""
    text = _read("test/schedules/timm/known-differences.ts")
    return {"%s/%s/%s/%s" % m for m in re.findall(r"\['([^']+)', '(raw|noisy|lr|per_update)', (\d+), (\d+)\]", text)}


def transformers_known_differences():
    """`id/t/group` -> ulps, from test/schedules/transformers/known-differences.ts."""
    text = _read("test/schedules/transformers/known-differences.ts")
    return {"%s/%s/%s" % m[:3]: int(m[3]) for m in re.findall(r"\['([^']+)', (\d+), (\d+), (\d+)\]", text)}


def torch_carried_differences():
    """case id -> (values, from step, max ulps), from test/schedules/torch/known-differences.ts."""
    text = _read("test/schedules/torch/known-differences.ts")
    return {m[0]: (int(m[1]), int(m[2]), int(m[3])) for m in re.findall(r"'([^']+)': \{ values: (\d+), from: (\d+), maxUlps: (\d+) \}", text)}


def ulps(a, b):
    import struct
    def ordered(x):
        i = struct.unpack("<q", struct.pack("<d", x))[0]
        return -(i & 0x7fffffffffffffff) if i < 0 else i
    return abs(ordered(a) - ordered(b))


# -- optimizers ------------------------------------------------------------------------------

class DuckOptimizer(object):
    """Anything with param_groups: what the client needs of an optimizer."""

    def __init__(self, param_groups):
        self.param_groups = [dict(group) for group in param_groups]

    def __repr__(self):
        return "DuckOptimizer(%r)" % (self.param_groups,)


def duck_optimizer(param_groups):
    return DuckOptimizer(param_groups)


def torch_optimizer(param_groups):
    """torch.optim.SGD with momentum 0.9, as the golden vectors' generator built it."""
    groups = []
    for group in param_groups:
        entry = dict(group)
        entry["params"] = [real_torch.nn.Parameter(real_torch.zeros(1))]
        groups.append(entry)
    return real_torch.optim.SGD(groups, lr=param_groups[0]["lr"], momentum=0.9)


def optimizer_kinds():
    """(name, factory) for each optimizer the fixture tests run on."""
    kinds = [("duck", duck_optimizer)]
    if HAVE_TORCH:
        kinds.append(("torch.optim.SGD", torch_optimizer))
    return kinds


def lrs(optimizer):
    return [group["lr"] for group in optimizer.param_groups]


class Tally(object):
    """Counts of values compared, per fixture file, reported at the end of the run."""
    counts = {}

    @classmethod
    def add(cls, key, values):
        cls.counts[key] = cls.counts.get(key, 0) + values


def report():
    if Tally.counts:
        mode = "NumPy (npy windows)" if lr_schedules_client.has_numpy() else "no NumPy (JSON windows)"
        sys.stderr.write("\nvalues compared through the client, %s:\n" % mode)
        for key in sorted(Tally.counts):
            sys.stderr.write("  %s: %d\n" % (key, Tally.counts[key]))


atexit.register(report)
