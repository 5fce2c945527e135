#!/usr/bin/env python3
"""A webhook receiver for `make demo`: prints every alert vigil delivers, one line each, and the
incident desk's notifications (desk.notify), one line each.

vigil's webhook receiver POSTs an Alertmanager-style JSON body (status, groupKey, alerts with
labels and annotations). Usage: demo_receiver.py PORT
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.send_response(200)
        self.end_headers()
        try:
            message = json.loads(body)
        except ValueError:
            print("receiver: a body that is not JSON", flush=True)
            return
        if message.get("source") == "vigil-desk":  # the incident desk's own webhook body
            print(f"{time.strftime('%H:%M:%S')}  desk       {message.get('title', '')}", flush=True)
            return
        for alert in message.get("alerts", []):
            labels = alert.get("labels", {})
            key = " ".join(f"{k}={labels[k]}" for k in ("txn", "ret", "svc_sys", "node", "step", "check") if k in labels)
            name = f" ({labels['name']})" if "name" in labels else ""
            print(f"{time.strftime('%H:%M:%S')}  delivered  {alert.get('status', '?').upper():8} "
                  f"{labels.get('severity', ''):8} {labels.get('rule', ''):16} {key}{name}  "
                  f"{alert.get('annotations', {}).get('summary', '')}", flush=True)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9099
    HTTPServer(("127.0.0.1", port), Handler).serve_forever()
