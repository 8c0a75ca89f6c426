"""What the guessing limits count against (`ordino.access.domain.throttling`)."""

from __future__ import annotations

from ordino.access.domain.throttling import client, lookup_subjects


def test_ipv4_clients_of_a_dual_stack_listener_count_each_by_their_own_address() -> None:
    # `ordino serve --host ::` hears IPv4 clients as IPv4-mapped IPv6 addresses, all in
    # ::/64: by the /64 every IPv4 client in the world would share one count.
    assert client("::ffff:198.51.100.7") == "198.51.100.7"
    assert client("::ffff:198.51.100.7") != client("::ffff:203.0.113.9")
    assert client("::ffff:198.51.100.7") == client("198.51.100.7")


def test_an_ipv6_client_counts_by_its_64() -> None:
    assert client("2001:db8:1:2:aaaa::1") == client("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"


def test_a_lookup_counts_against_the_e_mail_in_any_case_and_spacing() -> None:
    one = {s.key for s in lookup_subjects("W-1", " Ada@Example.com ", "198.51.100.7")}
    other = {s.key for s in lookup_subjects("W-2", "ada@example.com", "203.0.113.9")}

    assert "lookup:email:ada@example.com" in one & other
