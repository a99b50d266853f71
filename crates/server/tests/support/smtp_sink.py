"""A real SMTP server for the mail tests (crates/server/tests/api/mail_outage.rs), on aiosmtpd.

    python smtp_sink.py PORT DIR

Listens on 127.0.0.1:PORT and writes each message it accepts to DIR as NNNN.eml. While the
file DIR/refuse exists it refuses every message with 451 ("try again later"), as a mail server
in trouble does. Prints "ready" once it listens; runs until it is killed.
"""

import itertools
import pathlib
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder: pathlib.Path):
        self.folder = folder
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        if (self.folder / "refuse").exists():
            return "451 4.3.0 Try again later"
        path = self.folder / f"{next(self.numbers):04}.eml"
        path.write_bytes(envelope.original_content)
        return "250 Message accepted"


def main() -> None:
    port, folder = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
