"""Who is asking: the client's IP address, right behind a proxy too.

One function for everything that counts requests per client: the problem-report rate limit and
django-axes' login lockout (``AXES_CLIENT_IP_CALLABLE``), so both agree on who a client is.

By default the address is REMOTE_ADDR, which a client cannot forge. Behind reverse proxies, set
TRUSTED_PROXY_COUNT to how many there are: each appends the address it received the request from
to X-Forwarded-For, so the client is the entry that many places from the right. Anything a client
put further left is ignored, and a header shorter than that (a request that bypassed the
proxies) or an entry that is not an IP address falls back to REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings


def _ip(value):
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # A zone ("fe80::1%eth0") is meaningless beyond one host, and databases refuse it.
    return None if getattr(address, "scope_id", None) else str(address)


def client_address(request):
    """The client's IP address as a normalised string, or None if there is none."""
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
