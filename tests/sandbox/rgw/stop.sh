#!/bin/bash
# Stops what start.sh started, by its own pid files, and waits for each daemon to exit.
D=${RGW_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/.ceph-rgw}
for n in client.rgw.a osd.0 mon.a; do
  f="$D/$n.pid"; [ -f "$f" ] || continue; p=$(cat "$f")
  kill "$p" 2>/dev/null || continue
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
done
[ -f "$D/run-dir" ] && rm -rf "$(cat "$D/run-dir")"
rm -f "$D/endpoint.json" "$D/run-dir"
exit 0
