#!/usr/bin/env python3
"""An independent verifier for ledger NDJSON exports, written from docs/exports.md alone.

Usage: verify_export.py EXPORT.ndjson PUBLIC_KEY.pem|.jwk.json [PREVIOUS_CHECKPOINT.json]
Needs Python 3.8+ and the 'cryptography' package (for Ed25519). Exit status 0 when the export
verifies, 1 with one line per problem otherwise. It checks what the Java verifier checks, with
less precise messages: the point is that the format can be verified without the ledger's code.
"""
import base64, hashlib, json, sys
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key, Encoding, PublicFormat


def jcs(value):
    # RFC 8785 for documents of objects, arrays, strings, booleans, null and integers.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


class CompactRange:
    """Peaks of [0, end): (level, hash), largest first."""

    def __init__(self, begin, left):
        levels = [l for l in range(63, -1, -1) if begin >> l & 1]
        if len(levels) != len(left):
            raise ValueError("range_proof.left has %d hashes, %d needed" % (len(left), len(levels)))
        self.peaks = list(zip(levels, left))
        self.end = begin

    def append(self, level, h):
        if self.end % (1 << level):
            raise ValueError("unaligned subtree")
        self.peaks.append((level, h))
        self.end += 1 << level
        while len(self.peaks) >= 2 and self.peaks[-1][0] == self.peaks[-2][0]:
            (l, a), (_, b) = self.peaks[-2], self.peaks[-1]
            self.peaks[-2:] = [(l + 1, node_hash(a, b))]

    def root(self):
        if not self.peaks:
            return hashlib.sha256(b"").digest()
        h = self.peaks[-1][1]
        for _, p in reversed(self.peaks[:-1]):
            h = node_hash(p, h)
        return h


def cover(begin, end):
    x, out = begin, []
    while x < end:
        align = 63 if x == 0 else (x & -x).bit_length() - 1
        fit = (end - x).bit_length() - 1
        level = min(align, fit)
        out.append(level)
        x += 1 << level
    return out


def verify_consistency(first, second, first_hash, second_hash, proof):
    # RFC 9162 section 2.1.4.2
    if first == second:
        return not proof and first_hash == second_hash
    if first == 0:
        return not proof
    if not proof:
        return False
    path = ([first_hash] if first & (first - 1) == 0 else []) + proof
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_hash and sr == second_hash


def load_key(path):
    text = open(path).read().strip()
    if text.startswith("{"):
        jwk = json.loads(text)
        jwk = jwk["keys"][0] if "keys" in jwk else jwk
        raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
        return Ed25519PublicKey.from_public_bytes(raw)
    return load_pem_public_key(text.encode())


def key_id(key):
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    thumb = ('{"crv":"Ed25519","kty":"OKP","x":"%s"}' % x).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(thumb).digest()).rstrip(b"=").decode()


def checkpoint_ok(cp, key):
    body = {k: v for k, v in cp.items() if k != "signature"}
    try:
        key.verify(bytes.fromhex(cp["signature"]), jcs(body))
        return cp["key_id"] == key_id(key)
    except Exception:
        return False


def main(argv):
    problems = []
    key = load_key(argv[2])
    with open(argv[1], encoding="utf-8") as f:
        header = json.loads(f.readline())["ledger_export"]
        cp = header["checkpoint"]
        if header["format"] != "ledger-export/1" or cp["format"] != "ledger-checkpoint/1":
            problems.append("unknown format")
        if not checkpoint_ok(cp, key):
            problems.append("checkpoint signature invalid for key " + key_id(key))
        first, end, size = header["first_leaf"], header["end_leaf"], cp["tree_size"]
        rng = CompactRange(first, [bytes.fromhex(h) for h in header["range_proof"]["left"]])
        expected, count, trailer = first, 0, None
        lo = datetime.fromisoformat(header["from"].replace("Z", "+00:00")) if header.get("from") else None
        hi = datetime.fromisoformat(header["to"].replace("Z", "+00:00")) if header.get("to") else None
        for number, text in enumerate(f, start=2):
            line = json.loads(text)
            if trailer is not None:
                problems.append("line %d: after the trailer" % number)
            if "ledger_export_end" in line:
                trailer = line["ledger_export_end"]["count"]
                continue
            count += 1
            h = leaf_hash(jcs({"committed_at": line["committed_at"], "record": line["record"]}))
            if line.get("leaf_hash") not in (None, h.hex()):
                problems.append("line %d: record changed" % number)
            if line["leaf_index"] != expected:
                problems.append("line %d: leaf %d where %d was expected" % (number, line["leaf_index"], expected))
            expected = line["leaf_index"] + 1
            if line["record"]["tenant"] != header["tenant"]:
                problems.append("line %d: other tenant" % number)
            at = datetime.fromisoformat(line["committed_at"].replace("Z", "+00:00"))
            if (lo and at < lo) or (hi and at >= hi):
                problems.append("line %d: outside the period" % number)
            rng.append(0, h)
        if trailer is None:
            problems.append("file truncated: no trailer")
        elif trailer != count:
            problems.append("trailer count %d, file has %d" % (trailer, count))
        if first + count != end:
            problems.append("%d records, the header's range holds %d" % (count, end - first))
        right = [bytes.fromhex(h) for h in header["range_proof"]["right"]]
        levels = cover(rng.end, size)
        if len(levels) != len(right):
            problems.append("range proof does not fit")
        else:
            for level, h in zip(levels, right):
                rng.append(level, h)
            if rng.root().hex() != cp["root_hash"]:
                problems.append("records do not reproduce the checkpoint root")
        if len(argv) > 3:
            prev = json.load(open(argv[3]))
            prev = prev.get("ledger_export", {}).get("checkpoint", prev) if "ledger_export" in prev else prev
            proof = header.get("consistency") or {}
            if not checkpoint_ok(prev, key):
                problems.append("previous checkpoint signature invalid")
            elif prev["tree_size"] != size and proof.get("from_tree_size") != prev["tree_size"]:
                problems.append("no consistency proof from tree size %d" % prev["tree_size"])
            elif not verify_consistency(prev["tree_size"], size, bytes.fromhex(prev["root_hash"]),
                                        bytes.fromhex(cp["root_hash"]),
                                        [bytes.fromhex(h) for h in proof.get("proof", [])]):
                problems.append("not consistent with the previous checkpoint")
    for p in problems:
        print(p)
    if not problems:
        print("OK: %d records, tree_size %d, root %s" % (count, size, cp["root_hash"]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
