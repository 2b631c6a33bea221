#!/usr/bin/env python3
"""Hostile-input probe for a WireGuard daemon's UDP port (interop scenario `garbage`).

  wgpkt.py capture BIND_IP BIND_PORT OUTFILE TIMEOUT_S
      Bind, wait for one handshake initiation (type 1, 148 bytes) sent to us, save it (hex).
  wgpkt.py attack BIND_IP BIND_PORT TARGET_IP TARGET_PORT TARGET_PUB_B64 INIT_HEX_FILE [SEED]
      From the bound socket, send bounded groups of bad packets to the target and check that
      nothing at all comes back, then a positive control (the captured initiation, never seen by
      the target: it must answer with one 92-byte response), then replays of that initiation and
      forged transport/cookie packets using the target's fresh index: again nothing may come back.
Prints one line per group ("ok GROUP sent=N" / "BAD GROUP ...") and exits 1 on any BAD line.
Standard library only (BLAKE2s from hashlib computes a valid mac1 for crafted initiations)."""
import base64
import hashlib
import os
import random
import socket
import struct
import sys
import time

INIT_LEN, RESP_LEN, COOKIE_LEN, DATA_MIN = 148, 92, 64, 32
MAC1_OFF = 116  # initiation: type/reserved 4, sender 4, ephemeral 32, static 48, timestamp 28


def mac1(responder_pub: bytes, msg_wo_macs: bytes) -> bytes:
    key = hashlib.blake2s(b"mac1----" + responder_pub).digest()
    return hashlib.blake2s(msg_wo_macs, key=key, digest_size=16).digest()


def with_mac1(pub: bytes, init: bytes) -> bytes:
    body = init[:MAC1_OFF]
    return body + mac1(pub, body) + bytes(16)


def flip(b: bytes, i: int) -> bytes:
    return b[:i] + bytes([b[i] ^ 0x01]) + b[i + 1:]


def bind(ip: str, port: int) -> socket.socket:
    s = socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ip, port))
    return s


def drain(s: socket.socket, window_s: float):
    """Everything that arrives within window_s."""
    got = []
    end = time.monotonic() + window_s
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return got
        s.settimeout(left)
        try:
            data, src = s.recvfrom(65535)
            got.append((data, src))
        except socket.timeout:
            return got


def describe(got):
    return ", ".join(f"{len(d)}B type={d[0] if d else '-'} from {src[0]}:{src[1]}" for d, src in got[:5])


def capture(ip, port, out, timeout_s):
    s = bind(ip, int(port))
    print("READY", flush=True)
    end = time.monotonic() + float(timeout_s)
    while time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        try:
            data, src = s.recvfrom(65535)
        except socket.timeout:
            break
        if len(data) == INIT_LEN and data[:4] == b"\x01\x00\x00\x00":
            with open(out, "w") as f:
                f.write(data.hex())
            print(f"captured initiation from {src[0]}:{src[1]}")
            return 0
    print("no initiation captured")
    return 1


