"""A throwaway self-signed certificate: a trial of the HTTPS entrance without a real one.

For the tests that run nginx with TLS and for ``bench --network`` (the topology measured over
HTTPS as a hosted link is); never for a real deployment, which takes a certificate from a CA
(README, "HTTPS and HTTP/2"). Made with the ``cryptography`` package (installed with
Streamlit's sign-in, Authlib), so no ``openssl`` binary is needed; an EC P-256 key is quick to
make (RSA 2048 costs ~0.1-1 s).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path

from cakupan.hosting.nginx import Tls

#: The names the certificate is made for (a browser told to ignore errors does not care;
#: curl without ``-k`` and Python with the certificate as its CA do).
HOSTS = ("127.0.0.1", "localhost")


def self_signed(folder: Path, hosts: tuple[str, ...] = HOSTS, days: int = 2) -> Tls:
    """Write ``cert.pem`` and ``key.pem`` (0600) into ``folder``; the :class:`Tls` for them."""
    from cryptography import x509  # imported only when a certificate is made
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    alt: list[x509.GeneralName] = []
    for host in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt.append(x509.DNSName(host))
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder.resolve() / "cert.pem", folder.resolve() / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return Tls(cert=cert_path, key=key_path)
