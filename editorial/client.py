"""Who is asking: the client's IP address, right behind a proxy too.

One function for everything that counts requests per client: the problem-report rate limit and
django-axes' login lockout (``AXES_CLIENT_IP_CALLABLE``), so both agree on who a client is.

By default the address is REMOTE_ADDR, which a client cannot forge. Behind reverse proxies, set
TRUSTED_PROXY_COUNT to how many there are: each appends the address it received the request from
to X-Forwarded-For, so the client is the entry that many places from the right. Anything a client
put further left is ignored, and a header shorter than that (a request that bypassed the
proxies) or an entry that is not an IP address falls back to REMOTE_ADDR.

An IPv6 client is its /64, not its address: a network is given a /64 at least, and its hosts
pick any addresses in it (and change them), so one host counted per address would step past the
report limit and the login lockout. The hosts of one /64 share their limits, as those behind one
IPv4 NAT do. So the address given (and stored with a report or a failed login) is the /64's first:
``2001:db8:1:2::`` for ``2001:db8:1:2:3:4:5:6``, and ``::`` for the loopback ``::1``. An
IPv4-mapped IPv6 address (``::ffff:192.0.2.1``) is the IPv4 client it stands for.
"""

import ipaddress

from django.conf import settings


def _ip(value):
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # A zone ("fe80::1%eth0") is meaningless beyond one host, and databases refuse it.
    if getattr(address, "scope_id", None):
        return None
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False).network_address)
    return str(address)


def client_address(request):
    """The client as a normalised IP address (an IPv6 client as its /64's first address), or
    None if there is none."""
    remote = _ip(request.META.get("REMOTE_ADDR") or "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return _ip(forwarded[-proxies]) or remote