def attack(ip, port, tip, tport, pub_b64, init_file, seed):
    rnd = random.Random(int(seed))
    pub = base64.b64decode(pub_b64)
    init = bytes.fromhex(open(init_file).read().strip())
    assert len(init) == INIT_LEN and len(pub) == 32
    s = bind(ip, int(port))
    dst = (tip, int(tport))
    bad = 0
    # self-check: our mac1 must reproduce the captured one, or the "valid mac1" groups below
    # would silently test only the mac1 check (mac2 is zero: the sender holds no cookie)
    if with_mac1(pub, init) != init:
        print("BAD self-check: computed mac1 differs from the captured initiation's mac1/mac2")
        bad += 1
    else:
        print("ok self-check: mac1 recomputed over the captured initiation matches")

    def send_group(name, pkts, window_s=0.0):
        nonlocal bad
        for p in pkts:
            s.sendto(p, dst)
            time.sleep(0.001)  # paced: never a flood (the daemon would rightly go "under load")
        if window_s > 0:
            got = drain(s, window_s)
            if got:
                bad += 1
                print(f"BAD {name}: {len(got)} answer(s): {describe(got)}")
                return
        print(f"ok {name} sent={len(pkts)}")

    rb = lambda n: bytes(rnd.getrandbits(8) for _ in range(n))
    # 1. bounded garbage, no valid mac1 anywhere: silence expected
    groups = [
        ("random-bytes", [rb(rnd.randint(0, 1500)) for _ in range(150)]),
        ("random-type1-148", [b"\x01\x00\x00\x00" + rb(INIT_LEN - 4) for _ in range(20)]),
        ("random-type2-92", [b"\x02\x00\x00\x00" + rb(RESP_LEN - 4) for _ in range(20)]),
        ("random-type3-64", [b"\x03\x00\x00\x00" + rb(COOKIE_LEN - 4) for _ in range(20)]),
        ("random-type4", [b"\x04\x00\x00\x00" + rb(rnd.choice([28, 44, 124, 1400])) for _ in range(20)]),
        ("truncated-init", [init[:n] for n in range(0, INIT_LEN)]),
        ("init-plus-1-byte", [init + b"\x00"]),
        ("init-reserved-nonzero", [init[:1] + b"\x01" + init[2:], with_mac1(pub, init[:3] + b"\x80" + init[4:])]),
        ("init-mac1-bitflip", [flip(init, MAC1_OFF + i) for i in range(0, 16, 3)]),
        ("init-bad-ephemeral-valid-mac1", [with_mac1(pub, flip(init, 8 + i)) for i in (0, 13, 31)]),
        ("init-bad-static-valid-mac1", [with_mac1(pub, flip(init, 40 + i)) for i in (0, 21, 47)]),
        ("init-bad-timestamp-valid-mac1", [with_mac1(pub, flip(init, 88 + i)) for i in (0, 11, 27)]),
    ]
    for name, pkts in groups:
        send_group(name, pkts)
    got = drain(s, 1.5)
    if got:
        bad += 1
        print(f"BAD garbage phase: {len(got)} answer(s): {describe(got)}")
    else:
        print("ok garbage phase: no answer within 1.5 s")

    # 2. positive control: the captured initiation is new to the target, it must answer once
    s.sendto(init, dst)
    got = drain(s, 3.0)
    resp = [d for d, _ in got if len(d) == RESP_LEN and d[:4] == b"\x02\x00\x00\x00"]
    if len(resp) != 1 or len(got) != 1:
        bad += 1
        print(f"BAD control: expected exactly one 92-byte response, got {len(got)}: {describe(got)}")
        target_index = rb(4)
    else:
        print("ok control: fresh initiation answered by one response")
        target_index = resp[0][4:8]  # responder's sender index

    # 3. replays and forged packets aimed at the live index: silence expected
    send_group("replayed-init", [init] * 5)
    send_group("forged-data-live-index",
               [b"\x04\x00\x00\x00" + target_index + struct.pack("<Q", c) + rb(n)
                for c, n in ((0, 16), (1, 16), (2, 80), (2**60, 16), (2**64 - 1, 16))])
    send_group("forged-cookie-live-index", [b"\x03\x00\x00\x00" + target_index + rb(COOKIE_LEN - 8)])
    send_group("replayed-init-again", [init] * 3, window_s=1.5)
    print("RESULT", "FAIL" if bad else "PASS")
    return 1 if bad else 0


if __name__ == "__main__":
    a = sys.argv[1:]
    if a and a[0] == "capture" and len(a) == 5:
        sys.exit(capture(*a[1:]))
    if a and a[0] == "attack" and len(a) in (7, 8):
        sys.exit(attack(*a[1:7], a[7] if len(a) == 8 else int.from_bytes(os.urandom(4), "little")))
    sys.exit(__doc__)
