#!/usr/bin/env python3
"""Read the ledger's live revocations from Kafka, in Python.

Reads every partition of ``ledger.revocations`` from the beginning (no consumer
group: every resource server needs every notice), keeps the live set in a dict
(a tombstone removes an entry), prints it as JSON lines once caught up, and with
``--follow`` keeps printing changes as they arrive.

Values are Avro single-object encoded: 2 marker bytes C3 01, the 8-byte
little-endian CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical
Form, then the Avro binary body. Keys are UTF-8 ``tenant/token_id``.

The broker of ``ledger up`` takes only the login it writes to
``data/kafka-client.properties`` (0600): pass that file with ``--client-config``.
This is where a resource server's credentials go; ``client_config`` below turns
the Java client settings in it (bootstrap.servers, security.protocol,
sasl.mechanism, sasl.jaas.config) into librdkafka's.

Needs confluent-kafka and avro (Debian: python3-confluent-kafka python3-avro):

    python3 read_revocations.py --client-config data/kafka-client.properties \\
        --schema ../../../../schemas/src/main/avro/RevocationNotice.avsc [--follow] [--tenant acme]
"""

import argparse
import io
import json
import re
import struct
import sys
import uuid

import avro.io
import avro.schema
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

MARKER = b"\xc3\x01"

# CRC-64-AVRO, as in the Avro specification ("Schema Fingerprints").
_EMPTY = 0xC15D213AA4D7A795
_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (_EMPTY & -(_fp & 1))
    _TABLE.append(_fp)


def crc64_avro(data: bytes) -> int:
    fp = _EMPTY
    for b in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


_PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def canonical_form(schema_json, namespace=None):
    """The Parsing Canonical Form of a schema given as parsed JSON.

    Written out because python3-avro 1.11's ``canonical_form`` keeps logical
    types as {"type":"long"}, which gives another fingerprint than Java's.
    """
    def fullname(name, ns):
        return name if "." in name or not ns else ns + "." + name

    if isinstance(schema_json, str):
        return json.dumps(schema_json if schema_json in _PRIMITIVES else fullname(schema_json, namespace))
    if isinstance(schema_json, list):
        return "[" + ",".join(canonical_form(s, namespace) for s in schema_json) + "]"
    kind = schema_json["type"]
    if kind in _PRIMITIVES or (isinstance(kind, (dict, list))):
        return canonical_form(kind, namespace)
    if kind in ("record", "error", "enum", "fixed"):
        ns = schema_json.get("namespace", namespace)
        name = fullname(schema_json["name"], ns)
        ns = name.rpartition(".")[0] or None
        parts = ['"name":' + json.dumps(name), '"type":' + json.dumps(kind if kind != "error" else "record")]
        if kind in ("record", "error"):
            fields = ",".join('{"name":' + json.dumps(f["name"]) + ',"type":' + canonical_form(f["type"], ns) + "}"
                              for f in schema_json["fields"])
            parts.append('"fields":[' + fields + "]")
        elif kind == "enum":
            parts.append('"symbols":' + json.dumps(schema_json["symbols"], separators=(",", ":")))
        else:
            parts.append('"size":' + str(schema_json["size"]))
        return "{" + ",".join(parts) + "}"
    if kind == "array":
        return '{"type":"array","items":' + canonical_form(schema_json["items"], namespace) + "}"
    if kind == "map":
        return '{"type":"map","values":' + canonical_form(schema_json["values"], namespace) + "}"
    return canonical_form(kind, namespace)


class NoticeDecoder:
    """Decodes single-object encoded values written with any of the given schemas."""

    def __init__(self, schema_paths):
        self.readers = {}
        for path in schema_paths:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            fp = crc64_avro(canonical_form(json.loads(text)).encode("utf-8"))
            self.readers[struct.pack("<Q", fp)] = avro.io.DatumReader(avro.schema.parse(text))

    def decode(self, value: bytes) -> dict:
        if value[:2] != MARKER:
            raise ValueError("not Avro single-object encoding (no C3 01 marker)")
        reader = self.readers.get(value[2:10])
        if reader is None:
            raise ValueError("written with a schema we were not given (fingerprint %s)" % value[2:10].hex())
        return reader.read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))


def read_properties(path):
    """The key=value lines of a Java properties file (as the ledger writes it: no line continuations)."""
    props = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#!":
                continue
            key, _, value = line.partition("=")
            props[key.strip()] = re.sub(r"\\(.)", r"\1", value.strip())
    return props


