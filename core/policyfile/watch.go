package policyfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/corskit/corskit/core"
	"github.com/fsnotify/fsnotify"
)

// Open loads the policy file at path, merges in base's functions (see
// [Reload]) and returns a Holder serving the result. Use it at start-up,
// where a bad file should stop the program: the error names the file and
// every problem in it.
func Open(path string, base core.Config) (*core.Holder, error) {
	cfg, err := load(path, base)
	if err != nil {
		return nil, err
	}
	h, err := core.NewHolder(cfg)
	if err != nil {
		return nil, fileErrors(path, err)
	}
	return h, nil
}

// Reload loads the policy file at path and, if it is valid, serves it from
// h. The policy takes its data from the file and its functions and logger
// (OriginFunc, HeaderFunc, Logger, OnReject) from base, whose other fields
// must be zero. If the file has problems, Reload returns every one of them,
// each an [*Error], and h keeps serving its current policy.
//
// Reload can be called concurrently with request handling; the new policy
// applies to requests decided after it returns.
func Reload(path string, h *core.Holder, base core.Config) error {
	cfg, err := load(path, base)
	if err != nil {
		return err
	}
	if err := h.Reconfigure(cfg); err != nil {
		return fileErrors(path, err)
	}
	return nil
}

func load(path string, base core.Config) (core.Config, error) {
	data, err := readFile(path)
	if err != nil {
		return core.Config{}, err
	}
	return parseWith(path, data, base)
}

func parseWith(path string, data []byte, base core.Config) (core.Config, error) {
	if err := checkBase(base); err != nil {
		return core.Config{}, err
	}
	cfg, err := decode(path, data)
	if err != nil {
		return core.Config{}, err
	}
	return merge(cfg, base), nil
}

// isMerged reports whether a Config field comes from the base Config rather
// than from the file: functions and loggers, which a file cannot express.
func isMerged(f reflect.StructField) bool {
	return f.Type.Kind() == reflect.Func || f.Type == reflect.TypeFor[*slog.Logger]()
}

// merge returns cfg with base's functions and loggers. It uses reflection so
// that a function added to core.Config is merged without a change here.
func merge(cfg, base core.Config) core.Config {
	dst, src := reflect.ValueOf(&cfg).Elem(), reflect.ValueOf(base)
	for i := range dst.NumField() {
		if f := dst.Type().Field(i); f.IsExported() && isMerged(f) {
			dst.Field(i).Set(src.Field(i))
		}
	}
	return cfg
}

// checkBase refuses a base Config with data fields set: the file decides
// them, and silently dropping them would surprise.
func checkBase(base core.Config) error {
	var errs []error
	v := reflect.ValueOf(base)
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.IsExported() && !isMerged(f) && !v.Field(i).IsZero() {
			errs = append(errs, fmt.Errorf("corskit: policyfile: base Config sets %s; write it in the policy file instead (the base gives only functions and loggers)", f.Name))
		}
	}
	return errors.Join(errs...)
}

// Options configure [Watch].
type Options struct {
	// Base gives the functions and logger of every policy loaded; see
	// [Reload].
	Base core.Config

	// Signals, if any, also reload the file when the process receives one
	// of them, whether or not it changed; typically syscall.SIGHUP.
	Signals []os.Signal

	// Debounce is how long Watch waits after a change to the file before
	// reading it, so that an editor's several writes make one reload.
	// Only events about the file (or a symlink or directory on its way)
	// count: other files written next to it do not delay a reload.
	// Default 100ms.
	Debounce time.Duration

	// Poll is how often Watch also checks the file's size, modification
	// time and identity, and where its symlinks lead, as a safety net for
	// events the system did not deliver. Default 2s.
	Poll time.Duration

	// Logger gets one line per reload, and one per problem when a file is
	// refused. Default: Base.Logger, or else slog.Default().
	Logger *slog.Logger

	// OnReload, if set, is called after each attempt to reload, with nil
	// or the problems that kept the file from being served.
	OnReload func(error)
}

