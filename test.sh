#!/usr/bin/env bash
# Tests every module of this repository, the way CI does:
#
#	./test.sh
#
# `go test ./...` at the root would test the root module only: the adapters,
# core/policyfile, examples and conformance/bench are modules of their own.
# For each module this runs go vet, go test -race, and the allocation
# promises again without -race (the race detector makes sync.Pool drop
# items, so those tests skip under it). Each framework adapter is tested at
# the oldest framework version its go.mod requires and again at the newest
# release listed below, through a temporary copy of its go.mod.
set -euo pipefail
cd "$(dirname "$0")"

# The newest release of each framework the adapters are tested with. Moving
# one up is a change of this line; the README's supported ranges say the same.
newest=(
	"gin github.com/gin-gonic/gin@v1.12.0"
	"echo github.com/labstack/echo/v4@v4.16.5"
	"echov5 github.com/labstack/echo/v5@v5.4.6"
	"fiber github.com/gofiber/fiber/v2@v2.52.15"
	"fiberv3 github.com/gofiber/fiber/v3@v3.1.0"
)

step() { printf '\n=== %s\n' "$*"; }

modules=$(find . -name go.mod -not -path '*/testdata/*' -not -path './.*' -printf '%h\n' | sort)
for dir in $modules; do
	step "$dir: go vet, go test -race"
	(cd "$dir" && go vet ./... && go test -race ./...)
	step "$dir: allocation promises, without -race"
	(cd "$dir" && go test -count=1 -run 'Alloc|alloc' ./...)
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for entry in "${newest[@]}"; do
	read -r dir module <<<"$entry"
	step "$dir: at the newest release, $module"
	mkdir -p "$tmp/$dir"
	cp "$dir/go.mod" "$dir/go.sum" "$tmp/$dir/"
	(cd "$dir" &&
		go get -modfile="$tmp/$dir/go.mod" "$module" &&
		go test -modfile="$tmp/$dir/go.mod" -count=1 -race ./... &&
		go test -modfile="$tmp/$dir/go.mod" -count=1 -run 'Alloc|alloc' ./...)
done

step "every module passed"
