// Command demo runs the blog API of "CORS in Action", chapter 6, behind
// corskit, with its client page on a second origin and a page the API does
// not allow on a third:
//
//	go -C examples run ./demo                    # net/http
//	go -C examples run ./demo -framework gin     # or echo, echov5, fiber, fiberv3
//	go -C examples run ./demo -policy cors.yaml  # the policy from a file, reloaded on change
//
// Open http://localhost:1111 and press the buttons: each makes one kind of
// cross-origin request, and the page shows whether the browser let it read
// the answer, the headers the API sent, and the line corskit logged when it
// refused. The same lines appear in the terminal.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.framework, "framework", "nethttp", "the framework that serves the API: "+strings.Join(frameworkNames(), ", "))
	flag.StringVar(&o.host, "host", "localhost", "the host name of the three origins")
	flag.IntVar(&o.apiPort, "api-port", 9999, "the API's port (0: any free port)")
	flag.IntVar(&o.clientPort, "client-port", 1111, "the client page's port, the origin the API allows")
	flag.IntVar(&o.deniedPort, "denied-port", 2222, "the port of a page the API does not allow")
	flag.StringVar(&o.policyFile, "policy", "", "a JSON or YAML policy file (see core/policyfile), reloaded when it changes or on SIGHUP; default: policy() in policy.go")
	flag.Parse()
	log.SetFlags(0)
	if err := run(o); err != nil {
		log.Fatalf("demo: %v", err)
	}
}

// run serves the demo until Ctrl-C, SIGTERM or a server failure.
func run(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	d, err := start(o, os.Stderr)
	if err != nil {
		return err
	}
	fmt.Printf(`corskit demo, the API served with %s

  open the client page:  %s
  the blog API:          %s/api/posts
  the denied origin:     %s

corskit logs each refused request here. Ctrl-C stops.
`, d.Framework, d.Client, d.API, d.Denied)

	var failed error
	select {
	case <-ctx.Done():
	case failed = <-d.Err():
	}
	stop() // from now on, a second Ctrl-C kills at once
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Shutdown(shutdownCtx); err != nil && failed == nil {
		failed = fmt.Errorf("shutting down: %w", err)
	}
	return failed
}