// Watch keeps h serving the policy file at path until ctx is done. It
// reloads the file when it changes and on opts.Signals. It watches the
// directories of the file and of every symlink on its way, and follows
// them when they change: a file replaced by rename, as editors do, a
// symlink to a file elsewhere, a swapped symlink to its directory (as
// Kubernetes ConfigMaps do) and a directory replaced by rename are all
// seen. Every opts.Poll it also checks the file itself, so that a change
// whose event was lost is applied within seconds. It loads the file once
// when it starts, after the watch is in place, so that no change made
// since [Open] is missed.
//
// A file with problems is reported through opts.Logger and opts.OnReload,
// naming the file and every problem, and h keeps serving its current
// policy. Content that did not change is not reloaded.
//
// Watch returns nil when ctx is done, or at once the error that kept it
// from watching the file.
func Watch(ctx context.Context, path string, h *core.Holder, opts Options) error {
	if err := checkBase(opts.Base); err != nil {
		return err
	}
	logger := opts.Logger
	if logger == nil {
		logger = opts.Base.Logger
	}
	if logger == nil {
		logger = slog.Default()
	}
	debounce := opts.Debounce
	if debounce <= 0 {
		debounce = 100 * time.Millisecond
	}
	poll := opts.Poll
	if poll <= 0 {
		poll = 2 * time.Second
	}

	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("corskit: policyfile: %w", err)
	}
	defer w.Close()
	ws := watchSet{w: w, path: path, logger: logger, dirs: map[string]os.FileInfo{}}
	if err := ws.update(ctx); err != nil {
		return &Error{Path: path, Err: fmt.Errorf("cannot watch its directory: %w", err)}
	}
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	var signals chan os.Signal
	if len(opts.Signals) > 0 {
		signals = make(chan os.Signal, 1)
		signal.Notify(signals, opts.Signals...)
		defer signal.Stop(signals)
	}

	r := reloader{path: path, h: h, base: opts.Base, logger: logger, onReload: opts.OnReload}
	r.reload(ctx, true)
	ws.fileChanged() // what the poll compares with

	timer := time.NewTimer(debounce)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			// An event about the file, a symlink on its way or a watched
			// directory may change what path reads: read after it
			// settles, and compare contents.
			if ws.names[filepath.Clean(ev.Name)] {
				timer.Reset(debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			logger.LogAttrs(ctx, slog.LevelWarn, "corskit: watching the policy file", slog.String("file", path), slog.String("error", err.Error()))
			timer.Reset(debounce) // events may have been lost
		case <-timer.C:
			ws.update(ctx)
			r.reload(ctx, false)
		case <-ticker.C:
			if ws.update(ctx) == nil && ws.fileChanged() {
				r.reload(ctx, false)
			}
		case <-signals:
			r.reload(ctx, true)
		}
	}
}

// reloader remembers what Watch last read, to skip unchanged content.
type reloader struct {
	path     string
	h        *core.Holder
	base     core.Config
	logger   *slog.Logger
	onReload func(error)
	last     []byte // nil after a failed read
}

func (r *reloader) reload(ctx context.Context, force bool) {
	data, err := readFile(r.path)
	if err == nil && !force && r.last != nil && bytes.Equal(data, r.last) {
		return
	}
	r.last = data
	if err == nil {
		var cfg core.Config
		if cfg, err = parseWith(r.path, data, r.base); err == nil {
			if err = r.h.Reconfigure(cfg); err != nil {
				err = fileErrors(r.path, err)
			}
		}
	}
	r.report(ctx, err)
	if r.onReload != nil {
		r.onReload(err)
	}
}

