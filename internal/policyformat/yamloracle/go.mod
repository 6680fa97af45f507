module github.com/corskit/corskit/internal/policyformat/yamloracle

go 1.25.0

replace github.com/corskit/corskit => ../../..

require (
	github.com/corskit/corskit v0.0.0-00010101000000-000000000000
	go.yaml.in/yaml/v3 v3.0.4
)

require (
	github.com/hashicorp/golang-lru/v2 v2.0.7 // indirect
	golang.org/x/net v0.58.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
)
