#!/bin/bash
# A real S3 gateway on loopback: Ceph RADOS Gateway (Debian's radosgw) over a one-node,
# RAM-backed Ceph cluster (1 monitor, 1 memstore OSD, no manager). Unlike in-process
# emulators it verifies SigV4 signatures (tampered or expired presigned URLs get 403) and
# supports AbortMultipartUpload. Starts in about 2 s once the packages are installed.
#
#   tests/sandbox/rgw/start.sh   install (once, as root, from Debian's packages) and start
#   tests/sandbox/rgw/stop.sh    stop what start.sh started, by its pid files
#
# It picks free ports (several checkouts may run it at once) and writes what the tests need to "$RGW_DIR/endpoint.json", where
# tests/sandbox/rgw/rgwTarget.ts finds it.
#
# Settings (environment): RGW_DIR (state, default <repo>/.ceph-rgw, git-ignored), RGW_PORT and
# RGW_MON_PORT (default: free ports), RGW_ACCESS_KEY / RGW_SECRET_KEY (the S3 user's keys),
# RGW_MEM_BYTES (the RAM-backed OSD's size, default 2 GiB). Prints the endpoint when ready.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
D=${RGW_DIR:-$ROOT/.ceph-rgw}
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=${RGW_PORT:-$(free_port)}
RGW_MON_PORT=${RGW_MON_PORT:-$(free_port)}
AK=${RGW_ACCESS_KEY:-TESTACCESSKEY}
SK=${RGW_SECRET_KEY:-TESTSECRETKEY}
if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null || ! command -v uuidgen >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends ceph-mon ceph-osd radosgw ceph-common uuid-runtime >/dev/null
fi
[ -f "$D/mon.a.pid" ] && "$(dirname "$0")/stop.sh"
rm -rf "$D"; mkdir -p "$D"/{mon,osd,log,rgw}
# admin sockets need a short path (Unix sockets stop at 107 bytes), whatever RGW_DIR is
R=$(mktemp -d -t rgw.XXXXXX); echo "$R" > "$D/run-dir"
FSID=$(uuidgen)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon_host = v1:127.0.0.1:$RGW_MON_PORT
ms_bind_msgr2 = false
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
keyring = $D/keyring
run_dir = $R
admin_socket = $R/\$name.asok
log_file = $D/log/\$name.log
pid_file = $D/\$name.pid
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 1
osd_pool_default_pgp_num = 1
paxos_propose_interval = 0.05
paxos_min_wait = 0.01
osd_pool_default_pg_autoscale_mode = off
mon_allow_pool_size_one = true
mon_max_pg_per_osd = 1000
osd_crush_chooseleaf_type = 0
mon_warn_on_pool_no_redundancy = false
[mon.a]
mon_data = $D/mon
[osd.0]
osd_data = $D/osd
keyring = $D/osd/keyring
osd_objectstore = memstore
memstore_device_bytes = ${RGW_MEM_BYTES:-2147483648}
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$PORT
rgw_data = $D/rgw
CONF
C="-c $D/ceph.conf"
ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.rgw.a --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null
monmaptool --create --addv a "[v1:127.0.0.1:$RGW_MON_PORT]" --fsid "$FSID" "$D/monmap" >/dev/null
ceph-mon $C --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
ceph-mon $C -i a
OSD_UUID=$(uuidgen)
# --connect-timeout: fail in seconds, not after the default 300 s, when the monitor is unreachable.
ID=$(ceph $C --connect-timeout 30 osd new "$OSD_UUID")
ceph $C --connect-timeout 30 auth get-or-create osd.$ID mon 'allow profile osd' osd 'allow *' mgr 'allow profile osd' -o "$D/osd/keyring"
ceph-osd $C -i "$ID" --mkfs --osd-uuid "$OSD_UUID" >/dev/null 2>&1
ceph-osd $C -i "$ID"
for _ in $(seq 1 300); do ceph $C --connect-timeout 5 osd stat 2>/dev/null | grep -q "1 up" && break; sleep 0.2; done
radosgw $C -n client.rgw.a
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
radosgw-admin $C user create --uid=test --display-name=test --access-key="$AK" --secret="$SK" >/dev/null
curl -sf -o /dev/null "http://127.0.0.1:$PORT/" || { echo "RGW did not answer on port $PORT (logs: $D/log)" >&2; exit 1; }
printf '{"endpoint":"http://127.0.0.1:%s","accessKeyId":"%s","secretAccessKey":"%s"}\n' "$PORT" "$AK" "$SK" > "$D/endpoint.json"
echo "S3 ready: endpoint=http://127.0.0.1:$PORT access_key=$AK secret_key=$SK"