func (r *reloader) report(ctx context.Context, err error) {
	if err == nil {
		r.logger.LogAttrs(ctx, slog.LevelInfo, "corskit: policy file loaded", slog.String("file", r.path))
		return
	}
	list := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	}
	for _, e := range list {
		r.logger.LogAttrs(ctx, slog.LevelError, "corskit: policy file refused; the current policy keeps serving",
			slog.String("file", r.path), slog.String("problem", e.Error()))
	}
}

// watchSet keeps the watches on what path resolves to.
type watchSet struct {
	w      *fsnotify.Watcher
	path   string
	logger *slog.Logger
	dirs   map[string]os.FileInfo // watched directories, as they were when watched
	names  map[string]bool        // event names that may change what path reads
	file   os.FileInfo            // the file as last checked, nil if missing
}

// update follows path's symlinks and watches the directory of the file and
// of every link on the way, again if one was replaced since it was watched.
// It returns an error if no directory can be watched.
func (s *watchSet) update(ctx context.Context) error {
	chain := resolve(s.path)
	names := make(map[string]bool, 2*len(chain))
	want := make(map[string]bool, len(chain))
	for _, n := range chain {
		names[n] = true
		want[filepath.Dir(n)] = true
	}
	var errs []error
	for dir := range want {
		names[dir] = true // a watched directory renamed or removed
		fi, err := os.Stat(dir)
		if err != nil {
			continue // gone for now; the poll looks again
		}
		old, watched := s.dirs[dir]
		if watched && os.SameFile(old, fi) {
			continue
		}
		if watched {
			_ = s.w.Remove(dir)
		}
		if err := s.w.Add(dir); err != nil {
			errs = append(errs, err)
			s.logger.LogAttrs(ctx, slog.LevelWarn, "corskit: cannot watch a directory of the policy file; checking the file every poll instead",
				slog.String("file", s.path), slog.String("dir", dir), slog.String("error", err.Error()))
			delete(s.dirs, dir)
			continue
		}
		if watched {
			s.logger.LogAttrs(ctx, slog.LevelInfo, "corskit: watching the policy file's directory again, after it was replaced",
				slog.String("file", s.path), slog.String("dir", dir))
		}
		s.dirs[dir] = fi
	}
	for dir := range s.dirs {
		if !want[dir] {
			_ = s.w.Remove(dir)
			delete(s.dirs, dir)
		}
	}
	s.names = names
	if len(s.dirs) == 0 && len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

// fileChanged reports whether the file path reads differs in size,
// modification time or identity from when it was last checked.
func (s *watchSet) fileChanged() bool {
	fi, err := os.Stat(s.path)
	if err != nil {
		fi = nil
	}
	old := s.file
	s.file = fi
	switch {
	case old == nil || fi == nil:
		return old != fi
	default:
		return !os.SameFile(old, fi) || old.Size() != fi.Size() || !old.ModTime().Equal(fi.ModTime())
	}
}

// resolve returns path, absolute, and every name met while following its
// symlinks: each link, and each path it leads to, the file's last.
func resolve(path string) []string {
	p, err := filepath.Abs(path)
	if err != nil {
		return []string{filepath.Clean(path)}
	}
	chain := []string{p}
	for hops := 0; hops < 40; hops++ {
		link, target, ok := firstLink(p)
		if !ok {
			break
		}
		p = filepath.Join(target, strings.TrimPrefix(p, link))
		chain = append(chain, link, p)
	}
	return chain
}

// firstLink finds the first component of the absolute path p that is a
// symlink, and the absolute path it points to.
func firstLink(p string) (link, target string, ok bool) {
	for i := 1; i <= len(p); i++ {
		if i < len(p) && p[i] != filepath.Separator {
			continue
		}
		prefix := p[:i]
		fi, err := os.Lstat(prefix)
		if err != nil {
			return "", "", false
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			continue
		}
		t, err := os.Readlink(prefix)
		if err != nil {
			return "", "", false
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(prefix), t)
		}
		return prefix, filepath.Clean(t), true
	}
	return "", "", false
}
