// Package corskit is where to start: it holds no code, only this map of
// corskit's packages.
//
// corskit is CORS middleware for Go servers: one policy engine and a thin
// adapter per framework, all held to one conformance table and a real
// browser. Write a [github.com/corskit/corskit/core.Config] and hand it to the adapter of your
// framework, which checks it at start-up and reports every problem at
// once:
//
//	net/http, chi, gorilla   github.com/corskit/corskit/nethttp   (package corshttp)
//	Gin                      github.com/corskit/corskit/gin       (package corsgin)
//	Echo v4                  github.com/corskit/corskit/echo      (package corsecho)
//	Echo v5                  github.com/corskit/corskit/echov5    (package corsechov5)
//	Fiber v2                 github.com/corskit/corskit/fiber     (package corsfiber)
//	Fiber v3                 github.com/corskit/corskit/fiberv3   (package corsfiberv3)
//
// Each adapter's directory differs from its package name, so that the
// package never shadows the framework's own in your files. go doc finds a
// package by its import path:
//
//	go doc github.com/corskit/corskit/gin
//	go doc github.com/corskit/corskit/gin.Wrap
//
// The policy itself, its errors, run-time reconfiguration and origins from
// a database are in package [github.com/corskit/corskit/core]; policies
// kept in a YAML or JSON file and reloaded while serving are in
// github.com/corskit/corskit/core/policyfile. What corskit answers, rule
// by rule, is its behaviour specification, docs/behaviour.md in the
// repository. An adapter for another framework is tested with package
// [github.com/corskit/corskit/conformance].
//
// The corskit command asks any live server what a browser would decide
// about a fetch(), and checks and explains policy files before they ship:
//
//	go install github.com/corskit/corskit/cmd/corskit@latest
//	corskit check https://api.example.com/me --origin https://app.example.com --credentials
package corskit
