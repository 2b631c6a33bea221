#!/usr/bin/env python3
"""Bounded one-shot TCP file transfer for the interop suite (standard library only).

  tcpxfer.py recv HOST PORT OUTFILE TIMEOUT_S   listen, accept one connection, write it to OUTFILE
  tcpxfer.py send HOST PORT INFILE  TIMEOUT_S   connect (retrying until TIMEOUT_S), send INFILE
Prints one line: bytes, seconds, Mbit/s and the sha256 of what went through this side. The
caller compares the sha256 of the two files independently (sha256sum)."""
import hashlib
import socket
import sys
import time

def main():
    mode, host, port, path, timeout_s = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    deadline = time.monotonic() + timeout_s
    h = hashlib.sha256()
    total = 0
    if mode == "recv":
        srv = socket.socket(family, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((host, port))
        srv.listen(1)
        srv.settimeout(timeout_s)
        print("LISTENING", flush=True)
        conn, _ = srv.accept()
        t0 = time.monotonic()
        with conn, open(path, "wb") as out:
            while True:
                conn.settimeout(max(0.1, deadline - time.monotonic()))
                chunk = conn.recv(1 << 20)
                if not chunk:
                    break
                out.write(chunk)
                h.update(chunk)
                total += len(chunk)
    elif mode == "send":
        while True:
            try:
                conn = socket.create_connection((host, port), timeout=max(0.1, deadline - time.monotonic()))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        t0 = time.monotonic()
        with conn, open(path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                conn.settimeout(max(0.1, deadline - time.monotonic()))
                conn.sendall(chunk)
                h.update(chunk)
                total += len(chunk)
            conn.shutdown(socket.SHUT_WR)
            conn.settimeout(max(0.1, deadline - time.monotonic()))
            conn.recv(1)  # wait for the receiver to close: everything was read
    else:
        sys.exit("mode must be recv or send")
    dt = max(1e-9, time.monotonic() - t0)
    print(f"{mode} bytes={total} seconds={dt:.2f} mbit_s={total * 8 / dt / 1e6:.1f} sha256={h.hexdigest()}")

if __name__ == "__main__":
    main()
