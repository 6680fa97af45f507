package policyfile

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/corskit/corskit/core"
	"github.com/corskit/corskit/internal/policyformat"
)

// full is the policy that fullYAML and fullJSON describe.
var full = core.Config{
	Origins:                []string{"https://web.example.com", "https://*.example.com"},
	Credentials:            true,
	Methods:                []string{"PUT", "DELETE"},
	Headers:                []string{"Content-Type"},
	ExposeHeaders:          []string{"X-Total-Count"},
	MaxAge:                 10 * time.Minute,
	PrivateNetwork:         true,
	PreflightStatus:        200,
	PreflightFailureStatus: 400,
	RejectDisallowed:       true,
	RejectStatus:           401,
	PreflightPassthrough:   true,
}

const fullYAML = `
origins:
  - https://web.example.com
  - https://*.example.com
credentials: true
methods: [PUT, DELETE]
headers: [Content-Type]
expose_headers: [X-Total-Count]
max_age: 10m
private_network: true
preflight_status: 200
preflight_failure_status: 400
reject_disallowed: true
reject_status: 401
preflight_passthrough: true
`

const fullJSON = `{
  "origins": ["https://web.example.com", "https://*.example.com"],
  "credentials": true,
  "methods": ["PUT", "DELETE"],
  "headers": ["Content-Type"],
  "expose_headers": ["X-Total-Count"],
  "max_age": "10m",
  "private_network": true,
  "preflight_status": 200,
  "preflight_failure_status": 400,
  "reject_disallowed": true,
  "reject_status": 401,
  "preflight_passthrough": true
}`

// paths is the policy that pathYAML and pathJSON describe: the example of
// core.Config.PathPolicies.
var paths = core.Config{
	Origins:     []string{"https://app.example.com"},
	Credentials: true,
	PathPolicies: []core.PathPolicy{
		{Name: "public", Paths: []string{"/public/", "/health"}, Config: core.Config{Origins: []string{"*"}, MaxAge: time.Minute}},
		{Name: "admin", Paths: []string{"/admin/"}},
	},
}

const pathYAML = `
origins: [https://app.example.com]
credentials: true
path_policies:
  - name: public
    paths: [/public/, /health]
    origins: ["*"]
    max_age: 60
  - name: admin
    paths: [/admin/]
`

