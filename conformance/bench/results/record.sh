#!/usr/bin/env bash
# record.sh writes a performance record of this machine to stdout: the
# interleaved comparison, benchstat confidence intervals for S1, S2 and S4,
# and the loopback load test, with the machine and its load around each
# step. Run it from conformance/bench on a machine doing nothing else:
#
#	bash results/record.sh > results/$(date +%F-%H%M)-<machine>.txt
#
# It takes about five minutes. benchstat is optional (see ../README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { echo; echo "## $*"; echo; }
load() { echo "#   $(uptime)"; }

echo "# corskit performance run, $(date -u)"
echo "# nproc: $(nproc); $(grep -m1 'model name' /proc/cpuinfo || true)"
echo "# $(go version)"
echo "# corskit at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- ../.. || echo ' (with uncommitted changes)')"
echo "# uptime before each step:"
load

step "cd conformance/bench && go run ./cmd/compare -rounds 61 -slice 6ms"
go run ./cmd/compare -rounds 61 -slice 6ms
load

if command -v benchstat >/dev/null; then
	step "go test -run '^\$' -bench 'BenchmarkCORS/framework=/candidate=/scenario=(S1|S2|S3|S4)\$' -benchmem -benchtime 100ms -count 10 | benchstat -col /candidate"
	go test -run '^$' -bench 'BenchmarkCORS/framework=/candidate=/scenario=(S1|S2|S3|S4)$' -benchmem -benchtime 100ms -count 10 > /tmp/corskit-bench.txt
	benchstat -col /candidate /tmp/corskit-bench.txt
	load
fi

step "go run ./cmd/loadtest"
go run ./cmd/loadtest
load
