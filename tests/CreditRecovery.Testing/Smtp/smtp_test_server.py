#!/usr/bin/python3
"""A loopback SMTP server for the CreditRecovery tests, built on Debian's python3-aiosmtpd.

Every accepted message is stored in --dir as NNNNN.eml (the raw bytes received) with NNNNN.json next to it (the
envelope: sender, recipients, the authenticated user, whether TLS was on). The .json is written first and the .eml
renamed into place last, so a reader that sees the .eml sees a complete message.

It can reject given recipients with 550 (--reject), defer them with 451 (--defer), defer every DATA with 451
(--defer-data), require STARTTLS (--tls starttls --require-starttls), speak TLS from the first byte (--tls implicit),
and require AUTH PLAIN/LOGIN with one user (--user/--password). It prints "READY <port>" once it listens.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, folder, reject, defer, defer_data):
        self.folder = folder
        self.reject = {a.lower() for a in reject}
        self.defer = {a.lower() for a in defer}
        self.defer_data = defer_data
        self.counter = len([f for f in os.listdir(folder) if f.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        key = address.lower()
        if key in self.reject:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        if key in self.defer:
            return f"451 4.3.0 <{address}>: Temporary local problem, try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.defer_data:
            return "451 4.3.0 Error: queue file write error, try again later"
        self.counter += 1
        stem = os.path.join(self.folder, f"{self.counter:05d}")
        auth_user = None
        if session.authenticated and isinstance(session.auth_data, LoginPassword):
            auth_user = session.auth_data.login.decode("utf-8", "replace")
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "auth_user": auth_user,
            "tls": session.ssl is not None or server_is_tls,
        }
        with open(stem + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(meta, f)
        os.replace(stem + ".json.tmp", stem + ".json")
        with open(stem + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(stem + ".eml.tmp", stem + ".eml")
        return "250 2.0.0 Ok: queued as " + os.path.basename(stem)


server_is_tls = False


def main():
    global server_is_tls
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--defer", action="append", default=[])
    p.add_argument("--defer-data", action="store_true")
    a = p.parse_args()

    os.makedirs(a.dir, exist_ok=True)
    handler = Handler(a.dir, a.reject, a.defer, a.defer_data)
    context = None
    if a.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)
    server_is_tls = a.tls == "implicit"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode("utf-8", "replace") == a.user
              and auth_data.password.decode("utf-8", "replace") == a.password)
        # handled=False: aiosmtpd itself answers 535 to a failed login.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def factory():
        return SMTP(
            handler,
            hostname="smtp.test.invalid",
            enable_SMTPUTF8=True,
            tls_context=context if a.tls == "starttls" else None,
            require_starttls=a.require_starttls and a.tls == "starttls",
            authenticator=authenticator if a.user else None,
            auth_required=bool(a.user),
            # With implicit TLS the whole session is encrypted; aiosmtpd only knows about STARTTLS.
            auth_require_tls=a.tls == "starttls",
            timeout=30,
        )

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        factory, host=a.host, port=a.port, ssl=context if a.tls == "implicit" else None, reuse_address=True))
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    print(f"READY {a.port}", flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.close()


if __name__ == "__main__":
    sys.exit(main())
