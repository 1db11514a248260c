"""lr_schedules_client: timm's, torch's and transformers' learning-rate schedulers, drop-in,
computed by the lr-schedules service.

    from lr_schedules_client.timm import CosineLRScheduler          # timm.scheduler
    from lr_schedules_client.torch import OneCycleLR                # torch.optim.lr_scheduler
    from lr_schedules_client.transformers import get_scheduler      # transformers

The service is at ``LR_SCHEDULES_URL`` (default ``http://127.0.0.1:3000``), or wherever
a ``client=`` argument (a :class:`Client` or a URL) says.
"""
__version__ = "0.1.0"

from ._client import Client, DEFAULT_URL, default_client, has_numpy, set_default_client  # noqa: E402
from .errors import FieldError, LRSchedulesError, ServiceError, ServiceUnavailableError  # noqa: E402
from .plan import Plan  # noqa: E402

__all__ = [
    "Client", "DEFAULT_URL", "default_client", "set_default_client", "has_numpy",
    "LRSchedulesError", "ServiceError", "ServiceUnavailableError", "FieldError", "Plan", "__version__",
]
