#!/usr/bin/env bash
# Install the built package into a clean Debian 12 root made with debootstrap and start the
# kiosk session headless in it, as the installed service would (run as root):
#   bash packaging/debian/test-install.sh [dist/border-kiosk_<version>_<arch>.deb]
# Checks: the package carries no private key (dpkg -c and every file's content); it installs
# with its dependencies from the Debian archive; a fresh install trusts no root of trust and
# says so, "kiosk trust" turns sync on; the hub token file is 0640 root:kiosk; the kiosk user
# exists and is unprivileged; the service is enabled and systemd accepts its unit; the kiosk
# command works as the kiosk user; the real session (cage on a headless output, the kiosk on
# Wayland) tells the service manager it is ready, pings the watchdog, and a crash ends the
# session with a status systemd restarts on, while SIGTERM ends it with 0. Then the root is
# booted with systemd (systemd-nspawn) and the real service is watched: up at boot, restarted
# into the start screen after a crash and after a freeze (watchdog), stopped for good when an
# operator leaves the kiosk, back with "systemctl start"; the running service is rated 4.0 or
# less by systemd-analyze security, and none of its processes has the hub token in its
# environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ "$(id -u)" -eq 0 ] || { echo "test-install.sh: run it as root (debootstrap and chroot need it)." >&2; exit 2; }

