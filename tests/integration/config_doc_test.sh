# docs/configuration.md holds every key of config/modelwatch.example.yaml and every key the
# loader accepts (asked of check-config itself), and check-config accepts the example.
# Details: config_doc_test.py.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
/usr/bin/python3 "$(dirname "$0")/config_doc_test.py" "$MW" "$ROOT" "$WORK" || fail "configuration docs"
