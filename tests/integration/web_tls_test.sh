# TLS and basic auth from a web config (exporter-toolkit format), end to end with the real
# binary, openssl and curl: TLS 1.2 accepted, TLS 1.1 refused by a client that first proves it
# can complete a TLS 1.1 handshake, a configured TLS 1.3 floor, 401 + WWW-Authenticate, the
# stored hash refused as a password, certificates swapped without a restart, secrets absent from
# the log and /metrics, the root warning, the shipped example accepted by promtool, and client
# certificates checked against client_allowed_sans.
source "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)

for tool in openssl curl promtool python3; do
  command -v "$tool" >/dev/null || fail "$tool not installed (make deps)"
done
cd "$WORK"

# A CA and a server certificate for 127.0.0.1 signed by it (RSA: TLS 1.1 needs a SHA-1-capable
# signature, which the permissive client below allows).
cert() {  # NAME SERIAL
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -set_serial "$2" -days 2 \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=test-ca \
  2>/dev/null
cert server-one 1001
cert server-two 1002
cp server-one.crt modelwatch.crt
cp server-one.key modelwatch.key

# An OpenSSL configuration that allows TLS 1.0+ at security level 0, used by every process here:
# whatever refuses TLS 1.1 below is modelwatch's own floor, not Debian's system default.
cat >permissive.cnf <<'EOF'
openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1
CipherString = DEFAULT@SECLEVEL=0
EOF
export OPENSSL_CONF=$WORK/permissive.cnf

PASSWORD='correct horse battery staple'
HASH=$(python3 -W ignore -c 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))' "$PASSWORD")
case $HASH in \$2b\$04\$*) ;; *) fail "could not make a bcrypt hash: $HASH" ;; esac
cat >web.yml <<EOF
tls_server_config:
  cert_file: modelwatch.crt
  key_file: modelwatch.key
basic_auth_users:
  prometheus: $HASH
http_server_config:
  headers:
    X-Content-Type-Options: nosniff
EOF

"$GEN" --lines 200 --out "$WORK/predictions.jsonl" --reference "$WORK/reference.jsonl" \
  --reference-rows 300 >/dev/null
write_config "$WORK/mw.yaml" "127.0.0.1:0" ""

# handshake PORT ARGS... : openssl s_client's verdict on a handshake ("ok" or "refused").
handshake() {
  local port=$1
  shift
  if timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile ca.crt "$@" \
    </dev/null >s_client.out 2>&1 && grep -q '^New, .*Cipher is [A-Z]' s_client.out; then
    echo ok
  else
    echo refused
  fi
}

# The protocol of the last handshake: s_client prints it in the session block (TLS 1.2 and
# older) or in the "New," line (TLS 1.3, whose session block needs a ticket).
protocol() {
  if grep -q '^New, TLSv1.3,' s_client.out; then echo TLSv1.3; else
    sed -n 's/^ *Protocol *: *//p' s_client.out | head -1
  fi
}

# 1. The client can do TLS 1.1: proven against a permissive openssl s_server.
SPORT=$(free_port)
start_bg s_server.log openssl s_server -accept "$SPORT" -cert server-one.crt -key server-one.key \
  -tls1_1 -cipher DEFAULT@SECLEVEL=0 -www
wait_for grep -qs ACCEPT s_server.log || fail "openssl s_server did not start"
[ "$(handshake "$SPORT" -tls1_1 -cipher DEFAULT@SECLEVEL=0)" = ok ] ||
  { cat s_client.out; fail "the TLS 1.1 client cannot handshake even with a permissive server"; }
[ "$(protocol)" = TLSv1.1 ] || fail "the proof handshake was not TLS 1.1"

# 2. modelwatch: TLS 1.2 and 1.3 accepted, the same TLS 1.1 client refused.
start_modelwatch mw.yaml mw.log --web.config.file web.yml
[ "$(handshake "$MW_PORT" -tls1_2)" = ok ] || { cat s_client.out; fail "TLS 1.2 refused"; }
[ "$(protocol)" = TLSv1.2 ] || fail "not TLS 1.2"
[ "$(handshake "$MW_PORT" -tls1_3)" = ok ] || { cat s_client.out; fail "TLS 1.3 refused"; }
[ "$(protocol)" = TLSv1.3 ] || fail "not TLS 1.3"
[ "$(handshake "$MW_PORT" -tls1_1 -cipher DEFAULT@SECLEVEL=0)" = refused ] ||
  { cat s_client.out; fail "modelwatch accepted TLS 1.1"; }

# 3. Basic auth over TLS.
URL=https://127.0.0.1:$MW_PORT
code() { curl -s -o body.out -D headers.out -w '%{http_code}' --cacert ca.crt "$@"; }
[ "$(code -u "prometheus:$PASSWORD" "$URL/metrics")" = 200 ] || fail "right password refused"
grep -q '^modelwatch_build_info' body.out || fail "no exposition over TLS"
grep -qi '^x-content-type-options: nosniff' headers.out || fail "configured header missing"
[ "$(code -u 'prometheus:wrong' "$URL/metrics")" = 401 ] || fail "wrong password not 401"
grep -qi '^www-authenticate: Basic' headers.out || fail "401 without WWW-Authenticate"
[ "$(code "$URL/metrics")" = 401 ] || fail "no credentials not 401"
[ "$(code -u "prometheus:$HASH" "$URL/metrics")" = 401 ] || fail "the stored hash logged in"
[ "$(code -u "nobody:$PASSWORD" "$URL/metrics")" = 401 ] || fail "unknown user not 401"
[ "$(code "$URL/-/healthy")" = 200 ] || fail "/-/healthy should stay open for probes"
[ "$(code "$URL/-/ready")" = 200 ] || fail "/-/ready should stay open for probes"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MW_PORT/metrics")" != 200 ] ||
  fail "plain HTTP served on the TLS port"