deb=${1:-$(ls -t dist/border-kiosk_*.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "test-install.sh: no package found; build it first: bash packaging/debian/build.sh" >&2; exit 2; }
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

command -v debootstrap >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

# A pristine root is made once and kept as a tarball; every run starts from a fresh copy of it.
pristine=build/debootstrap-bookworm.tar
if [ ! -f "$pristine" ]; then
  echo "Making a clean Debian 12 root with debootstrap"
  rm -rf build/debootstrap && mkdir -p build/debootstrap
  debootstrap --variant=minbase bookworm build/debootstrap "$mirror" >/dev/null
  tar -C build/debootstrap -cf "$pristine" .
  rm -rf build/debootstrap
fi
root=$(mktemp -d /tmp/kiosk-root.XXXXXX)
booted=""  # the systemd-nspawn process, once the root is booted
unmount_all() {
  for link in /proc/[0-9]*/root; do  # whatever the checks left running in the root
    [ "$(readlink "$link" 2>/dev/null)" = "$root" ] && kill -9 "$(basename "$(dirname "$link")")" 2>/dev/null
  done
  for mount in dev/shm dev/pts dev sys proc; do umount -l "$root/$mount" 2>/dev/null || true; done
}
cleanup() {
  if [ -n "$booted" ] && kill -0 "$booted" 2>/dev/null; then
    kill -TERM "$booted"; sleep 5; pkill -9 -P "$booted" 2>/dev/null; kill -9 "$booted" 2>/dev/null
  fi
  unmount_all
  rm -rf "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$pristine"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mountpoint -q "$root/dev/shm" || mount -t tmpfs tmpfs "$root/dev/shm"
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"  # no daemons start in the chroot
chmod +x "$root/usr/sbin/policy-rc.d"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# The package never carries a private key (the demo feed's keys are public: a kiosk trusting
# anything signed with them would trust anybody). Names first (key files of the application;
# the certificate bundles in the Python environment are public), then every file's content.
if dpkg -c "$deb" | awk '{print $NF}' | grep -E '^\./opt/border-kiosk/app/.*\.(pem|key)$|/demo/|demo-keys'; then
  fail "the package carries key files (above)"
fi
dpkg-deb --fsys-tarfile "$deb" | python3 packaging/debian/find_private_keys.py --tar - \
  || fail "the package carries private keys (above)"
echo "ok: no private key in the package (dpkg -c, and the content of every file)"

echo "Installing $(basename "$deb") and its dependencies"
cp "$deb" "$root/tmp/border-kiosk.deb"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  /tmp/border-kiosk.deb >/dev/null
echo "ok: installed"

uid=$(in_root id -u kiosk) || fail "no kiosk user"
[ "$uid" -lt 1000 ] && [ "$uid" -ne 0 ] || fail "the kiosk user is not a system account ($uid)"
in_root getent passwd kiosk | grep ':/usr/sbin/nologin$' >/dev/null || fail "the kiosk user has a login shell"
! in_root id -nG kiosk | grep -wE 'root|sudo|adm' >/dev/null || fail "the kiosk user is in a privileged group"
[ "$(in_root stat -c %U /var/lib/border-kiosk)" = kiosk ] || fail "/var/lib/border-kiosk is not the kiosk user's"
echo "ok: unprivileged kiosk user (uid $uid, no shell, owns /var/lib/border-kiosk)"

[ -L "$root/etc/systemd/system/multi-user.target.wants/border-kiosk.service" ] \
  || fail "border-kiosk.service is not enabled"
unit=/lib/systemd/system/border-kiosk.service
for setting in Type=notify Restart=always WatchdogSec= NotifyAccess=all User=kiosk; do
  grep -q "^$setting" "$root$unit" || fail "the unit lacks $setting"
done
if ! verify=$(in_root systemd-analyze verify "$unit" 2>&1); then
  echo "$verify" >&2; fail "systemd-analyze verify rejects the unit"
fi
echo "ok: service enabled; systemd-analyze verify accepts it"

as_kiosk() { in_root runuser -u kiosk -- env KIOSK_DATA_DIR=/var/lib/border-kiosk HOME=/var/lib/border-kiosk "$@"; }
as_kiosk kiosk content check /opt/border-kiosk/app/data/content >/dev/null || fail "kiosk content check"
as_kiosk kiosk search visa --lang en --json | grep '"id"' >/dev/null || fail "kiosk search found nothing"
in_root kiosk sync --status >/dev/null || fail "kiosk sync --status, run by root"
[ -z "$(in_root find /var/lib/border-kiosk -user root)" ] \
  || fail "root's kiosk command left files in the data folder the kiosk cannot write"
echo "ok: the kiosk command works as the kiosk user (first run imported the bundled content)"

# Secrets readable by the kiosk's group only; a fresh install trusts no root and says so.
[ "$(in_root stat -c %a:%U:%G /etc/border-kiosk/hub-token)" = 640:root:kiosk ] \
  || fail "/etc/border-kiosk/hub-token is not 0640 root:kiosk"
! grep -E '^[^#]*KIOSK_HUB_TOKEN=' "$root/etc/default/border-kiosk" || fail "a token in /etc/default"
in_root kiosk sync --status | grep -F "trust: none installed; sync is off" >/dev/null \
  || fail "kiosk sync --status does not say that a fresh install trusts no root"
as_kiosk kiosk keys init /tmp/keys >/dev/null || fail "kiosk keys init"
as_kiosk kiosk publish /opt/border-kiosk/app/data/content --feed /tmp/feed --keys /tmp/keys \
  >/dev/null || fail "kiosk publish"
if refused=$(in_root kiosk sync --once --feed /tmp/feed 2>&1); then
  fail "a fresh install synced with no root of trust installed"
fi
echo "$refused" | grep -F "no root of trust is installed" >/dev/null || { echo "$refused" >&2; fail "no sentence"; }
in_root kiosk trust /tmp/keys/root.json >/dev/null || fail "kiosk trust"
in_root kiosk sync --once --feed /tmp/feed | grep -F "last outcome: ok" >/dev/null \
  || fail "installing a root of trust did not turn sync on"
in_root kiosk sync --status | grep -F "trust: installed" >/dev/null || fail "trust not installed"
echo "ok: secrets 0640 root:kiosk; a fresh install trusts nothing, 'kiosk trust' turns sync on"

# The session, headless: cage on wlroots' headless backend, the kiosk in it on Wayland, the
# service manager played by a small listener on a notify socket.
cat > "$root/tmp/session-check.py" <<'PY'
import os, signal, socket, subprocess, sys, time
what = sys.argv[1]
os.makedirs("/run/user/%s" % os.environ["KIOSK_UID"], exist_ok=True)
runtime = "/run/user/%s" % os.environ["KIOSK_UID"]
os.chown(runtime, int(os.environ["KIOSK_UID"]), -1); os.chmod(runtime, 0o700)
address = "/run/kiosk-notify"
if os.path.exists(address):
    os.unlink(address)
manager = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
manager.bind(address); os.chmod(address, 0o666)
env = {"PATH": "/usr/bin:/bin", "HOME": "/var/lib/border-kiosk", "LANG": "C.UTF-8",
       "XDG_RUNTIME_DIR": runtime, "KIOSK_DATA_DIR": "/var/lib/border-kiosk",
       "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman",
       "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "4000000", "WATCHDOG_PID": "1"}
session = subprocess.Popen(["runuser", "-u", "kiosk", "--", "/usr/bin/env", "-i",
                            *[f"{k}={v}" for k, v in env.items()],
                            "/usr/lib/border-kiosk/kiosk-session"],
                           stdout=subprocess.DEVNULL, stderr=open("/tmp/session.log", "w"))
manager.settimeout(180)
started = time.monotonic()
messages = [manager.recv(200)]
print("first message after %.1f s: %r" % (time.monotonic() - started, messages[0]))
manager.settimeout(10)
messages.append(manager.recv(200))
assert messages[0].startswith(b"READY=1") and messages[1] == b"WATCHDOG=1", messages
def processes(uid):
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid == uid:
                found[int(pid)] = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            pass
    return found
running = processes(int(os.environ["KIOSK_UID"]))
kiosk = next(pid for pid, argv in running.items() if b"kiosk.cli" in argv and b"run" in argv)
assert any(argv[0].endswith(b"cage") for argv in running.values()), "no cage process"
os.kill(int(kiosk), signal.SIGSEGV if what == "crash" else signal.SIGTERM)
try:
    status = session.wait(timeout=60)
except subprocess.TimeoutExpired:
    for pid, argv in processes(int(os.environ["KIOSK_UID"])).items():
        print("still running:", pid, b" ".join(argv)[:120].decode(errors="replace"))
    raise
print(f"{what}: the session ended with status {status}")
assert (status != 0) if what == "crash" else (status == 0), status
PY
for what in crash stop; do
  in_root env KIOSK_UID="$uid" python3.11 /tmp/session-check.py "$what" \
    || { tail -20 "$root/tmp/session.log" >&2; fail "the headless kiosk session ($what)"; }
done
echo "ok: headless session: READY=1, watchdog pings, a crash ends it for a restart, SIGTERM with 0"

# Part two: boot the root with systemd as its init (systemd-nspawn) and watch the real service.
# Only the display differs from a kiosk: cage gets a headless output instead of tty1's screen.
unmount_all
command -v systemd-nspawn >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd-container >/dev/null
}
mkdir -p "$root/etc/systemd/system/border-kiosk.service.d"
cat > "$root/etc/systemd/system/border-kiosk.service.d/headless.conf" <<'UNIT'
[Service]
PAMName=
TTYPath=
StandardInput=null
Environment=WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman
UNIT
# A hub is configured: its token must stay out of every process but the upload's.
token="install-test-token-$$-$RANDOM"
echo "$token" > "$root/etc/border-kiosk/hub-token"
printf 'KIOSK_HUB=http://127.0.0.1:9/\nKIOSK_ID=install-test\n' >> "$root/etc/default/border-kiosk"
rm -f "$root/usr/sbin/policy-rc.d"
systemd-nspawn -D "$root" -b --register=no --keep-unit -q >build/install-test-boot.log 2>&1 &
booted=$!
leader=""
for _ in $(seq 60); do
  leader=$(pgrep -P "$booted" | head -1) && [ -n "$leader" ] && break
  sleep 1
done
[ -n "$leader" ] || fail "the root did not boot (build/install-test-boot.log)"
ns() { nsenter -t "$leader" -a "$@"; }
prop() { ns systemctl show border-kiosk -P "$1"; }
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq "$seconds"); do "$@" && return 0; sleep 1; done
  ns journalctl -u border-kiosk --no-pager | grep -v "output test failed" | tail -15 >&2
  fail "$what"
}
up() { [ "$(prop ActiveState)" = active ] && [ "$(prop StatusText)" = "showing the start screen" ]; }
restarts() { [ "$(prop NRestarts)" = "$1" ]; }
stopped() { [ "$(prop ActiveState)" = inactive ]; }
kiosk_pid() {  # the application's process, as this machine numbers it
  for pid in $(pgrep -f "kiosk.cli run"); do
    grep -q "border-kiosk.service" "/proc/$pid/cgroup" 2>/dev/null && echo "$pid" && return
  done
}
wait_for 120 "the service did not come up at boot" up
echo "ok: booted with systemd: border-kiosk.service active, showing the start screen"
exposure=$(ns systemd-analyze security border-kiosk.service 2>/dev/null | sed -n 's/.*exposure level for border-kiosk.service: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] && awk "BEGIN { exit !($exposure <= 4.0) }" \
  || fail "systemd-analyze security rates the running service ${exposure:-?} (more than 4.0)"
checked=0
for pid in $(pgrep -f "kiosk.cli run|QtWebEngineProcess"); do
  grep -q "border-kiosk.service" "/proc/$pid/cgroup" 2>/dev/null || continue
  ! grep -aF "$token" "/proc/$pid/environ" >/dev/null || fail "process $pid has the hub token in its environment"
  checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || fail "no process of the kiosk session found to check for the hub token"
# Chromium's sandbox still works under those protections: a zygote in its own pid namespace.
nspids() { awk '/^NSpid:/ { print NF - 1 }' "/proc/$1/status"; }
outer=$(nspids "$(kiosk_pid)") sandboxed=0
for pid in $(pgrep -f "QtWebEngineProcess --type=zygote"); do
  grep -q "border-kiosk.service" "/proc/$pid/cgroup" 2>/dev/null || continue
  [ "$(nspids "$pid")" -gt "$outer" ] && sandboxed=$((sandboxed + 1))
done
[ "$sandboxed" -gt 0 ] || fail "Chromium's sandbox is off in the service (no zygote in its own namespaces)"
echo "ok: hardened (exposure $exposure), Chromium's sandbox on; no process of the session has the hub token in its environment"
kill -SEGV "$(kiosk_pid)"
wait_for 60 "no restart after a crash" restarts 1
wait_for 120 "not back on the start screen after a crash" up
echo "ok: a crash restarts the session into the start screen"
kill -STOP "$(kiosk_pid)"
wait_for 120 "the watchdog did not restart a frozen kiosk" restarts 2
ns journalctl -u border-kiosk --no-pager | grep "Watchdog timeout" >/dev/null || fail "no watchdog timeout logged"
wait_for 120 "not back on the start screen after the watchdog" up
echo "ok: a frozen user interface is restarted by the watchdog"
kill -TERM "$(kiosk_pid)"
wait_for 30 "leaving the kiosk (exit status 0) did not stop the service" stopped
sleep 5
stopped && restarts 2 || fail "the service came back after the kiosk was left"
ns systemctl start border-kiosk
wait_for 120 "systemctl start did not bring the kiosk back" up
echo "ok: leaving the kiosk stops it until started again"
ns systemctl poweroff >/dev/null 2>&1 || true
wait "$booted" 2>/dev/null || true
booted=""
echo "All install checks passed."
