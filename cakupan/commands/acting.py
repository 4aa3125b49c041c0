"""Who a command acts as (CONTRACTS.md, "Who the command line acts as").

Someone with a shell on the server is the operator: an admin, recorded as ``cli:<os user>``.
``--as EMAIL`` makes a command act, and be scoped, as that user's stored role instead, so an
operator can check what an editor would be allowed to do.
"""

from __future__ import annotations

import argparse

from cakupan import store
from cakupan.core.access import Actor, operator


def actor_of(args: argparse.Namespace, engine: object = None) -> Actor:
    email = getattr(args, "as_email", None)
    if not email:
        return operator()
    return store.actor_for(engine if engine is not None else store.get_engine(), email)