# 4. Certificate rotation without a restart: swap the files, new connections get the new one.
openssl x509 -in server-one.crt -noout -serial | grep -q '=03E9' || fail "serial of server-one"
[ "$(handshake "$MW_PORT" -tls1_2 -showcerts)" = ok ] || fail "handshake before the swap"
grep -q 'CN *= *server-one' s_client.out || { cat s_client.out; fail "not serving server-one"; }
cp server-two.key modelwatch.key.new && cp server-two.crt modelwatch.crt.new
mv modelwatch.key.new modelwatch.key && mv modelwatch.crt.new modelwatch.crt
swapped() { [ "$(handshake "$MW_PORT" -tls1_2)" = ok ] && grep -q 'CN *= *server-two' s_client.out; }
WAIT_SECONDS=10 wait_for swapped || { cat s_client.out; fail "the swapped certificate is not served"; }
[ "$(code -u "prometheus:$PASSWORD" "$URL/metrics")" = 200 ] || fail "scrape after the swap"
# A rotation that cannot load (a key of another certificate) keeps the last good pair serving,
# and says so in the log.
cp server-one.key modelwatch.key.new && mv modelwatch.key.new modelwatch.key
[ "$(handshake "$MW_PORT" -tls1_2)" = ok ] || fail "a bad rotation broke TLS"
grep -q 'CN *= *server-two' s_client.out || fail "a bad rotation changed the certificate"
WAIT_SECONDS=10 wait_for grep -q 'TLS files changed but cannot be loaded' mw.log ||
  fail "a failed certificate reload is not logged"
cp server-two.key modelwatch.key.new && mv modelwatch.key.new modelwatch.key

# 5. Secrets stay out of the log and the exposition.
curl -s --cacert ca.crt -u "prometheus:$PASSWORD" "$URL/metrics" >metrics.out
for secret in "$PASSWORD" "$HASH" "$(sed -n 2p modelwatch.key)"; do
  ! grep -qF -- "$secret" mw.log metrics.out || fail "a secret appears in the log or /metrics"
done
grep -q 'web config .*TLS on' mw.log || { cat mw.log; fail "no web config line in the log"; }
if [ "$(id -u)" = 0 ]; then
  grep -q 'running as root' mw.log || fail "no warning when running as root"
fi

# 6. A configured floor of TLS 1.3 refuses TLS 1.2.
sed -i 's/^  key_file: modelwatch.key$/&\n  min_version: TLS13/' web.yml
grep -q 'min_version: TLS13' web.yml || fail "could not edit web.yml"
start_modelwatch mw.yaml mw13.log --web.config.file web.yml
[ "$(handshake "$MW_PORT" -tls1_2)" = refused ] || fail "min_version TLS13 accepted TLS 1.2"
[ "$(handshake "$MW_PORT" -tls1_3)" = ok ] || fail "min_version TLS13 refused TLS 1.3"
[ "$(protocol)" = TLSv1.3 ] || fail "not TLS 1.3 under min_version TLS13"

# 7. Refused at start: a key that does not match the certificate, an invalid hash.
cp server-one.key modelwatch.key
"$MW" run --config mw.yaml --web.config.file web.yml >bad.log 2>&1 &&
  fail "started with a key that does not match its certificate"
grep -q 'cannot load key .*key values mismatch' bad.log || { cat bad.log; fail "mismatch not named"; }
cp server-two.key modelwatch.key
sed "s|$HASH|\$2y\$10\$tooshort|" web.yml >bad-hash.yml
"$MW" run --config mw.yaml --web.config.file bad-hash.yml >bad.log 2>&1 &&
  fail "started with an invalid bcrypt hash"
grep -q 'basic_auth_users.prometheus: not a bcrypt hash' bad.log || { cat bad.log; fail "hash"; }

# 8. The shipped example: promtool accepts it (with its certificate files present) and so does
# modelwatch.
mkdir example && cp "$REPO/config/web-config.example.yml" example/
cp server-two.crt example/modelwatch.crt && cp server-two.key example/modelwatch.key
promtool check web-config example/web-config.example.yml || fail "promtool rejects the example"
start_modelwatch mw.yaml example.log --web.config.file example/web-config.example.yml
[ "$(code -u prometheus:changeme "https://127.0.0.1:$MW_PORT/metrics")" = 200 ] ||
  fail "the example's documented password does not work"

# 9. Client certificates: RequireAndVerifyClientCert with an allow-list of SANs.
client_cert() {  # NAME SAN
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=clientAuth\n' "$2" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -set_serial 2001 -days 2 \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}
client_cert prometheus DNS:prometheus.example
client_cert intruder DNS:intruder.example
printf '%s\n' 'tls_server_config:' '  cert_file: modelwatch.crt' '  key_file: modelwatch.key' \
  '  client_auth_type: RequireAndVerifyClientCert' '  client_ca_file: ca.crt' \
  '  client_allowed_sans: [prometheus.example]' >mtls.yml
start_modelwatch mw.yaml mtls.log --web.config.file mtls.yml
MURL=https://127.0.0.1:$MW_PORT/metrics
[ "$(code --cert prometheus.crt --key prometheus.key "$MURL")" = 200 ] ||
  fail "an allowed client certificate was refused"
[ "$(code "$MURL")" = 000 ] || fail "no client certificate, yet served"
[ "$(code --cert intruder.crt --key intruder.key "$MURL")" = 000 ] ||
  fail "a client certificate outside client_allowed_sans was served"
echo "PASS: TLS floor and rotation, basic auth, client certificates, secrets, example web config"
