"""The exceptions the client raises.

Every error the service answers is an RFC 9457 problem; the client raises it as a
:class:`ServiceError` carrying the problem's ``status``, ``type``, ``title``,
``detail`` and ``errors`` (each field at fault by its JSON pointer). Where the
library itself would raise (timm's ``ValueError``, torch's ``KeyError``,
transformers' ``ValueError``, Python's ``ZeroDivisionError`` ...), the exception is
also an instance of that built-in class, so ``except ValueError:`` catches it as it
would catch the library's own.

When the service cannot be reached (connection refused or reset, a timeout, or 503
answers until the retries run out), the client raises
:class:`ServiceUnavailableError`, a ``ConnectionError``. No learning rate is set on
the optimizer by a step that raises.
"""
import builtins


class LRSchedulesError(Exception):
    """Base class of every exception of this package."""


class FieldError(object):
    """One field at fault: ``path`` is a JSON pointer into the request (``/decay_t``,
    ``/param_groups/0/lr``; ``""`` for the whole request)."""

    __slots__ = ("path", "message")

    def __init__(self, path, message):
        self.path = path
        self.message = message

    def __repr__(self):
        return "FieldError(path=%r, message=%r)" % (self.path, self.message)

    def __eq__(self, other):
        return isinstance(other, FieldError) and (self.path, self.message) == (other.path, other.message)

    def __hash__(self):
        return hash((self.path, self.message))


class ServiceError(LRSchedulesError):
    """A problem the service answered (``application/problem+json``)."""

    def __init__(self, problem, status=None, request=None):
        problem = problem if isinstance(problem, dict) else {}
        self.problem = problem
        self.status = problem.get("status", status)
        self.type = problem.get("type", "about:blank")
        self.title = problem.get("title", "Error")
        self.detail = problem.get("detail", "")
        self.errors = [FieldError(e.get("path", ""), e.get("message", "")) for e in problem.get("errors", []) if isinstance(e, dict)]
        #: The Python exception the library raises here, where the service names it.
        self.exception = problem.get("exception")
        #: What was asked: the route and the body (for messages and debugging).
        self.request = request
        super(ServiceError, self).__init__(self._message())

    @property
    def paths(self):
        """The JSON pointers of the fields at fault."""
        return [error.path for error in self.errors]

    def _message(self):
        text = "%s (HTTP %s): %s" % (self.title, self.status, self.detail)
        named = [e for e in self.errors if e.path and e.message and e.message not in self.detail]
        if named:
            text += " [" + "; ".join("%s: %s" % (e.path, e.message) for e in named) + "]"
        return text

    def __str__(self):
        return self.args[0] if self.args else self._message()

    def __reduce__(self):
        return (_rebuild_service_error, (self.problem, self.status, self.request))


def _rebuild_service_error(problem, status, request):
    return service_error(problem, status, request)


class ServiceUnavailableError(LRSchedulesError, ConnectionError):
    """The service could not be reached, or kept answering 503, until the retries ran out."""

    def __init__(self, message, url=None, attempts=None, problem=None):
        self.url = url
        self.attempts = attempts
        #: The last 503 problem, when the service answered one.
        self.problem = problem
        super(ServiceUnavailableError, self).__init__(message)


# The built-in exceptions a library raises that the service names; each gets a
# subclass of ServiceError and the built-in, made once.
_BUILTIN_NAMES = (
    "ValueError", "TypeError", "KeyError", "IndexError", "ZeroDivisionError",
    "OverflowError", "NotImplementedError", "AssertionError", "RuntimeError", "ArithmeticError",
)
_classes = {}


def _class_for(name):
    if name not in _BUILTIN_NAMES:
        return ServiceError
    cls = _classes.get(name)
    if cls is None:
        base = getattr(builtins, name)
        cls = type(name, (ServiceError, base), {
            "__module__": __name__,
            "__doc__": "A problem the service answered where the library raises %s." % name,
            "__str__": ServiceError.__str__,
        })
        cls.__qualname__ = "ServiceError.%s" % name
        _classes[name] = cls
    return cls


def exception_name(problem, status):
    """The built-in exception a problem stands for: the one the service names, else
    TypeError for unknown keyword arguments only, else ValueError for a refused value."""
    if not isinstance(problem, dict):
        return None
    named = problem.get("exception")
    if isinstance(named, str):
        return named
    if status == 400 or status == 404:
        errors = [e for e in problem.get("errors", []) if isinstance(e, dict)]
        if errors and all(e.get("message") == "unknown field" for e in errors):
            return "TypeError"
        return "ValueError"
    if status == 422 and problem.get("type") == "/problems/schedule-refused":
        return "ValueError"
    return None


def service_error(problem, status=None, request=None):
    """The exception for a problem answer: a ServiceError, and the library's built-in
    exception class where there is one."""
    name = exception_name(problem, status if status is not None else (problem or {}).get("status"))
    return _class_for(name)(problem, status, request) if name else ServiceError(problem, status, request)


__all__ = ["LRSchedulesError", "ServiceError", "ServiceUnavailableError", "FieldError", "service_error"]
