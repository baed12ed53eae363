# deploy/systemd/modelwatch.service: valid for systemd (`systemd-analyze verify`, with ExecStart
# pointed at the built binary) and hardened: `systemd-analyze security --offline=true` rates its
# exposure at 2.5 or lower, and the restrictions the design asks for are present.
source "$(dirname "$0")/lib.sh"

UNIT=$(dirname "$0")/../../deploy/systemd/modelwatch.service
[ -f "$UNIT" ] || fail "no $UNIT"
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed (Debian package systemd; make deps installs it)"
  exit 0
fi

for directive in 'ProtectSystem=strict' 'StateDirectory=modelwatch' 'NoNewPrivileges=yes' \
  'CapabilityBoundingSet=$' 'SystemCallFilter=@system-service' 'RestrictAddressFamilies=' \
  'MemoryMax=' 'TasksMax=' 'UMask=0077' 'ReadOnlyPaths=' 'User=modelwatch'; do
  grep -q "^$directive" "$UNIT" || fail "$UNIT lacks $directive"
done
! grep -q '^User=root' "$UNIT" || fail "runs as root"

mkdir -p "$WORK/units"
sed "s|^ExecStart=/usr/local/bin/modelwatch |ExecStart=$MW |" "$UNIT" >"$WORK/units/modelwatch.service"
grep -q "^ExecStart=$MW run" "$WORK/units/modelwatch.service" || fail "ExecStart not rewritten"
systemd-analyze verify "$WORK/units/modelwatch.service" >"$WORK/verify.log" 2>&1 ||
  { cat "$WORK/verify.log"; fail "systemd-analyze verify failed"; }
! grep -q . "$WORK/verify.log" || { cat "$WORK/verify.log"; fail "systemd-analyze verify warns"; }

(cd "$WORK/units" && systemd-analyze security --offline=true modelwatch.service) \
  >"$WORK/security.log" 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for modelwatch.service: \([0-9.]*\).*/\1/p' \
  "$WORK/security.log")
[ -n "$exposure" ] || { cat "$WORK/security.log"; fail "no exposure level reported"; }
echo "exposure: $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.5) }' ||
  { grep '✗' "$WORK/security.log"; fail "exposure $exposure above 2.5"; }
echo "PASS: modelwatch.service verifies; exposure $exposure <= 2.5"
