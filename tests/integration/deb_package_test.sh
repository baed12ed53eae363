# The Debian package from CPack: built with `cpack -G DEB` from the build directory's
# configuration into a scratch directory; it holds the binary, the example configuration as the
# conffile /etc/modelwatch/modelwatch.yaml, the systemd unit when deploy/systemd/ has it, the
# rules and dashboards; its Depends come from dpkg-shlibdeps (the libraries the binary links);
# postinst creates the modelwatch user; and the packaged binary runs.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(dirname "$MW")
command -v cpack >/dev/null || fail "cpack not installed"
command -v dpkg-shlibdeps >/dev/null || fail "dpkg-shlibdeps not installed (make deps: dpkg-dev)"
# A copy of the build directory's configuration, so the test does not write into it.
(cd "$WORK" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg") >"$WORK/cpack.log" 2>&1 ||
  { tail -30 "$WORK/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$WORK"/pkg/modelwatch_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { cat "$WORK/cpack.log"; fail "no modelwatch_*.deb"; }
dpkg-deb --info "$deb" >"$WORK/info" || fail "dpkg-deb --info"
dpkg-deb --contents "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$WORK/contents"
for f in /usr/bin/modelwatch /etc/modelwatch/modelwatch.yaml \
  /usr/share/modelwatch/prometheus/modelwatch-alerts.yaml \
  /usr/share/modelwatch/grafana/dashboards/overview.json /usr/share/doc/modelwatch/README.md; do
  grep -qx "$f" "$WORK/contents" || fail "the package lacks $f"
done
if [ -f "$ROOT/deploy/systemd/modelwatch.service" ]; then
  grep -qx /usr/lib/systemd/system/modelwatch.service "$WORK/contents" || fail "the package lacks the systemd unit"
fi
grep -q '^ Package: modelwatch$' "$WORK/info" || fail "package name"
depends=$(sed -n 's/^ Depends: //p' "$WORK/info")
for lib in libyaml-cpp0.7 libspdlog1.10 libprometheus-cpp-core1.0 libsimdjson14 libc6 libstdc++6 adduser; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
mkdir -p "$WORK/ctl" && dpkg-deb --control "$deb" "$WORK/ctl"
grep -qx /etc/modelwatch/modelwatch.yaml "$WORK/ctl/conffiles" || fail "/etc/modelwatch/modelwatch.yaml is not a conffile"
grep -q 'adduser --system --group' "$WORK/ctl/postinst" || fail "postinst does not create the user"
sh -n "$WORK/ctl/postinst" && sh -n "$WORK/ctl/postrm" || fail "maintainer scripts do not parse"
# postinst configure, with the commands it calls replaced by stubs that record their arguments:
# the user is created when getent does not know it, and not when it does.
mkdir -p "$WORK/stubs"
for c in adduser install chgrp chmod systemctl; do
  printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$c" "$WORK" >"$WORK/stubs/$c"
done
printf '#!/bin/sh\n[ -e "%s/user-exists" ]\n' "$WORK" >"$WORK/stubs/getent"
chmod +x "$WORK"/stubs/*
PATH=$WORK/stubs:$PATH sh "$WORK/ctl/postinst" configure || fail "postinst configure failed"
grep -q '^adduser --system --group --home /var/lib/modelwatch .* modelwatch$' "$WORK/calls" ||
  fail "postinst did not create the modelwatch user: $(cat "$WORK/calls")"
grep -q '^install -d -o modelwatch -g modelwatch -m 0700 /var/lib/modelwatch$' "$WORK/calls" ||
  fail "postinst did not create the state directory"
: >"$WORK/calls"; touch "$WORK/user-exists"
PATH=$WORK/stubs:$PATH sh "$WORK/ctl/postinst" configure || fail "postinst configure (user exists)"
! grep -q '^adduser' "$WORK/calls" || fail "postinst adds an existing user again"
dpkg-deb --extract "$deb" "$WORK/x"
"$WORK/x/usr/bin/modelwatch" check-config --config "$WORK/x/etc/modelwatch/modelwatch.yaml" ||
  fail "the packaged binary rejects the packaged configuration"
echo "PASS: $(basename "$deb"): $(wc -l <"$WORK/contents") entries, Depends: $depends"
