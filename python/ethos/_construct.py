"""Per-construct accumulators built the way ``assess`` builds them."""
from typing import Dict, Optional

import numpy as np

from ._ethos import Instrument, LikertAccumulator, Responses, score


def construct_accumulators(
    instrument: Instrument,
    responses: Responses,
    group_by: Optional[str] = None,
    rows: Optional[slice] = None,
    groups: Optional[int] = None,
) -> Dict[str, LikertAccumulator]:
    """One ``LikertAccumulator`` per construct of ``instrument``, over the respondents with a score on it (the
    people ``assess`` describes), grouped by the metadata column ``group_by`` when given.

    ``rows`` restricts the respondents to a slice (a partition of a larger file). ``groups`` sets the number of
    groups (default: the column's levels in this file); a distributed run passes the same number to every
    partition, with codes that mean the same level everywhere, so that the parts merge.
    """
    scores = score(instrument, responses)
    codes = None
    if group_by is not None:
        codes, levels = responses.group_codes(group_by)
        if groups is None:
            groups = len(levels)
    selected = slice(None) if rows is None else rows
    low, high = instrument.scale
    out = {}
    for key in instrument.constructs:
        items = instrument.construct_items(key)
        scored = np.isfinite(scores[key][selected])
        answers = responses.answers(items)[selected]
        group_codes = codes[selected] if groups else None
        if not scored.all():
            # The rows with a score only; add() copies this row-major selection once more, a block at a time.
            answers = answers[scored]
            group_codes = None if group_codes is None else group_codes[scored]
        acc = LikertAccumulator(
            items, scale=(low, high), reverse=instrument.reverse_keyed(items), groups=groups or 0
        )
        acc.add(answers, group_codes)
        out[key] = acc
    return out