const pathJSON = `{
  "origins": ["https://app.example.com"],
  "credentials": true,
  "path_policies": [
    {"name": "public", "paths": ["/public/", "/health"], "origins": ["*"], "max_age": "1m"},
    {"name": "admin", "paths": ["/admin/"]}
  ]
}`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                core.Config
		errs                []string // substrings of the error, if it must fail
		is                  []error  // errors the error must match
	}{
		{name: "every key in YAML", file: "cors.yaml", content: fullYAML, want: full},
		{name: "every key in JSON", file: "cors.json", content: fullJSON, want: full},
		{name: ".yml is YAML", file: "cors.yml", content: "origins: [https://web.example.com]",
			want: core.Config{Origins: []string{"https://web.example.com"}}},
		{name: "empty object is the closed policy", file: "cors.json", content: "{}", want: core.Config{}},
		{name: "max_age in seconds, YAML", file: "cors.yaml", content: "max_age: 600", want: core.Config{MaxAge: 10 * time.Minute}},
		{name: "max_age in seconds, JSON", file: "cors.json", content: `{"max_age": 600}`, want: core.Config{MaxAge: 10 * time.Minute}},
		{name: "max_age as a quoted duration, YAML", file: "cors.yaml", content: `max_age: "1h30m"`, want: core.Config{MaxAge: 90 * time.Minute}},
		{name: "no_preflight_cache", file: "cors.yaml", content: "no_preflight_cache: true", want: core.Config{NoPreflightCache: true}},

		{name: "unknown key in YAML", file: "cors.yaml", content: "origin: [https://web.example.com]",
			errs: []string{"cors.yaml", "line 1", `unknown field "origin"`, `did you mean "origins"?`}},
		{name: "unknown key in JSON", file: "cors.json", content: `{"origin": ["https://web.example.com"]}`,
			errs: []string{"cors.json", `unknown field "origin"`}},
		{name: "Go field name is not a key", file: "cors.json", content: `{"MaxAge": 600}`,
			errs: []string{`unknown field "MaxAge"`}},
		{name: "fractional seconds", file: "cors.json", content: `{"max_age": 1.5}`, errs: []string{"max_age: 1.5"}},
		{name: "bad duration", file: "cors.yaml", content: "max_age: ten minutes", errs: []string{"line 1", `max_age: "ten minutes"`}},
		{name: "wrong type", file: "cors.yaml", content: "origins: https://web.example.com", errs: []string{"cannot unmarshal"}},
		{name: "empty file", file: "cors.yaml", content: "\n", errs: []string{"the file is empty"}},
		{name: "two YAML documents", file: "cors.yaml", content: "credentials: false\n---\ncredentials: true\n", errs: []string{"second document"}},
		{name: "data after the JSON object", file: "cors.json", content: `{} {}`, errs: []string{"unexpected data"}},
		{name: "duplicate key in JSON", file: "cors.json", content: `{"origins": ["https://a.example"], "origins": ["*"]}`,
			errs: []string{"cors.json", `key "origins" appears twice`}},
		{name: "key in another letter case in JSON", file: "cors.json", content: `{"Origins": ["*"]}`,
			errs: []string{"cors.json", `key "Origins"`, `write "origins"`}},
		{name: "duplicate key in YAML", file: "cors.yaml", content: "origins: [https://a.example]\norigins: ['*']\n",
			errs: []string{"cors.yaml", `"origins" already defined`}},
		{name: "file over 1 MiB", file: "cors.yaml", content: "# " + strings.Repeat("x", 1<<20) + "\n{}\n",
			errs: []string{"cors.yaml", "larger than 1 MiB"}},
		{name: "unknown extension", file: "cors.toml", content: `origins = []`, errs: []string{`unknown format ".toml"`}},
		{name: "path policies in YAML", file: "cors.yaml", content: pathYAML, want: paths},
		{name: "path policies in JSON", file: "cors.json", content: pathJSON, want: paths},
		{name: "unknown key in a path policy", file: "cors.yaml",
			content: "path_policies:\n  - name: public\n    paths: [/public/]\n    orgins: ['*']\n",
			errs:    []string{"cors.yaml", "line 4", `path_policies[0]: unknown field "orgins"; did you mean "origins"?`}},
		{name: "key in another letter case in a path policy", file: "cors.json",
			content: `{"path_policies": [{"name": "public", "Paths": ["/public/"]}]}`,
			errs:    []string{"cors.json", "line 1", `path_policies[0]: key "Paths": keys are lower case; write "paths"`}},
		{name: "duplicate key in a path policy, JSON", file: "cors.json",
			content: "{\"path_policies\": [{\"name\": \"a\",\n \"name\": \"b\", \"paths\": [\"/a/\"]}]}",
			errs:    []string{"cors.json", "line 2", `path_policies[0]: key "name" appears twice`}},
		{name: "nested path policies", file: "cors.yaml",
			content: "path_policies:\n  - name: public\n    paths: [/public/]\n    path_policies: []\n",
			errs:    []string{"line 4", "path_policies[0].path_policies: path policies do not nest"}},
		{name: "every problem of every path policy, with file keys", file: "cors.yaml",
			content: "origins: [https://app.example.com]\npath_policies:\n  - name: public\n    paths: [public]\n  - name: admin\n    paths: [/admin/]\n    origins: ['https://App.example.com']\n",
			errs: []string{
				`cors.yaml: path_policies[0].paths[0] "public": not a path routers can match`,
				`write "/public"`,
				`cors.yaml: path_policies[1].origins[0] "https://App.example.com"`,
			},
			is: []error{core.ErrPathInvalid, core.ErrOriginNotCanonical}},
		{name: "every policy problem, with file keys", file: "cors.yaml",
			content: "origins: ['*', 'https://App.example.com/']\ncredentials: true\nmax_age: -1s\n",
			errs: []string{
				`cors.yaml: origins[0] "*"`,
				`cors.yaml: origins[1] "https://App.example.com/"`,
				`cors.yaml: max_age "-1s"`,
				`set no_preflight_cache: true`,
			},
			is: []error{core.ErrCredentialsAnyOrigin, core.ErrOriginNotCanonical, core.ErrMaxAgeInvalid, core.ErrAnyOriginMixed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := writeFile(t, dir, tt.file, tt.content)
			got, err := Load(path)
			if tt.errs == nil {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("Load:\ngot  %+v\nwant %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Load: got %+v, want an error", got)
			}
			for _, s := range tt.errs {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Load: error %q does not contain %q", err, s)
				}
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("Load: error %q does not match %v", err, target)
				}
			}
			var fe *Error
			if !errors.As(err, &fe) || fe.Path != path {
				t.Errorf("Load: error %q is not an *Error for %s", err, path)
			}
		})
	}
}

