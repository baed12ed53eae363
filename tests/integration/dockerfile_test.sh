# deploy/docker/Dockerfile without an engine: two stages on Debian bookworm, the build stage
# through the project's own Makefile (its targets and variables exist: `make -n`), a non-root
# USER that the image creates, port 10100 exposed; the runtime stage installs exactly the
# packages of the shared libraries the built binary links (ldd -> dpkg -S), apart from those
# debian:bookworm-slim already has, plus curl/tini/ca-certificates; and the HEALTHCHECK command,
# run against a live daemon, succeeds on /-/healthy (and fails when nothing listens).
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DF=$ROOT/deploy/docker/Dockerfile
[ -f "$DF" ] || fail "no $DF"
# Continuation lines joined, comments dropped.
sed -e '/^[[:space:]]*#/d' "$DF" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' >"$WORK/df"

grep -q '^ARG DEBIAN_RELEASE=bookworm$' "$WORK/df" || fail "DEBIAN_RELEASE must default to bookworm"
froms=$(grep -c '^FROM ' "$WORK/df")
[ "$froms" = 2 ] || fail "$froms stages, want 2 (build, runtime)"
grep -q '^FROM debian:${DEBIAN_RELEASE} AS build$' "$WORK/df" || fail "build stage not on debian bookworm"
grep -q '^FROM debian:${DEBIAN_RELEASE}-slim$' "$WORK/df" || fail "runtime stage not on bookworm-slim"
grep -q '^COPY --from=build /out/ /$' "$WORK/df" || fail "runtime does not copy the installed tree"

# The build runs the Makefile's deps and install with the variables it passes.
grep -q 'RUN make deps' "$WORK/df" || fail "build stage does not run make deps"
install=$(grep -o 'make install [^&]*' "$WORK/df" | head -1)
[ -n "$install" ] || fail "build stage does not run make install"
# The build ARGs' defaults substituted, as docker would.
while read -r name value; do
  install=${install//\$\{$name\}/$value}
done < <(sed -n 's/^ARG \([A-Z_]*\)=\(.*\)$/\1 \2/p' "$WORK/df")
eval "set -- ${install#make }"
make -n -C "$ROOT" "$@" >"$WORK/make-n" 2>&1 || { cat "$WORK/make-n"; fail "make -n $*"; }
grep -q 'DESTDIR=/out cmake --install /build --prefix /usr$' "$WORK/make-n" ||
  fail "make install does not install into DESTDIR=/out with PREFIX=/usr"
grep -q '/out/usr/bin/modelwatch version' "$WORK/df" || fail "the build does not run the installed binary"
grep -q '^ENTRYPOINT .*"/usr/bin/modelwatch"\]$' "$WORK/df" || fail "ENTRYPOINT is not /usr/bin/modelwatch"
grep -q '^CMD \["run", "--config", "/etc/modelwatch/modelwatch.yaml"\]$' "$WORK/df" ||
  fail "CMD does not run the installed configuration"

# Non-root: a numeric USER that useradd/groupadd create, owning the state directory.
user=$(sed -n 's/^USER \([0-9]*\):\([0-9]*\)$/\1 \2/p' "$WORK/df")
[ -n "$user" ] || fail "no numeric USER uid:gid"
set -- $user
[ "$1" != 0 ] && [ "$2" != 0 ] || fail "USER is root"
grep -q "useradd --system --uid $1 " "$WORK/df" || fail "USER $1 is not created by useradd"
grep -q "groupadd --system --gid $2 " "$WORK/df" || fail "group $2 is not created"
grep -q 'install -d -o modelwatch -g modelwatch -m 0750 /var/lib/modelwatch' "$WORK/df" ||
  fail "the state directory is not the user's"
grep -q '^EXPOSE 10100$' "$WORK/df" || fail "EXPOSE 10100"

# Runtime packages = the packages of the libraries ldd resolves, less the base image's.
BASE="libc6 libgcc-s1 libstdc++6 zlib1g libcrypt1 libzstd1 liblzma5 libbz2-1.0 libselinux1
  libpcre2-8-0 libsystemd0 libgcrypt20 libgpg-error0 liblz4-1 libcap2 libacl1 libattr1"
EXTRA="ca-certificates curl tini"
installed=$(awk '/^FROM debian:\$\{DEBIAN_RELEASE\}-slim/ { rt = 1 } rt && /apt-get install/' "$WORK/df" |
  grep -o 'install -y --no-install-recommends [^&]*' | cut -d' ' -f4- | tr ' ' '\n' | grep . | sort -u)
[ -n "$installed" ] || fail "no apt-get install in the runtime stage"
needed=$(ldd "$MW" | awk '/=> \// { print $3 }' | while read -r lib; do
  real=$(readlink -f "$lib")
  dpkg -S "$real" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || dpkg -S "/usr$real" 2>/dev/null ||
    echo "UNKNOWN: $lib"
done | cut -d: -f1 | sort -u)
grep -q UNKNOWN <<<"$needed" && fail "libraries of no Debian package: $needed"
want=$( (for p in $needed; do case " $(echo $BASE) " in *" $p "*) ;; *) echo "$p" ;; esac; done
  echo $EXTRA | tr ' ' '\n') | sort -u)
if [ "$want" != "$installed" ]; then
  diff <(echo "$want") <(echo "$installed") | sed 's/^</needed, not installed:/; s/^>/installed, not needed:/'
  fail "runtime packages differ from what the binary links"
fi

# HEALTHCHECK: curl on /-/healthy of the exposed port; run it against a daemon.
hc=$(sed -n 's/^HEALTHCHECK .*CMD \[\(.*\)\]$/\1/p' "$WORK/df")
[ -n "$hc" ] || fail "no exec-form HEALTHCHECK"
grep -q '"http://127.0.0.1:10100/-/healthy"' <<<"$hc" || fail "HEALTHCHECK is not on /-/healthy:10100: $hc"
mapfile -t hcmd < <(echo "[$hc]" | /usr/bin/python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)))')
port=$(free_port)
run_hc() { "${hcmd[@]//:10100/:$port}"; }
run_hc 2>/dev/null && fail "HEALTHCHECK succeeds with nothing listening"
"$GEN" --lines 10 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" --reference-rows 200 >/dev/null
write_config "$WORK/mw.yaml" "127.0.0.1:$port" ""
start_modelwatch "$WORK/mw.yaml" "$WORK/mw.log"
run_hc || fail "HEALTHCHECK fails against a running daemon"
echo "PASS: Dockerfile: 2 bookworm stages via make, USER $1:$2, $(echo $installed | wc -w) runtime packages = ldd, HEALTHCHECK works"
