#!/usr/bin/env python3
"""Independent RFC 6962 test-vector generator for the Cunyi transparency log.

Written straight from the RFC text, with the Python standard library only (hashlib), so that the
vectors do not come from the TypeScript code under test:

  * RFC 6962 section 2.1   MTH (Merkle Tree Hash), leaf hash = SHA-256(0x00 || d),
                           node hash = SHA-256(0x01 || left || right), k = largest power of two < n,
                           MTH({}) = SHA-256() of the empty string.
  * RFC 6962 section 2.1.1 PATH(m, D[n])            (audit paths, i.e. inclusion proofs)
  * RFC 6962 section 2.1.2 PROOF(m, D[n]) / SUBPROOF (consistency proofs)
  * RFC 6962 section 3.5   the bytes a signed tree head signs (TreeHeadSignature, v1)
  * RFC 8785 (JCS)          the project's canonical event encoding (leaf input of a stored event)

Before writing anything it checks itself against values published by the transparency-dev/merkle
project (see published.json next to this file) and stops with a non-zero exit status if any
published value is not reproduced.

Usage (from the repository root):
    python3 test/vectors/rfc6962/generate.py          # rewrite vectors.json
    python3 test/vectors/rfc6962/generate.py --check  # fail if vectors.json is out of date
"""

import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PUBLISHED_FILE = os.path.join(HERE, "published.json")
VECTORS_FILE = os.path.join(HERE, "vectors.json")

# The JSON formatter of this repository (biome) uses this line width; the writer below lays the
# file out the way biome does, so `biome check` leaves the generated file alone.
LINE_WIDTH = 100

# The published golden probe this generator (and the TypeScript test verifier) deliberately treats
# differently from upstream: it compares two 10-byte placeholder "roots" ("don't care 2") for
# equal tree sizes. Upstream only compares bytes; here every hash must be a 32-byte SHA-256 value.
KNOWN_DIVERGENCES = {
    "testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json":
        "roots are 10-byte placeholders, not 32-byte SHA-256 hashes; rejected here",
}


class VectorError(Exception):
    pass


def require(condition, message):
    """Like assert, but never disabled by `python3 -O`."""
    if not condition:
        raise VectorError(message)


# --------------------------------------------------------------------------------------------
# RFC 6962 section 2.1: Merkle Hash Trees
# --------------------------------------------------------------------------------------------


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(leaf):
    """MTH({d(0)}) = SHA-256(0x00 || d(0))."""
    return sha256(b"\x00" + leaf)


def node_hash(left, right):
    """SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))."""
    return sha256(b"\x01" + left + right)


def split_point(n):
    """k, the largest power of two smaller than n (n > 1), so that k < n <= 2k."""
    require(n > 1, "split_point needs n > 1")
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(entries):
    """MTH(D[n]) exactly as defined in RFC 6962 section 2.1."""
    n = len(entries)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return leaf_hash(entries[0])
    k = split_point(n)
    return node_hash(mth(entries[:k]), mth(entries[k:]))


def path(m, entries):
    """PATH(m, D[n]), RFC 6962 section 2.1.1: the audit path of leaf m, leaf-to-root order."""
    n = len(entries)
    require(0 <= m < n, f"PATH({m}, D[{n}]) is undefined")
    if n == 1:
        return []
    k = split_point(n)
    if m < k:
        return path(m, entries[:k]) + [mth(entries[k:])]
    return path(m - k, entries[k:]) + [mth(entries[:k])]


def subproof(m, entries, b):
    """SUBPROOF(m, D[n], b), RFC 6962 section 2.1.2."""
    n = len(entries)
    if m == n:
        return [] if b else [mth(entries)]
    k = split_point(n)
    if m <= k:
        return subproof(m, entries[:k], b) + [mth(entries[k:])]
    return subproof(m - k, entries[k:], False) + [mth(entries[:k])]


