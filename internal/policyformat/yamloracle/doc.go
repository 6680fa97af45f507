// Package yamloracle holds the differential test of corskit's YAML subset
// decoder (internal/policyformat) against go.yaml.in/yaml/v3: whatever
// the subset accepts, yaml/v3 must read the same way. It is a module of
// its own so that yaml/v3 stays out of the go.mod of the modules users
// download; it has no code but its tests.
//
//	go test ./...                                         # the seed corpus
//	go test -run '^$' -fuzz '^FuzzSubsetAgreesWithYAMLv3$' -fuzztime 1m .
package yamloracle
