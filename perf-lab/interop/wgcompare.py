#!/usr/bin/env python3
"""Compare `wg show IF dump` / `wg showconf IF` of two peered interfaces (scenario `showcompare`).

  wgcompare.py SPEC.json
SPEC holds, per side "a" and "b": impl, dump (path of `wg show IF dump` output), showconf (path
of `wg showconf IF` output), priv/pub (base64), port, peer_pub, psk, endpoint, allowed (list),
keepalive ("off" or seconds); and "now" (Unix seconds when the dumps were taken).
Checks each side against what was configured, then cross-checks the two sides (A's tx counter
equals B's rx counter and vice versa once traffic is quiet, same field formats). Prints a
side-by-side table and one line per problem; exits 1 if there is any problem."""
import json
import sys

IFACE_FIELDS = ["private_key", "public_key", "listen_port", "fwmark"]
PEER_FIELDS = ["public_key", "preshared_key", "endpoint", "allowed_ips", "latest_handshake",
               "rx_bytes", "tx_bytes", "persistent_keepalive"]


def parse_dump(path):
    lines = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
    if not lines:
        raise ValueError(f"{path}: empty dump")
    iface = dict(zip(IFACE_FIELDS, lines[0]))
    peers = {}
    for l in lines[1:]:
        if len(l) != len(PEER_FIELDS):
            raise ValueError(f"{path}: peer line with {len(l)} fields, expected {len(PEER_FIELDS)}: {l}")
        p = dict(zip(PEER_FIELDS, l))
        peers[p["public_key"]] = p
    return iface, peers


def parse_showconf(path):
    """-> ({key: value} of [Interface], [{key: value}] of [Peer]s); AllowedIPs as a set."""
    iface, peers, cur = {}, [], None
    for raw in open(path):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line == "[Interface]":
            cur = iface
            continue
        if line == "[Peer]":
            cur = {}
            peers.append(cur)
            continue
        k, _, v = line.partition("=")
        k, v = k.strip(), v.strip()
        if k == "AllowedIPs":
            cur.setdefault(k, set()).update(x.strip() for x in v.split(",") if x.strip())
        else:
            cur[k] = v
    return iface, peers


def main():
    spec = json.load(open(sys.argv[1]))
    now = int(spec["now"])
    problems = []
    seen = {}
    for side in ("a", "b"):
        s = spec[side]
        tag = f"{side.upper()}({s['impl']})"
        try:
            iface, peers = parse_dump(s["dump"])
        except (OSError, ValueError) as e:
            problems.append(f"{tag}: {e}")
            continue
        want_iface = {"private_key": s["priv"], "public_key": s["pub"], "listen_port": str(s["port"]), "fwmark": "off"}
        for k, v in want_iface.items():
            if iface.get(k) != v:
                problems.append(f"{tag} dump {k}: got {iface.get(k)!r}, want {v!r}")
        if set(peers) != {s["peer_pub"]}:
            problems.append(f"{tag} dump peers: got {sorted(peers)}, want [{s['peer_pub']}]")
        p = peers.get(s["peer_pub"], {})
        want_peer = {"preshared_key": s["psk"], "endpoint": s["endpoint"], "persistent_keepalive": str(s["keepalive"])}
        for k, v in want_peer.items():
            if p.get(k) != v:
                problems.append(f"{tag} dump peer {k}: got {p.get(k)!r}, want {v!r}")
        allowed = p.get("allowed_ips", "")
        if set(allowed.split(",")) != set(s["allowed"]):
            problems.append(f"{tag} dump peer allowed_ips: got {allowed!r}, want {','.join(s['allowed'])!r}")
        try:
            hs = int(p.get("latest_handshake", "x"))
            if hs == 0 or abs(now - hs) > 300:
                problems.append(f"{tag} latest_handshake {hs} is not a recent Unix time (now {now})")
        except ValueError:
            problems.append(f"{tag} latest_handshake not an integer: {p.get('latest_handshake')!r}")
        for k in ("rx_bytes", "tx_bytes"):
            v = p.get(k, "")
            if not v.isdigit() or int(v) == 0:
                problems.append(f"{tag} {k} should be a non-zero integer, got {v!r}")
        seen[side] = (iface, p)
        # showconf must round-trip the same configuration
        try:
            ci, cps = parse_showconf(s["showconf"])
        except OSError as e:
            problems.append(f"{tag}: {e}")
            continue
        want_ci = {"PrivateKey": s["priv"], "ListenPort": str(s["port"])}
        for k, v in want_ci.items():
            if ci.get(k) != v:
                problems.append(f"{tag} showconf {k}: got {ci.get(k)!r}, want {v!r}")
        if len(cps) != 1:
            problems.append(f"{tag} showconf: {len(cps)} [Peer] sections, want 1")
        else:
            cp = cps[0]
            want_cp = {"PublicKey": s["peer_pub"], "PresharedKey": s["psk"], "Endpoint": s["endpoint"]}
            for k, v in want_cp.items():
                if cp.get(k) != v:
                    problems.append(f"{tag} showconf {k}: got {cp.get(k)!r}, want {v!r}")
            if cp.get("AllowedIPs", set()) != set(s["allowed"]):
                problems.append(f"{tag} showconf AllowedIPs: got {sorted(cp.get('AllowedIPs', []))}, want {sorted(s['allowed'])}")
            if s["keepalive"] == "off" and "PersistentKeepalive" in cp:
                problems.append(f"{tag} showconf has PersistentKeepalive although it is off")
    if "a" in seen and "b" in seen:
        pa, pb = seen["a"][1], seen["b"][1]
        if pa.get("tx_bytes") != pb.get("rx_bytes"):
            problems.append(f"cross: A tx_bytes {pa.get('tx_bytes')} != B rx_bytes {pb.get('rx_bytes')}")
        if pb.get("tx_bytes") != pa.get("rx_bytes"):
            problems.append(f"cross: B tx_bytes {pb.get('tx_bytes')} != A rx_bytes {pa.get('rx_bytes')}")
        if pa.get("latest_handshake", "").isdigit() and pb.get("latest_handshake", "").isdigit():
            if abs(int(pa["latest_handshake"]) - int(pb["latest_handshake"])) > 5:
                problems.append(f"cross: handshake times differ by more than 5 s: {pa['latest_handshake']} vs {pb['latest_handshake']}")
        # side-by-side table
        wa, wb = spec["a"]["impl"], spec["b"]["impl"]
        print(f"{'field':22} | {'A: ' + wa:46} | {'B: ' + wb:46}")
        for k in IFACE_FIELDS:
            va, vb = seen["a"][0].get(k, "-"), seen["b"][0].get(k, "-")
            if k == "private_key":
                va, vb = "(present)" if va else "-", "(present)" if vb else "-"
            print(f"{'iface ' + k:22} | {va:46} | {vb:46}")
        for k in PEER_FIELDS:
            va, vb = pa.get(k, "-"), pb.get(k, "-")
            if k == "preshared_key":
                va, vb = ("(set)" if va not in ("(none)", "-") else va), ("(set)" if vb not in ("(none)", "-") else vb)
            print(f"{'peer ' + k:22} | {va:46} | {vb:46}")
    for p in problems:
        print("PROBLEM", p)
    print("RESULT", "FAIL" if problems else "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
