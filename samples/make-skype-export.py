#!/usr/bin/env python3
"""Writes a synthetic Skype export (a .tar holding messages.json) of N messages, for trying etl on
something bigger than samples/skype-export.tar: a kill that lands mid-run, a resume, a benchmark.

    python3 samples/make-skype-export.py 200000 big-export.tar

Deterministic: the same N gives the same file. 20 direct conversations, about 330 bytes a message.
The tests and benchmarks use SyntheticSkypeExport (tests/EtlActors.Testing) for richer content."""
import io
import json
import sys
import tarfile

def main() -> int:
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        print("usage: make-skype-export.py <messages, at least 1> <output .tar>", file=sys.stderr)
        return 2
    count, path = int(sys.argv[1]), sys.argv[2]
    conversations = 20
    start_ms = 1_577_836_800_000  # 2020-01-01T00:00:00Z
    out = io.StringIO()
    out.write('{"userId": "8:live:me", "exportDate": "2020-07-15T13:30", "conversations": [')
    for c in range(conversations):
        peer = f"8:live:friend{c:02d}"
        out.write("," if c else "")
        out.write(json.dumps({"id": peer, "displayName": f"Friend {c:02d}", "version": start_ms,
                              "properties": {"conversationblocked": False}, "threadProperties": None})[:-1])
        out.write(', "MessageList": [')
        for m, i in enumerate(range(c, count, conversations)):
            ms = start_ms + i * 1000
            seconds = ms // 1000
            arrival = "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (*_utc(seconds), ms % 1000)
            sender = "8:live:me" if i % 2 else peer
            out.write("," if m else "")
            out.write(json.dumps({"id": str(ms), "displayName": None, "originalarrivaltime": arrival,
                                  "messagetype": "RichText", "version": ms,
                                  "content": f"Message {i} in conversation {c}, <b>hello</b> &amp; goodbye",
                                  "conversationid": peer, "from": sender, "properties": None,
                                  "amsreferences": None}))
        out.write("]}")
    out.write("]}\n")
    data = out.getvalue().encode("utf-8")
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("messages.json")
        info.size = len(data)
        info.mtime = 1_594_819_800
        tar.addfile(info, io.BytesIO(data))
    print(f"{path}: {count} messages in {conversations} conversations")
    return 0

def _utc(seconds: int):
    import datetime
    t = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return t.year, t.month, t.day, t.hour, t.minute, t.second

if __name__ == "__main__":
    sys.exit(main())
