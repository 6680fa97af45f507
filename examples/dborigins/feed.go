package main

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/corskit/corskit/core"
)

// changesChannel is the PostgreSQL notification channel on which every
// instance announces the origins it adds or removes.
const changesChannel = "cors_origins"

// feed keeps cache in step with the table through PostgreSQL's LISTEN and
// NOTIFY: every change made through any instance reaches every other one
// within moments, not within the TTL. When the notification connection
// drops, it says so, reconnects with backoff and purges the cache, since
// changes may have been missed meanwhile; until then the TTL bounds how
// stale an answer can be.
type feed struct {
	dsn    string
	cache  *core.OriginCache
	logger *slog.Logger
	pid    atomic.Uint32 // the listening connection's server process, for tests
}

// run listens until ctx is done.
func (f *feed) run(ctx context.Context) {
	const minBackoff = 100 * time.Millisecond
	backoff := minBackoff
	for first := true; ctx.Err() == nil; first = false {
		connected, err := f.listen(ctx, !first)
		if ctx.Err() != nil {
			return
		}
		if connected {
			backoff = minBackoff
		}
		f.logger.LogAttrs(ctx, slog.LevelWarn, "origin change feed lost; removed origins now apply within the TTL; reconnecting",
			slog.String("error", err.Error()), slog.Duration("retry_in", backoff))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// listen connects, listens and forgets every origin announced, until the
// connection fails or ctx is done. After a reconnection it purges the
// cache, as changes may have been announced while nobody listened.
func (f *feed) listen(ctx context.Context, again bool) (connected bool, err error) {
	conn, err := pgx.Connect(ctx, f.dsn)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return false, err
	}
	f.pid.Store(conn.PgConn().PID())
	if again {
		f.cache.Purge()
		f.logger.LogAttrs(ctx, slog.LevelInfo, "origin change feed back; cache purged")
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		f.cache.Forget(n.Payload)
	}
}
