"""The connection to the service: where it is, timeouts, retries, and the two wire
formats a window of values comes in (NumPy ``.npy`` or JSON).

Every request the client makes is a pure function of its body (the service keeps no
state), so every request may be sent again: connection errors, timeouts and 503
answers are retried with exponential backoff (a 503's ``Retry-After`` is honoured),
and when the retries run out :class:`ServiceUnavailableError` is raised.
"""
import ast
import http.client
import json
import math
import os
import random
import socket
import struct
import sys
import threading
import time
from array import array
from urllib.parse import urlsplit

from .errors import ServiceUnavailableError, service_error

try:  # NumPy is optional: with it, windows travel as .npy and stay NumPy arrays.
    import numpy as _np
except ImportError:  # pragma: no cover - depends on the interpreter
    _np = None

DEFAULT_URL = "http://127.0.0.1:3000"

#: The most values (steps x param groups) one window of a schedule asks for.
DEFAULT_PAGE_VALUES = 1 << 18

_RETRYABLE = (OSError, http.client.HTTPException, socket.timeout)


def has_numpy():
    return _np is not None


class Window(object):
    """Steps ``start .. start + count - 1`` of a schedule, every param group's value.

    ``row(t)`` gives step t's values as a list of Python floats, ``None`` where the
    library yields nothing. ``array`` is the NumPy array (count, groups) when the
    window came as NPY with NumPy present, else ``None``.
    """

    __slots__ = ("start", "count", "groups", "head", "_rows", "_flat", "array", "_nan", "_lists")

    def __init__(self, start, count, groups, head, rows=None, flat=None, nparray=None):
        self.start = start
        self.count = count
        self.groups = groups
        self.head = head
        self._rows = rows
        self._flat = flat
        self.array = nparray
        self._lists = False
        # NaN (nothing yielded) is rare: rows are checked for it only where there is some.
        if nparray is not None:
            self._nan = bool(_np.isnan(nparray).any())
        elif flat is not None:
            self._nan = any(v != v for v in flat)
        else:
            self._nan = True  # JSON: null is None already; the check below is a no-op for it

    @property
    def end(self):
        return self.start + self.count

    def row(self, t):
        i = t - self.start
        if i < 0:
            raise IndexError(t)
        if self._rows is None:
            if self.array is not None:
                # One conversion of the whole window to Python floats, in C.
                self._rows = self.array.tolist()
                self._lists = True
            else:
                g = self.groups
                values = self._flat[i * g:(i + 1) * g].tolist()
                return [None if v != v else v for v in values] if self._nan else values
        value = self._rows[i]
        if self._lists:
            values = list(value)
            if self._nan:
                values = [None if v != v else v for v in values]
            return values
        return [value] if self.groups == 1 else list(value)

    def rows(self):
        """Every step's values, in order (lists of floats or None)."""
        for t in range(self.start, self.end):
            yield self.row(t)


def _header(headers, name):
    value = headers.get(name)
    return value


def _int_header(headers, name, fallback=None):
    value = headers.get(name)
    try:
        return int(value)
    except (TypeError, ValueError):
        return fallback


def parse_npy(data):
    """A .npy file (version 1 or 2) of float64 as (shape, fortran_order, offset)."""
    if data[:6] != b"\x93NUMPY":
        raise ValueError("not an .npy answer")
    major = data[6]
    if major == 1:
        (length,) = struct.unpack("<H", data[8:10])
        start = 10
    else:
        (length,) = struct.unpack("<I", data[8:12])
        start = 12
    header = ast.literal_eval(data[start:start + length].decode("latin1"))
    if header.get("descr") != "<f8":
        raise ValueError("expected little-endian float64, got %r" % (header.get("descr"),))
    return tuple(header["shape"]), bool(header["fortran_order"]), start + length


