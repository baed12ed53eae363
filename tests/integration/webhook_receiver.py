#!/usr/bin/env python3
"""A stand-in for an Alertmanager webhook receiver: appends one JSON line per POST,
{"path": ..., "body": <the notification>}, to OUT, and answers 200.

  webhook_receiver.py PORT_FILE OUT   binds 127.0.0.1 on a free port and writes it to PORT_FILE
"""
import http.server
import json
import os
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        try:
            doc = json.loads(body)
        except ValueError:
            doc = body.decode("utf-8", "replace")
        with open(self.server.out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"path": self.path, "body": doc}) + "\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    port_file, out = sys.argv[1], sys.argv[2]
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.out = out
    with open(port_file + ".tmp", "w") as fh:
        fh.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
