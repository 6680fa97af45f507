package browser

import (
	"bytes"
	"sync"
)

// A lineWatcher reads a program's output for the first line that starts
// with prefix, and sends the rest of that line on found.
type lineWatcher struct {
	prefix []byte
	found  chan string // buffered: one value, once

	mu   sync.Mutex
	line []byte // the line so far
	done bool
}

// maxWatchedLine bounds the part of a line the watcher keeps.
const maxWatchedLine = 4 << 10

func newLineWatcher(prefix string) *lineWatcher {
	return &lineWatcher{prefix: []byte(prefix), found: make(chan string, 1)}
}

func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for rest := p; len(rest) > 0 && !w.done; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			w.line = append(w.line, rest...)
			if len(w.line) > maxWatchedLine {
				w.line = w.line[:maxWatchedLine]
			}
			break
		}
		w.line = append(w.line, rest[:i]...)
		rest = rest[i+1:]
		if after, ok := bytes.CutPrefix(bytes.TrimRight(w.line, "\r"), w.prefix); ok {
			w.found <- string(after)
			w.done = true
		}
		w.line = w.line[:0]
	}
	return len(p), nil
}
