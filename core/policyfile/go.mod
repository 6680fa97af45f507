module github.com/corskit/corskit/core/policyfile

go 1.25.0

replace github.com/corskit/corskit => ../..

require (
	github.com/corskit/corskit v0.0.0-00010101000000-000000000000
	github.com/fsnotify/fsnotify v1.10.1
)

require (
	github.com/hashicorp/golang-lru/v2 v2.0.7 // indirect
	golang.org/x/net v0.58.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