class Client(object):
    """Where the service is and how to talk to it.

    ``url``: the service's base URL; default ``LR_SCHEDULES_URL`` from the
    environment, else ``http://127.0.0.1:3000``. ``timeout``: seconds a request may
    wait for the connection or for each read. ``retries``: how many times a request
    is sent again after a connection error, a timeout or a 503, waiting ``backoff``
    seconds, then twice as long each time (at most ``max_backoff``; a 503's
    ``Retry-After`` is honoured up to that). ``format``: ``"npy"`` or ``"json"`` for
    windows of values; default NPY when NumPy is installed, JSON otherwise.
    ``page_values``: the most values (steps x param groups) a window asks for.
    """

    def __init__(self, url=None, timeout=30.0, retries=4, backoff=0.25, max_backoff=8.0,
                 format=None, page_values=DEFAULT_PAGE_VALUES, user_agent=None):
        if url is None:
            url = os.environ.get("LR_SCHEDULES_URL") or DEFAULT_URL
        parts = urlsplit(url if "://" in url else "http://" + url)
        if parts.scheme not in ("http", "https"):
            raise ValueError("the service URL must be http:// or https://, got %r" % (url,))
        if format not in (None, "npy", "json"):
            raise ValueError("format must be 'npy', 'json' or None, got %r" % (format,))
        self.url = "%s://%s%s" % (parts.scheme, parts.netloc, parts.path.rstrip("/"))
        self._scheme = parts.scheme
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.format = format or ("npy" if _np is not None else "json")
        self.page_values = int(page_values)
        self.user_agent = user_agent or "lr-schedules-client/%s python/%d.%d" % (_version(), sys.version_info[0], sys.version_info[1])
        self._local = threading.local()
        self._connections = []
        self._connections_lock = threading.Lock()
        #: Requests sent (each retry counts), for tests and diagnostics.
        self.requests = 0

    def __repr__(self):
        return "Client(%r)" % (self.url,)

    # -- transport --------------------------------------------------------------------

    def _connection(self):
        connection = getattr(self._local, "connection", None)
        if connection is None:
            cls = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
            connection = cls(self._host, self._port, timeout=self.timeout)
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def _drop_connection(self):
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            with self._connections_lock:
                if connection in self._connections:
                    self._connections.remove(connection)
            try:
                connection.close()
            except Exception:
                pass

    def close(self):
        """Closes the client's connections (new ones open on the next request)."""
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            try:
                connection.close()
            except Exception:
                pass
        self._local = threading.local()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def request(self, method, path, body=None, accept="application/json", raw=None):
        """Sends a request, retrying as configured; returns (status, headers, bytes)
        for any answer but a 503, which is retried. Raises ServiceUnavailableError when
        the retries run out. ``raw``: fields of the body already written as JSON text
        (a long metric history, kept encoded as it grows)."""
        payload = None if body is None else encode(body, raw)
        headers = {"Accept": accept, "User-Agent": self.user_agent}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        target = self._prefix + path
        attempt = 0
        last = None
        problem = None
        while True:
            attempt += 1
            wait = None
            try:
                self.requests += 1
                connection = self._connection()
                connection.request(method, target, body=payload, headers=headers)
                response = connection.getresponse()
                data = response.read()
                answer_headers = {k.lower(): v for k, v in response.getheaders()}
                if answer_headers.get("connection", "").lower() == "close":
                    self._drop_connection()
                if response.status != 503:
                    return response.status, answer_headers, data
                problem = _json_or_none(data)
                last = "HTTP 503: %s" % ((problem or {}).get("detail") or data[:200].decode("utf-8", "replace"))
                retry_after = answer_headers.get("retry-after")
                try:
                    wait = float(retry_after) if retry_after is not None else None
                except ValueError:
                    wait = None
            except _RETRYABLE as error:
                self._drop_connection()
                last = "%s: %s" % (type(error).__name__, error)
            if attempt > self.retries:
                raise ServiceUnavailableError(
                    "the lr-schedules service at %s could not answer %s %s after %d attempt%s (%s). "
                    "Is it running? Set LR_SCHEDULES_URL or pass client= to point at it."
                    % (self.url, method, path, attempt, "" if attempt == 1 else "s", last),
                    url=self.url, attempts=attempt, problem=problem)
            delay = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
            if wait is not None:
                delay = min(self.max_backoff, max(delay, wait))
            time.sleep(delay * (0.75 + 0.5 * random.random()))

    def get_json(self, path):
        status, headers, data = self.request("GET", path)
        if status >= 400:
            raise service_error(_json_or_none(data) or {"detail": data[:300].decode("utf-8", "replace")}, status, {"path": path})
        return json.loads(data)

    def post_json(self, path, body):
        """POSTs a body and returns the JSON answer; a problem answer raises."""
        status, headers, data = self.request("POST", path, body)
        if status >= 400:
            raise service_error(_json_or_none(data) or {"detail": data[:300].decode("utf-8", "replace")}, status, {"path": path, "body": body})
        return json.loads(data)

    def window(self, path, body, groups, raw=None):
        """POSTs a request for a window of values (``start`` and ``count`` in ``body``)
        and returns it as a :class:`Window`, in this client's format."""
        if self.format == "npy":
            status, headers, data = self.request("POST", path + "?format=npy", body, accept="application/x-npy", raw=raw)
        else:
            status, headers, data = self.request("POST", path, body, raw=raw)
        if status >= 400:
            raise service_error(_json_or_none(data) or {"detail": data[:300].decode("utf-8", "replace")}, status, {"path": path, "body": body})
        if self.format == "npy":
            return self._npy_window(headers, data, groups)
        answer = json.loads(data)
        rows = answer.pop("lr")
        return Window(answer.get("start", body.get("start", 0)), len(rows), groups, answer, rows=rows)

    def _npy_window(self, headers, data, groups):
        shape, fortran, offset = parse_npy(data)
        n_groups, count = shape
        if n_groups != groups:
            raise ValueError("the service answered %d param groups, %d expected" % (n_groups, groups))
        head = {}
        for name, value in headers.items():
            if name.startswith("lr-") and name != "lr-warning":
                key = name[3:].replace("-", "_")
                head[key] = int(value) if value.lstrip("-").isdigit() else value
        start = head.get("start", 0)
        if _np is not None:
            flat = _np.frombuffer(data, dtype="<f8", count=count * groups, offset=offset)
            matrix = flat.reshape(count, groups) if fortran else flat.reshape(groups, count).T
            return Window(start, count, groups, head, nparray=matrix)
        values = array("d")
        values.frombytes(data[offset:offset + count * groups * 8])
        if sys.byteorder == "big":  # pragma: no cover - little-endian machines
            values.byteswap()
        if not fortran:
            values = array("d", [values[g * count + i] for i in range(count) for g in range(groups)])
        return Window(start, count, groups, head, flat=values)


