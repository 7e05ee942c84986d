# A loopback tracker for .ci/package-consumers: answers every request 200 and appends its path and query to a file.
# Usage: python3 tracker.py <log file> <port file>
import http.server, sys, threading

log_path, port_path = sys.argv[1], sys.argv[2]
lock = threading.Lock()

class Tracker(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Kissmetrics' tracker does

    def do_GET(self):
        with lock, open(log_path, "a", encoding="ascii") as log:
            log.write(self.path + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tracker)
with open(port_path, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