func TestLoad_missing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cors.yaml")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load: got %v, want fs.ErrNotExist", err)
	}
	if want := "corskit: " + path + ": open: no such file or directory"; err.Error() != want {
		t.Errorf("Load: got %q, want %q", err, want)
	}
}

// Every data field of core.Config can be written in a file, under a known
// key; a field added to Config and forgotten in the format fails this
// test. (internal/policyformat tests the format's structs field by field.)
func TestFile_mirrorsConfig(t *testing.T) {
	cfg := reflect.TypeFor[core.Config]()
	file := reflect.TypeFor[File]()
	for i := range cfg.NumField() {
		f := cfg.Field(i)
		if !f.IsExported() || isMerged(f) {
			continue
		}
		if _, ok := file.FieldByName(f.Name); !ok {
			t.Errorf("core.Config.%s has no File field", f.Name)
		}
		if policyformat.Key(f.Name) == "" {
			t.Errorf("core.Config.%s has no key", f.Name)
		}
	}
}

func allows(h *core.Holder, origin string) bool {
	d := h.Decide(core.Facts{Method: "GET", Origin: []string{origin}, Scheme: "https", Host: "api.example.com"})
	return d.Allowed()
}

func TestReload(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "cors.yaml", "origins: [https://a.example]")
	var refused []string
	base := core.Config{
		OriginFunc: func(o string) bool { return o == "https://func.example" },
		OnReject:   func(r core.Rejection) { refused = append(refused, r.Origin) },
	}
	h, err := Open(path, base)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		content string
		err     string // substring of Reload's error, if it must fail
		allowed []string
		refused []string
	}{
		{"opened", "", "", []string{"https://a.example", "https://func.example"}, []string{"https://b.example"}},
		{"new origin", "origins: [https://b.example]", "", []string{"https://b.example", "https://func.example"}, []string{"https://a.example"}},
		{"invalid file keeps the old policy", "origins: [https://B.example]", `origins[0] "https://B.example"`,
			[]string{"https://b.example"}, []string{"https://a.example"}},
		{"syntax error keeps the old policy", "origins: [https://c.example", "cors.yaml", []string{"https://b.example"}, nil},
		{"base OriginFunc with * is refused", "origins: ['*']", "OriginFunc", []string{"https://b.example"}, []string{"https://c.example"}},
	}
	for _, s := range steps {
		if s.content != "" {
			writeFile(t, dir, "cors.yaml", s.content)
			err := Reload(path, h, base)
			if (err == nil) != (s.err == "") || err != nil && !strings.Contains(err.Error(), s.err) {
				t.Fatalf("%s: Reload: got %v, want an error containing %q", s.name, err, s.err)
			}
		}
		for _, o := range s.allowed {
			if !allows(h, o) {
				t.Errorf("%s: %s refused, want allowed", s.name, o)
			}
		}
		for _, o := range s.refused {
			if allows(h, o) {
				t.Errorf("%s: %s allowed, want refused", s.name, o)
			}
		}
	}
	if len(refused) == 0 {
		t.Error("base OnReject was never called")
	}
}

func TestReload_baseWithData(t *testing.T) {
	path := writeFile(t, t.TempDir(), "cors.yaml", "origins: [https://a.example]")
	h := new(core.Holder)
	err := Reload(path, h, core.Config{Origins: []string{"https://x.example"}, Credentials: true})
	for _, want := range []string{"base Config sets Origins", "base Config sets Credentials"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Reload: got %v, want %q", err, want)
		}
	}
	if _, err := Open(path, core.Config{MaxAge: time.Second}); err == nil {
		t.Error("Open with base MaxAge: got no error")
	}
}