def proof(m, entries):
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true), RFC 6962 section 2.1.2 (0 < m <= n here;
    for m == n the result is the empty list)."""
    require(0 < m <= len(entries), f"PROOF({m}, D[{len(entries)}]) is undefined")
    return subproof(m, entries, True)


# --------------------------------------------------------------------------------------------
# Definition-derived checkers, used only to judge the published golden probes (valid or not).
# They walk the PATH / SUBPROOF recursions backwards; they deliberately do not use the RFC 9162
# bit-twiddling algorithm that the TypeScript test verifier implements.
# --------------------------------------------------------------------------------------------


def is_hash(value):
    return isinstance(value, bytes) and len(value) == 32


def root_from_path(m, n, hashed_leaf, audit_path):
    """The root MTH(D[n]) implied by PATH(m, D[n]) = audit_path, or None if the shape is wrong."""
    if n == 1:
        return hashed_leaf if not audit_path else None
    if not audit_path:
        return None
    k = split_point(n)
    last = audit_path[-1]
    if m < k:
        below = root_from_path(m, k, hashed_leaf, audit_path[:-1])
        return None if below is None else node_hash(below, last)
    below = root_from_path(m - k, n - k, hashed_leaf, audit_path[:-1])
    return None if below is None else node_hash(last, below)


def roots_from_subproof(m, n, b, items, first_root):
    """(MTH(D[0:m]) part, MTH(D[n]) part) implied by SUBPROOF(m, D[n], b) = items, or None."""
    if m == n:
        if b:
            return (first_root, first_root) if not items else None
        return (items[0], items[0]) if len(items) == 1 else None
    if not items:
        return None
    k = split_point(n)
    last = items[-1]
    if m <= k:
        below = roots_from_subproof(m, k, b, items[:-1], first_root)
        return None if below is None else (below[0], node_hash(below[1], last))
    below = roots_from_subproof(m - k, n - k, False, items[:-1], first_root)
    return None if below is None else (node_hash(last, below[0]), node_hash(last, below[1]))


def inclusion_is_valid(m, n, hashed_leaf, audit_path, root):
    if not (0 <= m < n) or not all(is_hash(h) for h in [hashed_leaf, root, *audit_path]):
        return False
    return root_from_path(m, n, hashed_leaf, audit_path) == root


def consistency_is_valid(m, n, first_root, second_root, items):
    # PROOF(m, D[n]) is defined for 0 < m; a "proof" from the empty tree is never accepted.
    if not (0 < m <= n) or not all(is_hash(h) for h in [first_root, second_root, *items]):
        return False
    if m == n:
        return not items and first_root == second_root
    roots = roots_from_subproof(m, n, True, items, first_root)
    return roots is not None and roots == (first_root, second_root)


# --------------------------------------------------------------------------------------------
# RFC 6962 section 3.5: the signed part of a tree head
# --------------------------------------------------------------------------------------------


def tree_head_signature_input(tree_size, timestamp, root_hash):
    """digitally-signed struct { Version version = v1 (0); SignatureType signature_type =
    tree_hash (1); uint64 timestamp; uint64 tree_size; opaque sha256_root_hash[32]; }"""
    require(len(root_hash) == 32, "sha256_root_hash must be 32 bytes")
    return (
        bytes([0, 1])
        + timestamp.to_bytes(8, "big")
        + tree_size.to_bytes(8, "big")
        + root_hash
    )


# --------------------------------------------------------------------------------------------
# The project's canonical event encoding (RFC 8785 JSON Canonicalization Scheme)
# --------------------------------------------------------------------------------------------

MAX_SAFE_INTEGER = 2**53 - 1


def check_jcs_subset(value, where="$"):
    """Only the JSON subset for which RFC 8785 output equals json.dumps(sort_keys=True, ...):
    ASCII object keys (UTF-16 and code-point key order agree), integers within +-(2^53 - 1),
    strings without lone surrogates, booleans, null. No floats."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, float):
        raise VectorError(f"{where}: floats are not allowed in the vectors ({value!r})")
    if isinstance(value, int):
        require(-MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER, f"{where}: integer {value} not safe")
        return
    if isinstance(value, str):
        value.encode("utf-8")  # raises on lone surrogates
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            check_jcs_subset(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            require(isinstance(key, str) and key.isascii(), f"{where}: key {key!r} must be ASCII")
            check_jcs_subset(item, f"{where}.{key}")
        return
    raise VectorError(f"{where}: unsupported type {type(value).__name__}")


def jcs(value):
    check_jcs_subset(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_leaf_input(event):
    """UTF-8 bytes of JCS({data, id, metadata, revision (decimal string), stream, type})."""
    require(re.fullmatch(r"0|[1-9][0-9]*", event["revision"]) is not None, "revision format")
    require(int(event["revision"]) < 2**64, "revision must fit in 64 bits")
    leaf_object = {
        "data": event["data"],
        "id": event["id"],
        "metadata": event["metadata"],
        "revision": event["revision"],
        "stream": event["stream"],
        "type": event["type"],
    }
    return jcs(leaf_object).encode("utf-8")


METADATA_QINGSHAN = {
    "actor": {"role": "VILLAGER", "subject": "v-1", "villageId": "qingshan"},
    "correlationId": "c-1",
    "occurredAt": "2026-05-01T08:00:00.000Z",
    "channel": "ONLINE",
}

# Keys are written in a deliberately unsorted order; canonicalization must sort them.
CANONICAL_EVENTS = [
    {
        "name": "chinese-text-and-metadata",
        "event": {
            "type": "ProposalSubmitted",
            "stream": "proposal-p-1",
            "revision": "0",
            "id": "0b4c3f52-7d1e-4c1a-9a55-3f2d6c1e8a01",
            "metadata": METADATA_QINGSHAN,
            "data": {
                "title": "修缮青山村祠堂",
                "proposalId": "p-1",
                "summary": "村民议事：修路、引水，预算一百二十五万分。",
                "budgetCents": 1250000,
            },
        },
    },
    {
        "name": "unsorted-nested-objects-and-arrays",
        "event": {
            "stream": "meeting-m-7",
            "id": "1f7e2a90-5b3c-4d8e-8f21-6a9b0c4d2e02",
            "type": "AgendaPublished",
            "revision": "3",
            "data": {
                "zeta": 1,
                "alpha": {"y": [3, 2, 1], "b": {"d": True, "c": None}, "a": "first"},
                "items": [
                    {"order": 2, "topic": "水渠", "tags": ["water", "灌溉"]},
                    {"topic": "路灯", "order": 1, "tags": []},
                ],
                "Mixed": "capitals sort before lower case",
                "_under": "underscore sorts between capitals and lower case",
            },
            "metadata": {
                "occurredAt": "2026-05-02T09:30:00.000Z",
                "correlationId": "c-2",
                "causationId": "0b4c3f52-7d1e-4c1a-9a55-3f2d6c1e8a01",
                "actor": {"subject": "clerk-1", "role": "CLERK", "villageId": "qingshan"},
            },
        },
    },
    {
        "name": "string-escapes-and-control-characters",
        "event": {
            "revision": "12",
            "type": "CommentAdded",
            "stream": "petition-42",
            "id": "2a9d4b61-0c8f-4e3a-b7d2-9e1f5a6c3b03",
            "data": {
                "text": 'quote " backslash \\ newline \n tab \t ctrl \u0001 end',
                "moreControls": "\b\f\r\u001f\u007f",
                "slash": "a/b",
                "lineSeparator": "before\u2028after",
                "nonBmp": "稻谷 🌾",
            },
            "metadata": {"correlationId": "c-3", "occurredAt": "2026-05-03T10:00:00.000Z"},
        },
    },
    {
        "name": "empty-object-and-array",
        "event": {
            "data": {"attachments": [], "extra": {}, "nested": {"list": [[], {}]}},
            "metadata": {"occurredAt": "2026-05-04T11:00:00.000Z", "correlationId": "c-4"},
            "type": "DraftSaved",
            "id": "3c1e6d72-1a9b-4f5c-8e03-a2b4c6d8e004",
            "stream": "plan-2026",
            "revision": "1",
        },
    },
    {
        "name": "empty-data",
        "event": {
            "type": "MeetingOpened",
            "stream": "meeting-m-8",
            "id": "4d2f7e83-2b0c-4a6d-9f14-b3c5d7e9f105",
            "revision": "0",
            "data": {},
            "metadata": {"correlationId": "c-5", "occurredAt": "2026-05-05T12:00:00.000Z"},
        },
    },
    {
        "name": "integers-booleans-null",
        "event": {
            "stream": "vote-p-1",
            "type": "BallotTallied",
            "id": "5e3a8f94-3c1d-4b7e-a025-c4d6e8f0a206",
            "revision": "99",
            "data": {
                "delta": -42,
                "zero": 0,
                "maxSafe": 9007199254740991,
                "minSafe": -9007199254740991,
                "approved": True,
                "withdrawn": False,
                "reason": None,
                "counts": [0, -1, 1, 250],
            },
            "metadata": {
                "actor": {"villageId": "qingshan", "subject": "teller-2", "role": "TELLER"},
                "occurredAt": "2026-05-06T13:00:00.000Z",
                "correlationId": "c-6",
            },
        },
    },
    {
        "name": "revision-above-2^53",
        "event": {
            "id": "6f4b9a05-4d2e-4c8f-b136-d5e7f9a1b307",
            "revision": "12345678901234567890",
            "stream": "audit-log",
            "type": "Checkpointed",
            "data": {"note": "revision does not fit in a double; it is a decimal string"},
            "metadata": METADATA_QINGSHAN,
        },
    },
    {
        "name": "chinese-vote-with-arrays",
        "event": {
            "type": "VoteCast",
            "revision": "7",
            "stream": "proposal-p-1",
            "id": "7a5c0b16-5e3f-4d90-8247-e6f8a0b2c408",
            "data": {
                "choice": "赞成",
                "ballot": {"voter": "村民-张三", "household": "三组", "weights": [1, 1, 2]},
                "comments": ["同意修路", "希望年底完工", ""],
            },
            "metadata": METADATA_QINGSHAN,
        },
    },
    {
        "name": "metadata-with-extra-keys",
        "event": {
            "metadata": {
                "occurredAt": "2026-05-09T16:45:00.000Z",
                "channel": "OFFLINE",
                "correlationId": "c-9",
                "actor": {"role": "CLERK", "subject": "clerk-1", "villageId": "qingshan"},
                "causationId": "c-8",
                "source": {"kind": "paper-form", "page": 3},
            },
            "revision": "4",
            "type": "PaperBallotRecorded",
            "stream": "vote-p-1",
            "id": "8b6d1c27-6f40-4ea1-9358-f7a9b1c3d509",
            "data": {"ballotNumber": 17, "transcribedBy": "书记员"},
        },
    },
]


# --------------------------------------------------------------------------------------------
# JSON writer laid out the way biome formats JSON (objects expanded, arrays on one line if they fit)
# --------------------------------------------------------------------------------------------


def dump_json(value):
    return _dump(value, 0, 0) + "\n"


def _scalar(value):
    return json.dumps(value, ensure_ascii=False)


def _dump(value, indent, used):
    """`used` = columns already taken on the current line (indent, key) plus what follows
    the value on that line (a comma)."""
    pad = " " * indent
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = []
        items = list(value.items())
        for i, (key, item) in enumerate(items):
            prefix = f"{_scalar(key)}: "
            comma = "," if i < len(items) - 1 else ""
            text = _dump(item, indent + 2, indent + 2 + len(prefix) + len(comma))
            lines.append(f"{inner}{prefix}{text}{comma}")
        return "{\n" + "\n".join(lines) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        # like biome, an array of scalars and empty containers goes on one line when it fits
        if all(not isinstance(item, (dict, list)) or not item for item in value):
            flat = "[" + ", ".join(_scalar(item) for item in value) + "]"
            if used + len(flat) <= LINE_WIDTH:
                return flat
        lines = []
        for i, item in enumerate(value):
            comma = "," if i < len(value) - 1 else ""
            lines.append(f"{inner}{_dump(item, indent + 2, indent + 2 + len(comma))}{comma}")
        return "[\n" + "\n".join(lines) + "\n" + pad + "]"
    return _scalar(value)


# --------------------------------------------------------------------------------------------
# Self-check against the published values
# --------------------------------------------------------------------------------------------


def unhex(value):
    require(isinstance(value, str) and re.fullmatch(r"(?:[0-9a-f]{2})*", value) is not None,
            f"not lowercase hex: {value!r}")
    return bytes.fromhex(value)


def hexes(values):
    return [v.hex() for v in values]


def check_published(published):
    """Every published value must be reproduced; returns the number of values checked."""
    checked = 0
    leaves = [unhex(item["hex"]) for item in published["leaves"]]
    require([item["index"] for item in published["leaves"]] == list(range(8)), "published leaves")

    for level, hashes in enumerate(published["nodeHashes"]):
        width = 2**level
        for j, expected in enumerate(hashes):
            actual = mth(leaves[j * width:(j + 1) * width]).hex()
            require(actual == expected, f"nodeHashes[{level}][{j}]: computed {actual}, published {expected}")
            checked += 1

    for item in published["roots"]:
        n = item["treeSize"]
        actual = mth(leaves[:n]).hex()
        require(actual == item["rootHash"], f"root of size {n}: computed {actual}, published {item['rootHash']}")
        checked += 1

    for item in published["inclusionProofs"]:
        m, n = item["leafIndex"], item["treeSize"]
        require(m == item["sourceLeafNumber"] - 1, "inclusion index conversion")
        actual = hexes(path(m, leaves[:n]))
        require(actual == item["proof"], f"PATH({m}, D[{n}]): computed {actual}, published {item['proof']}")
        checked += 1

    for item in published["consistencyProofs"]:
        m, n = item["fromSize"], item["toSize"]
        actual = hexes(proof(m, leaves[:n]))
        require(actual == item["proof"], f"PROOF({m}, D[{n}]): computed {actual}, published {item['proof']}")
        checked += 1

    divergences = set()
    for probe in published["goldenProbes"]["inclusion"]:
        m, n = probe["leafIndex"], probe["treeSize"]
        valid = inclusion_is_valid(m, n, unhex(probe["leafHash"]), [unhex(p) for p in probe["proof"]],
                                   unhex(probe["rootHash"]))
        if valid == probe["wantErr"]:
            divergences.add(probe["file"])
        if not probe["wantErr"] and n <= 8 and probe["leafHash"] == leaf_hash(leaves[m]).hex():
            # a probe over the published leaves that is meant to verify must be exactly PATH and MTH
            require(probe["proof"] == hexes(path(m, leaves[:n])), f"{probe['file']}: PATH differs")
            require(probe["rootHash"] == mth(leaves[:n]).hex(), f"{probe['file']}: root differs")
        checked += 1
    for probe in published["goldenProbes"]["consistency"]:
        m, n = probe["fromSize"], probe["toSize"]
        items = [unhex(p) for p in probe["proof"]]
        valid = consistency_is_valid(m, n, unhex(probe["fromRoot"]), unhex(probe["toRoot"]), items)
        if valid == probe["wantErr"]:
            divergences.add(probe["file"])
        if not probe["wantErr"] and 0 < m < n <= 8:
            require(probe["proof"] == hexes(proof(m, leaves[:n])), f"{probe['file']}: PROOF differs")
            require(probe["fromRoot"] == mth(leaves[:m]).hex(), f"{probe['file']}: fromRoot")
            require(probe["toRoot"] == mth(leaves[:n]).hex(), f"{probe['file']}: toRoot")
        checked += 1
    require(divergences == set(KNOWN_DIVERGENCES),
            f"golden probes judged differently from upstream: {sorted(divergences ^ set(KNOWN_DIVERGENCES))}")
    return checked


# --------------------------------------------------------------------------------------------
# Vector generation
# --------------------------------------------------------------------------------------------

LEAF_SET_SIZE = 37


def build_vectors(published):
    published_leaves = [unhex(item["hex"]) for item in published["leaves"]]
    set37 = [f"leaf-{i}".encode("utf-8") for i in range(LEAF_SET_SIZE)]

    inclusion = []
    for n in range(1, LEAF_SET_SIZE + 1):
        for m in range(n):
            audit_path = path(m, set37[:n])
            require(inclusion_is_valid(m, n, leaf_hash(set37[m]), audit_path, mth(set37[:n])),
                    f"self-check PATH({m}, D[{n}])")
            inclusion.append({"leafIndex": m, "treeSize": n, "proof": hexes(audit_path)})

    consistency = []
    for n in range(1, LEAF_SET_SIZE + 1):
        for m in range(1, n + 1):
            items = proof(m, set37[:n])
            require(consistency_is_valid(m, n, mth(set37[:m]), mth(set37[:n]), items),
                    f"self-check PROOF({m}, D[{n}])")
            consistency.append({"fromSize": m, "toSize": n, "proof": hexes(items)})

    canonical_events = []
    for sample in CANONICAL_EVENTS:
        leaf_input = event_leaf_input(sample["event"])
        canonical_events.append({
            "name": sample["name"],
            "event": sample["event"],
            "canonicalBytes": leaf_input.decode("utf-8"),
            "canonicalBytesHex": leaf_input.hex(),
            "leafHash": leaf_hash(leaf_input).hex(),
        })
    require(len(canonical_events) >= 8, "at least 8 canonical events")

    root8 = mth(published_leaves)
    timestamp = 1767225600000  # 2026-01-01T00:00:00.000Z in ms since the epoch
    sth_bytes = tree_head_signature_input(8, timestamp, root8)
    require(len(sth_bytes) == 50, "TreeHeadSignature input is 1 + 1 + 8 + 8 + 32 bytes")

    return {
        "description": "RFC 6962 / RFC 9162 Merkle tree test vectors for the Cunyi transparency log, "
        "generated by generate.py (an independent Python implementation of RFC 6962 section 2.1) "
        "and checked by it against published.json. Do not edit by hand.",
        "conventions": {
            "hashes": "lowercase hex SHA-256",
            "leafHash": "SHA-256(0x00 || leaf input)",
            "nodeHash": "SHA-256(0x01 || left || right)",
            "emptyRoot": "SHA-256 of the empty string",
            "inclusion": "proof = RFC 6962 PATH(leafIndex, D[treeSize]) over leafSet37, leaf-to-root "
            "order; verify against roots.leafSet37[treeSize]",
            "consistency": "proof = RFC 6962 PROOF(fromSize, D[toSize]) over leafSet37 (empty when "
            "fromSize == toSize); verify against roots.leafSet37[fromSize] and [toSize]",
            "canonicalEvents": "leaf input = UTF-8 of RFC 8785 JCS of {data, id, metadata, revision "
            "(decimal string), stream, type}; canonicalBytes is that UTF-8 text",
        },
        "leaves": [
            {"index": i, "hex": leaf.hex(), "leafHash": leaf_hash(leaf).hex()}
            for i, leaf in enumerate(published_leaves)
        ],
        "leafSet37": [
            {"index": i, "input": leaf.decode("utf-8"), "hex": leaf.hex(), "leafHash": leaf_hash(leaf).hex()}
            for i, leaf in enumerate(set37)
        ],
        "roots": {
            "published8": [
                {"treeSize": n, "rootHash": mth(published_leaves[:n]).hex()} for n in range(9)
            ],
            "leafSet37": [
                {"treeSize": n, "rootHash": mth(set37[:n]).hex()} for n in range(LEAF_SET_SIZE + 1)
            ],
        },
        "inclusion": inclusion,
        "consistency": consistency,
        "canonicalEvents": canonical_events,
        "treeHeadSignatureInput": {
            "layout": "version v1 (0x00, 1 byte) || signature_type tree_hash (0x01, 1 byte) || "
            "timestamp (uint64 big-endian, ms) || tree_size (uint64 big-endian) || sha256_root_hash "
            "(32 bytes); RFC 6962 section 3.5",
            "treeSize": 8,
            "timestamp": timestamp,
            "rootHash": root8.hex(),
            "hex": sth_bytes.hex(),
        },
    }


def main(argv):
    with open(PUBLISHED_FILE, encoding="utf-8") as handle:
        published = json.load(handle)
    checked = check_published(published)
    text = dump_json(build_vectors(published))
    if "--check" in argv:
        with open(VECTORS_FILE, encoding="utf-8") as handle:
            require(handle.read() == text, "vectors.json is out of date: run generate.py")
        print(f"ok: {checked} published values reproduced; vectors.json is up to date")
        return 0
    with open(VECTORS_FILE, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    print(f"ok: {checked} published values reproduced; wrote vectors.json")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except VectorError as error:
        print(f"generate.py: FAILED: {error}", file=sys.stderr)
        sys.exit(1)
