# The full crash variant: 1,000,000 lines, rename rotation every 100,000, 25 SIGKILLs.
LINES=1000000 EVERY=100000 KILLS=25 RATE=40000 exec bash "$(dirname "$0")/crash_test.sh" "$@"
