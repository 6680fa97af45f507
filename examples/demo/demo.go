package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corskit/corskit/core"
)

// options are the demo's flags.
type options struct {
	framework  string // a key of frameworks
	host       string // "localhost"
	apiPort    int    // 9999; 0 picks a free port
	clientPort int    // 1111
	deniedPort int    // 2222
	policyFile string // a JSON or YAML policy file, reloaded on change; "" uses policy()
}

// A framework builds the API server with one web framework: the routes,
// corskit in front of them through the adapter's Dynamic constructor
// registered the way the adapter documents, and the journal in front of
// everything. Each framework_*.go file adds one.
type framework func(routes []route, h *core.Holder, j *journal) server

var frameworks = map[string]framework{}

// A server is an http.Server or its equivalent.
type server interface {
	Serve(net.Listener) error
	// Shutdown stops accepting and waits for the connections in use until
	// ctx ends.
	Shutdown(context.Context) error
	// Close closes every connection left.
	Close() error
}

// A demo is the three running servers.
type demo struct {
	API, Client, Denied string // the origins, such as "http://localhost:9999"
	Framework           string

	policy    atomic.Pointer[[]string] // the policy, described for the page
	holder    *core.Holder
	stopWatch context.CancelFunc // stops reloading the policy file
	journal   *journal
	servers   []server
	errc      chan error // a server that stopped on its own
}

// start listens on the three ports and serves the API, the client page and
// the denied page. Log lines go to logw.
func start(o options, logw io.Writer) (*demo, error) {
	mk, ok := frameworks[o.framework]
	if !ok {
		return nil, fmt.Errorf("unknown framework %q; choose one of %s", o.framework, strings.Join(frameworkNames(), ", "))
	}
	var lns []net.Listener
	closeAll := func() {
		for _, ln := range lns {
			ln.Close()
		}
	}
	for _, port := range []int{o.apiPort, o.clientPort, o.deniedPort} {
		ln, err := net.Listen("tcp", net.JoinHostPort(o.host, strconv.Itoa(port)))
		if err != nil {
			closeAll()
			return nil, err
		}
		lns = append(lns, ln)
	}
	origin := func(ln net.Listener) string {
		return "http://" + net.JoinHostPort(o.host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	}
	d := &demo{
		API: origin(lns[0]), Client: origin(lns[1]), Denied: origin(lns[2]),
		Framework: o.framework,
		journal:   &journal{out: logw},
		errc:      make(chan error, len(lns)),
	}

	// The policy comes from policy() or the policy file; corskit logs each
	// refusal through the journal, to the terminal and to the page.
	holder, err := d.loadPolicy(o.policyFile, slog.New(slog.NewTextHandler(d.journal, nil)))
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("the demo's policy: %w", err)
	}
	d.holder = holder

	routes := append(newBlog().routes(), route{"GET", "/debug/log", d.journal.serve})
	d.servers = []server{
		mk(routes, holder, d.journal),
		newHTTPServer(d.clientPage()),
		newHTTPServer(d.deniedPage()),
	}
	for i, srv := range d.servers {
		go func() {
			if err := srv.Serve(lns[i]); err != nil && !errors.Is(err, http.ErrServerClosed) {
				d.errc <- err
			}
		}()
	}
	return d, nil
}

// Err returns a channel that receives the error of a server that stopped.
func (d *demo) Err() <-chan error { return d.errc }

// Shutdown stops the servers. It lets requests in flight finish until ctx
// ends, then closes the connections left: browsers keep spare connections
// open that never carry a request, and a graceful shutdown would wait for
// them.
func (d *demo) Shutdown(ctx context.Context) error {
	if d.stopWatch != nil {
		d.stopWatch()
	}
	var wg sync.WaitGroup
	errs := make([]error, len(d.servers))
	for i, srv := range d.servers {
		wg.Go(func() {
			if err := srv.Shutdown(ctx); err != nil {
				errs[i] = srv.Close()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
}

func frameworkNames() []string {
	var names []string
	for name := range frameworks {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