_JAAS_OPTION = re.compile(r'(\w+)="([^"]*)"')


def client_config(props):
    """librdkafka settings for the Java client settings the ledger writes.

    librdkafka has no JAAS: the user name and password of a PLAIN or SCRAM
    login move from sasl.jaas.config to sasl.username / sasl.password.
    """
    config = {"bootstrap.servers": props["bootstrap.servers"]}
    if "security.protocol" in props:
        config["security.protocol"] = props["security.protocol"]
    if "sasl.mechanism" in props:
        config["sasl.mechanism"] = props["sasl.mechanism"]
    options = dict(_JAAS_OPTION.findall(props.get("sasl.jaas.config", "")))
    if "username" in options:
        config["sasl.username"] = options["username"]
        config["sasl.password"] = options.get("password", "")
    return config


def rfc3339(dt):
    return None if dt is None else dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def as_json(notice):
    return json.dumps({
        "tenant": notice["tenant"],
        "token_id": notice["token_id"],
        "revoked_at": rfc3339(notice["revoked_at"]),
        "revocation_cause": notice["revocation_cause"],
        "expires_at": rfc3339(notice["expires_at"]),
    }, sort_keys=True, separators=(",", ":"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--client-config", metavar="FILE",
                        help="Kafka client settings with the login, e.g. data/kafka-client.properties of ledger up")
    parser.add_argument("--bootstrap", help="Kafka bootstrap servers (an unauthenticated broker, or to override the file)")
    parser.add_argument("--topic", default="ledger.revocations")
    parser.add_argument("--schema", action="append", required=True,
                        help="RevocationNotice.avsc (repeat for older versions)")
    parser.add_argument("--tenant", help="keep only this tenant's notices")
    parser.add_argument("--follow", action="store_true", help="keep printing changes after catching up")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed to catch up")
    args = parser.parse_args(argv)
    if not args.client_config and not args.bootstrap:
        parser.error("give --client-config FILE (or --bootstrap for a broker without login)")

    config = client_config(read_properties(args.client_config)) if args.client_config else {}
    if args.bootstrap:
        config["bootstrap.servers"] = args.bootstrap
    decoder = NoticeDecoder(args.schema)
    consumer = Consumer({
        **config,
        # Required by the client, unused: partitions are assigned by hand and nothing is committed.
        "group.id": "revocations-" + str(uuid.uuid4()),
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        "enable.partition.eof": True,
    })
    metadata = consumer.list_topics(args.topic, timeout=10)
    topic = metadata.topics.get(args.topic)
    if topic is None or topic.error is not None or not topic.partitions:
        print("topic %s not found" % args.topic, file=sys.stderr)
        return 2
    consumer.assign([TopicPartition(args.topic, p, OFFSET_BEGINNING) for p in topic.partitions])

    live = {}
    pending_eof = set(topic.partitions)  # caught up once every partition reported its end
    caught_up = False
    waited = 0.0
    try:
        while True:
            msg = consumer.poll(0.5)
            if msg is None:
                waited += 0.5
                if not caught_up and waited > args.timeout:
                    print("not caught up after %.0f s" % args.timeout, file=sys.stderr)
                    return 1
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    pending_eof.discard(msg.partition())
                    if not caught_up and not pending_eof:
                        caught_up = True
                        for key in sorted(live):
                            print(as_json(live[key]))
                        print(json.dumps({"caught_up": True, "revocations": len(live)}), flush=True)
                        if not args.follow:
                            return 0
                    continue
                print("kafka error: %s" % msg.error(), file=sys.stderr)
                continue
            key = msg.key().decode("utf-8")
            tenant, _, token_id = key.partition("/")
            if args.tenant and tenant != args.tenant:
                continue
            if msg.value() is None:
                live.pop(key, None)
                if caught_up:
                    print(json.dumps({"forgotten": {"tenant": tenant, "token_id": token_id}}), flush=True)
                continue
            try:
                notice = decoder.decode(msg.value())
            except ValueError as e:  # one bad record must not stop a resource server
                print("skipping %s [%d] @%d: %s" % (key, msg.partition(), msg.offset(), e), file=sys.stderr)
                continue
            live[key] = notice
            if caught_up:
                print(as_json(notice), flush=True)
    finally:
        consumer.close()


if __name__ == "__main__":
    sys.exit(main())