// watcher runs Watch on a file and reports each reload on a channel.
type watcher struct {
	h       *core.Holder
	reloads chan error
	logs    *syncBuffer
	done    chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func startWatch(t *testing.T, path string, opts Options) *watcher {
	t.Helper()
	h, err := Open(path, opts.Base)
	if err != nil {
		t.Fatal(err)
	}
	w := &watcher{h: h, reloads: make(chan error, 16), logs: new(syncBuffer), done: make(chan error, 1)}
	if opts.Debounce == 0 {
		opts.Debounce = 20 * time.Millisecond
	}
	opts.Logger = slog.New(slog.NewTextHandler(w.logs, nil))
	opts.OnReload = func(err error) { w.reloads <- err }
	ctx, cancel := context.WithCancel(context.Background())
	go func() { w.done <- Watch(ctx, path, h, opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-w.done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	})
	if err := w.next(t); err != nil { // the load at start
		t.Fatalf("first load: %v", err)
	}
	return w
}

// next waits for the next reload and returns its outcome.
func (w *watcher) next(t *testing.T) error {
	t.Helper()
	select {
	case err := <-w.reloads:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("no reload within 10s")
		return nil
	}
}

func TestWatch(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "cors.yaml", "origins: [https://a.example]")
	w := startWatch(t, path, Options{})

	// An edit in place.
	writeFile(t, dir, "cors.yaml", "origins: [https://b.example]")
	if err := w.next(t); err != nil {
		t.Fatalf("reload after edit: %v", err)
	}
	if !allows(w.h, "https://b.example") || allows(w.h, "https://a.example") {
		t.Error("after edit: the new policy is not serving")
	}

	// An invalid file is reported, with every problem, and the old policy
	// keeps serving.
	writeFile(t, dir, "cors.yaml", "origins: ['https://C.example', 'https://*.com']\n")
	err := w.next(t)
	if !errors.Is(err, core.ErrOriginNotCanonical) || !errors.Is(err, core.ErrPublicSuffixPattern) {
		t.Fatalf("reload of an invalid file: got %v, want both problems", err)
	}
	if !allows(w.h, "https://b.example") {
		t.Error("after an invalid file: the old policy stopped serving")
	}
	logs := w.logs.String()
	for _, want := range []string{"level=ERROR", "file=" + path, `origins[0] \"https://C.example\"`, `origins[1] \"https://*.com\"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}

	// A file replaced by rename, as editors and ConfigMaps do.
	tmp := writeFile(t, dir, ".cors.yaml.tmp", "origins: [https://d.example]")
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	if err := w.next(t); err != nil {
		t.Fatalf("reload after rename: %v", err)
	}
	if !allows(w.h, "https://d.example") {
		t.Error("after rename: the new policy is not serving")
	}
}

func TestWatch_signal(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "cors.yaml", "origins: [https://a.example]")
	w := startWatch(t, path, Options{Signals: []os.Signal{syscall.SIGHUP}})
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	// The content did not change; a signal reloads all the same.
	if err := w.next(t); err != nil {
		t.Fatalf("reload on SIGHUP: %v", err)
	}
	if !allows(w.h, "https://a.example") {
		t.Error("after SIGHUP: the policy is not serving")
	}
}

func TestWatch_badBase(t *testing.T) {
	path := writeFile(t, t.TempDir(), "cors.yaml", "{}")
	h := new(core.Holder)
	err := Watch(context.Background(), path, h, Options{Base: core.Config{Origins: []string{"*"}}})
	if err == nil || !strings.Contains(err.Error(), "base Config sets Origins") {
		t.Errorf("Watch: got %v, want an error about the base", err)
	}
}

func TestParse_tooLarge(t *testing.T) {
	_, err := Parse("cors.json", []byte(`{"origins": []}`+strings.Repeat(" ", maxFileSize)))
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("Parse: got %v, want the file refused as larger than 1 MiB", err)
	}
}

// nextWithin waits at most limit for the next reload, and fails the test
// if none comes.
func (w *watcher) nextWithin(t *testing.T, limit time.Duration) error {
	t.Helper()
	select {
	case err := <-w.reloads:
		return err
	case <-time.After(limit):
		t.Fatalf("no reload within %v", limit)
		return nil
	}
}

// A file written next to the policy every 30 ms (a log, a database's
// journal) must not delay the reload of an edit.
func TestWatch_busyDirectory(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "cors.yaml", "origins: [https://a.example]")
	w := startWatch(t, path, Options{Debounce: 100 * time.Millisecond, Poll: time.Hour})
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 1000; i++ { // 30 s at most
			select {
			case <-stop:
				return
			case <-time.After(30 * time.Millisecond):
				_ = os.WriteFile(filepath.Join(dir, "app.log"), []byte(strings.Repeat("x", i)), 0o644)
			}
		}
	}()
	defer func() { close(stop); <-done }()
	time.Sleep(100 * time.Millisecond)
	writeFile(t, dir, "cors.yaml", "origins: [https://b.example]")
	if err := w.nextWithin(t, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if !allows(w.h, "https://b.example") {
		t.Error("the edit is not serving")
	}
}

// The policy path is a symlink to a file in another directory: an edit of
// that file reloads.
func TestWatch_symlinkToAnotherDirectory(t *testing.T) {
	real, links := t.TempDir(), t.TempDir()
	target := writeFile(t, real, "cors.yaml", "origins: [https://a.example]")
	path := filepath.Join(links, "cors.yaml")
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	w := startWatch(t, path, Options{Poll: time.Hour})
	writeFile(t, real, "cors.yaml", "origins: [https://b.example]")
	if err := w.nextWithin(t, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if !allows(w.h, "https://b.example") {
		t.Error("the edit is not serving")
	}
}

// The policy's directory is reached through a symlink that is swapped to
// another directory, as a deployment tool does: the new file is served,
// and later edits in the new directory too.
func TestWatch_swappedParentSymlink(t *testing.T) {
	root := t.TempDir()
	for _, v := range []string{"v1", "v2"} {
		if err := os.Mkdir(filepath.Join(root, v), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(root, "v1"), "cors.yaml", "origins: [https://a.example]")
	writeFile(t, filepath.Join(root, "v2"), "cors.yaml", "origins: [https://b.example]")
	if err := os.Symlink("v1", filepath.Join(root, "current")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "current", "cors.yaml")
	w := startWatch(t, path, Options{Poll: time.Hour})

	// Swap atomically: a new link, renamed over the old one.
	if err := os.Symlink("v2", filepath.Join(root, "current.tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(root, "current.tmp"), filepath.Join(root, "current")); err != nil {
		t.Fatal(err)
	}
	if err := w.nextWithin(t, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if !allows(w.h, "https://b.example") {
		t.Error("after the swap: the new directory's policy is not serving")
	}
	writeFile(t, filepath.Join(root, "v2"), "cors.yaml", "origins: [https://c.example]")
	if err := w.nextWithin(t, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if !allows(w.h, "https://c.example") {
		t.Error("an edit in the new directory is not serving")
	}
}

// The policy's directory is replaced by rename: the new file is served,
// and later edits in the new directory too, and the log says the watch was
// re-established.
func TestWatch_replacedDirectory(t *testing.T) {
	root := t.TempDir()
	conf, next := filepath.Join(root, "conf"), filepath.Join(root, "conf.new")
	for _, d := range []string{conf, next} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := writeFile(t, conf, "cors.yaml", "origins: [https://a.example]")
	writeFile(t, next, "cors.yaml", "origins: [https://b.example]")
	w := startWatch(t, path, Options{Poll: 200 * time.Millisecond})

	if err := os.Rename(conf, filepath.Join(root, "conf.old")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, conf); err != nil {
		t.Fatal(err)
	}
	if err := w.nextWithin(t, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if !allows(w.h, "https://b.example") {
		t.Error("after the replacement: the new directory's policy is not serving")
	}
	writeFile(t, conf, "cors.yaml", "origins: [https://c.example]")
	if err := w.nextWithin(t, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if !allows(w.h, "https://c.example") {
		t.Error("an edit in the new directory is not serving")
	}
	if logs := w.logs.String(); !strings.Contains(logs, "watching the policy file's directory again") {
		t.Errorf("the log does not say the watch was re-established:\n%s", logs)
	}
}
