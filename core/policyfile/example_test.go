package policyfile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/core/policyfile"
)

func ExampleParse() {
	cfg, err := policyfile.Parse("cors.yaml", []byte(`
origins: [https://web.example.com, https://*.example.com]
credentials: true
methods: [PUT, DELETE]
max_age: 600
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Origins, cfg.Credentials, cfg.Methods, cfg.MaxAge)
	// Output:
	// [https://web.example.com https://*.example.com] true [PUT DELETE] 10m0s
}

// Every problem is reported, with the file name and the file's keys.
func ExampleParse_errors() {
	_, err := policyfile.Parse("cors.json", []byte(`{
  "origins": ["https://Web.example.com/", "null"],
  "credentials": true,
  "expose_headers": ["*"]
}`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, core.ErrCredentialsNullOrigin))
	// Output:
	// corskit: cors.json: origins[0] "https://Web.example.com/": not written the way browsers send it (trailing slash); write "https://web.example.com"
	// corskit: cors.json: origins[1] "null": credentials cannot be allowed for the "null" origin; remove "null", or turn credentials off
	// corskit: cors.json: expose_headers[0] "*": ExposeHeaders "*" does not work with credentials; list the header names instead
	// true
}

// Path policies are entries of path_policies, each with its name, its
// paths and its policy's keys; errors name them by their keys too.
func ExampleParse_pathPolicies() {
	cfg, err := policyfile.Parse("cors.yaml", []byte(`
origins: [https://app.example.com]
credentials: true
path_policies:
  - name: public
    paths: [/public/, /health]
    origins: ["*"]
  - name: admin          # nothing cross-origin
    paths: [/admin/]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, pp := range cfg.PathPolicies {
		fmt.Println(pp.Name, pp.Paths, pp.Origins)
	}

	_, err = policyfile.Parse("cors.yaml", []byte(`
path_policies:
  - name: public
    paths: [public/]
    origins: ["*"]
    credentials: true
`))
	fmt.Println(err)
	// Output:
	// public [/public/ /health] [*]
	// admin [/admin/] []
	// corskit: cors.yaml: path_policies[0].origins[0] "*": credentials cannot be allowed for any origin ("*"); list the origins you trust instead
	// corskit: cors.yaml: path_policies[0].paths[0] "public/": not a path routers can match (not starting with /); write "/public/"
}

// A file with problems is refused and the current policy keeps serving.
func ExampleReload() {
	dir, _ := os.MkdirTemp("", "policyfile")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cors.yaml")
	allows := func(h *core.Holder, origin string) bool {
		d := h.Decide(core.Facts{Method: "GET", Origin: []string{origin}})
		return d.Allowed()
	}

	os.WriteFile(path, []byte("origins: [https://a.example]"), 0o644)
	h, err := policyfile.Open(path, core.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	os.WriteFile(path, []byte("origins: [https://b.example, 'https://*.com']"), 0o644)
	err = policyfile.Reload(path, h, core.Config{})
	fmt.Println(errors.Is(err, core.ErrPublicSuffixPattern), allows(h, "https://a.example"))

	os.WriteFile(path, []byte("origins: [https://b.example]"), 0o644)
	err = policyfile.Reload(path, h, core.Config{})
	fmt.Println(err, allows(h, "https://a.example"), allows(h, "https://b.example"))
	// Output:
	// true true
	// <nil> false true
}