def encode(body, raw=None):
    """A body as JSON bytes; ``raw`` fields are spliced in as the JSON text they hold."""
    text = json.dumps(body, allow_nan=False)
    if raw:
        extra = ", ".join("%s: %s" % (json.dumps(name), value) for name, value in raw.items())
        text = text[:-1] + (", " if len(text) > 2 else "") + extra + "}"
    return text.encode("utf-8")


class EncodedNumbers(object):
    """A list of finite floats kept as its JSON text too, so that sending the whole
    list after each append costs no re-encoding of what was sent before."""

    __slots__ = ("values", "_text", "_ends")

    def __init__(self, values=()):
        self.values = []
        self._text = ""
        self._ends = []
        for value in values:
            self.append(value)

    def append(self, value):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError("a metric must be a finite number, got %r" % (value,))
        self._text = self._text + ("," if self._text else "") + repr(value)
        self.values.append(value)
        self._ends.append(len(self._text))

    def pop(self):
        self.values.pop()
        self._ends.pop()
        self._text = self._text[:self._ends[-1]] if self._ends else ""

    def json(self):
        return "[" + self._text + "]"

    def __len__(self):
        return len(self.values)


def _json_or_none(data):
    try:
        value = json.loads(data)
        return value if isinstance(value, dict) else None
    except ValueError:
        return None


def _version():
    try:
        from . import __version__
        return __version__
    except Exception:  # pragma: no cover
        return "0"


_default = None
_default_lock = threading.Lock()


def default_client():
    """The client every scheduler uses when not given one: LR_SCHEDULES_URL, read the
    first time it is needed."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Client()
        return _default


def set_default_client(client):
    """Sets the client (or URL) that schedulers use when not given one; None resets it
    to LR_SCHEDULES_URL."""
    global _default
    with _default_lock:
        _default = as_client(client) if client is not None else None


def as_client(client):
    """A Client from a Client, a URL string or None (the default client)."""
    if client is None:
        return default_client()
    if isinstance(client, Client):
        return client
    if isinstance(client, str):
        return Client(client)
    raise TypeError("client must be a lr_schedules_client.Client or a URL string, got %s" % type(client).__name__)
