"""ethos: exact, mergeable statistics of service-culture surveys.

The C++ library ethos from Python. Read an instrument and a responses file, score them, assess them (the same
dict as ``ethos-assess --format json``, privacy rules and audit included), and accumulate Likert items in
``LikertAccumulator`` objects: exact integer counts that merge by addition, so a result never depends on how the
rows were split, and that pickle through a portable binary state for distributed engines such as Dask.

    >>> import ethos
    >>> audit = ethos.service_culture_audit()
    >>> acc = ethos.LikertAccumulator(4, scale=(1, 5))

Every failure of the library raises ``ethos.Error`` (a ``ValueError``) with its message, which names the place
(a file's line and column, a row and item, a byte of a state) and the reason.
"""
from ._ethos import (
    MISSING,
    STATE_FORMAT_VERSION,
    Error,
    Instrument,
    LikertAccumulator,
    Responses,
    __version__,
    assess,
    parse_responses,
    read_instrument,
    read_responses,
    score,
    service_culture_audit,
)
from ._construct import construct_accumulators

__all__ = [
    "MISSING",
    "STATE_FORMAT_VERSION",
    "Error",
    "Instrument",
    "LikertAccumulator",
    "Responses",
    "__version__",
    "assess",
    "construct_accumulators",
    "parse_responses",
    "read_instrument",
    "read_responses",
    "score",
    "service_culture_audit",
]
