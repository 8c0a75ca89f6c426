"""The process's cache of API keys forgets them all when a revocation is heard, and
never remembers a key read from the database before that revocation."""

from __future__ import annotations

from ordino.http.security import KeyCache
from ordino.kernel.domain.changes import EVERYTHING, Change
from ordino.kernel.domain.roles import ApiKey, Role

KEY = ApiKey("K-1", Role.CHANNEL, "shop")


def test_a_revocation_heard_forgets_every_key_and_stock_changes_do_not() -> None:
    cache = KeyCache()
    cache.put("hash-1", KEY, cache.heard_revocations)

    cache.heard(Change(skus=frozenset({"SKU-1"}), network=True, views=True))
    kept = cache.get("hash-1")
    cache.heard(Change(access=True))
    after_revocation = cache.get("hash-1")
    cache.put("hash-1", KEY, cache.heard_revocations)
    cache.heard(EVERYTHING)  # the feed lost track

    assert (kept, after_revocation, cache.get("hash-1")) == (KEY, None, None)


def test_a_key_read_before_a_revocation_is_not_remembered_after_it() -> None:
    cache = KeyCache()
    read_after = cache.heard_revocations  # the lookup starts

    cache.heard(Change(access=True))  # meanwhile, the key is revoked
    cache.put("hash-1", KEY, read_after)  # the lookup's answer comes back

    assert cache.get("hash-1") is None
