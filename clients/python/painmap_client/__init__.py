"""Typed Python client for the Painmap API, sync and async, on httpx.

    from painmap_client import PainmapClient

    with PainmapClient("http://127.0.0.1:8000") as painmap:
        answer = painmap.pain_sources("pain between my shoulder blades")
        for result in answer.results:
            print(result.rank, result.muscle.name, result.why)

Every method returns the models the service documents
(:mod:`painmap_client.models`, generated from its OpenAPI document); problem
answers raise :class:`ProblemError` (:class:`NotFoundError` for 404); 429 and
503 answers and connection failures are retried, honouring ``Retry-After``.
"""

from painmap_client import models
from painmap_client._async.client import AsyncPainmapClient
from painmap_client._sync.client import PainmapClient
from painmap_client.errors import NotFoundError, ProblemError

__all__ = ["AsyncPainmapClient", "NotFoundError", "PainmapClient", "ProblemError", "models"]
