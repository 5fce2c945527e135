#!/usr/bin/env python3
"""A mail sink for `make demo`: a local SMTP server that prints one line per mail vigil sends
(to whom, the subject) and keeps nothing. The incident desk mails replies and resolutions to a
reporter's own address (desk.notify.reporter_email); in the demo they arrive here.

Speaks the part of SMTP a client without TLS or AUTH uses: EHLO/HELO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT. Usage: demo_mailbox.py PORT
"""
import email
import email.policy
import socketserver
import sys
import time


class Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 vigil-demo mailbox")
        rcpt = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            verb = raw.decode("utf-8", "replace").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 vigil-demo")
            elif verb == "MAIL":
                rcpt = []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpt.append(raw.decode("utf-8", "replace").split(":", 1)[-1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if not line or line in (b".\r\n", b".\n"):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                self.show(rcpt, b"".join(lines))
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # RSET, NOOP and anything else
                self.reply("250 OK")

    @staticmethod
    def show(rcpt, data):
        message = email.message_from_bytes(data, policy=email.policy.default)
        print(f"{time.strftime('%H:%M:%S')}  mailed     to {', '.join(rcpt)}: {message['subject']}",
              flush=True)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9025
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", port), Session) as server:
        server.serve_forever()
