#!/usr/bin/env python3
# A real SMTP server for the Mail tests: aiosmtpd on 127.0.0.1, an ephemeral port, plain or
# STARTTLS or implicit TLS, optional AUTH, optional refused recipients; or, in "drip" mode, a
# server whose greeting never ends (a digit every 0.2 s). Prints "PORT <n>" once
# it listens, writes each message it accepts to <dir>/<n>.json (envelope, TLS, login, headers
# and bodies decoded by Python's email package, raw text) and stops when stdin closes.

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--mode", choices=["plain", "starttls", "ssl", "drip"], default="plain")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--login", help="user:password accepted by AUTH")
    parser.add_argument("--auth-on-plain", action="store_true", help="offer AUTH without TLS")
    parser.add_argument("--exclude-auth", action="append", default=[], help="a mechanism not to offer")
    parser.add_argument("--refuse", action="append", default=[], help="a recipient to refuse")
    return parser.parse_args()


class Handler:
    def __init__(self, directory, refused):
        self.directory = directory
        self.refused = set(refused)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.content.decode("ascii", errors="replace")
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {}
        encodings = []
        for part in message.walk():
            if part.is_multipart():
                continue
            parts[part.get_content_type()] = part.get_content()
            encodings.append(part.get("Content-Transfer-Encoding", ""))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "login": session.auth_data,
            "headers": {name: str(value) for name, value in message.items()},
            "content_type": message.get_content_type(),
            "parts": parts,
            "transfer_encodings": encodings,
            "raw": raw,
        }
        self.count += 1
        path = os.path.join(self.directory, f"{self.count}.json")
        with open(path + ".tmp", "w") as file:
            json.dump(record, file)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def authenticator(expected):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode()
        success = f"{login}:{auth_data.password.decode()}" == expected
        if not success:
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=f"{mechanism} {login}")

    return check


async def drip(reader, writer):
    try:
        while True:
            writer.write(b"2")
            await writer.drain()
            await asyncio.sleep(0.2)
    except (ConnectionError, asyncio.CancelledError):  # the client gave up, or the sink stops
        writer.close()


async def main():
    arguments = parse_arguments()
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    context = None
    if arguments.mode in ("starttls", "ssl"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(arguments.cert, arguments.key)
    options = {
        "hostname": "sink.test",
        "tls_context": context if arguments.mode == "starttls" else None,
        "auth_require_tls": not (arguments.auth_on_plain or arguments.mode == "ssl"),
        "auth_exclude_mechanism": arguments.exclude_auth,
    }
    if arguments.login:
        options["authenticator"] = authenticator(arguments.login)
    else:
        options["auth_exclude_mechanism"] = ["LOGIN", "PLAIN"]
    handler = Handler(arguments.dir, arguments.refuse)
    loop = asyncio.get_running_loop()
    if arguments.mode == "drip":
        server = await asyncio.start_server(drip, host="127.0.0.1", port=0)
    else:
        server = await loop.create_server(
            lambda: SMTP(handler, **options), host="127.0.0.1", port=0,
            ssl=context if arguments.mode == "ssl" else None)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
