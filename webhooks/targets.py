"""Where webhooks may go (docs/architecture.md, "webhooks", SSRF rule): only http and https,
to a host whose every address is public. Private, loopback, link-local, multicast, reserved
and unspecified addresses are refused, at registration and again right before each
delivery (the checked address is the one connected to), unless
``WEBHOOKS["ALLOW_PRIVATE_TARGETS"]`` is on."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.conf import qasite_setting


class TargetRefused(ValueError):
    """The URL may not be delivered to; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str  # the checked IP address to connect to


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def resolve(url: str) -> Target:
    """Check ``url`` and resolve its host; raise ``TargetRefused`` with a clear reason."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise TargetRefused("This is not a valid URL.") from error
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("Only http and https URLs can receive webhooks.")
    host = parts.hostname
    if not host:
        raise TargetRefused("The URL names no host.")
    if parts.username or parts.password:
        raise TargetRefused("Put no user name or password in the URL.")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefused(f"The host {host} could not be resolved.") from error
    addresses = []
    for info in infos:
        # Drop an IPv6 zone ("fe80::1%eth0"): the address itself decides.
        addresses.append(ipaddress.ip_address(info[4][0].split("%")[0]))
    if not addresses:
        raise TargetRefused(f"The host {host} could not be resolved.")
    if not qasite_setting("WEBHOOKS")["ALLOW_PRIVATE_TARGETS"]:
        for address in addresses:
            if _forbidden(address):
                raise TargetRefused(
                    f"The host {host} resolves to {address}, a private, loopback, link-local "
                    "or reserved address: webhooks only go to public addresses."
                )
    return Target(scheme=parts.scheme, host=host, port=port, address=str(addresses[0]))
