package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver, no cgo
)

// store is the table of allowed origins, in SQLite or PostgreSQL.
type store struct {
	db      *sql.DB
	dialect string // "sqlite" or "postgres"
}

// openStore opens the database named by dsn: a postgres:// URL, or else a
// SQLite file, created if missing. It creates the table if need be.
func openStore(ctx context.Context, dsn string) (*store, error) {
	s := &store{dialect: "sqlite"}
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.dialect, driver = "postgres", "pgx"
	} else if !strings.HasPrefix(dsn, "file:") {
		// Several processes may share the file: wait for each other's
		// locks, and let readers run while one writes.
		dsn = "file:" + dsn + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	s.db = db
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS cors_origins (
		origin   TEXT PRIMARY KEY,
		added_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: creating the table: %w", s.dialect, err)
	}
	return s, nil
}

// maxConns bounds the database connections of one instance (PostgreSQL
// allows 100 in all by default). The origin cache runs at most maxLookups
// lookups at once, leaving the rest to the admin endpoints.
const (
	maxConns   = 10
	maxLookups = 8
)

// q adapts a query written with PostgreSQL's $1 placeholder.
func (s *store) q(query string) string {
	if s.dialect == "sqlite" {
		return strings.ReplaceAll(query, "$1", "?")
	}
	return query
}

// allowed is the lookup behind the origin cache.
func (s *store) allowed(ctx context.Context, origin string) (bool, error) {
	var ok bool
	err := s.db.QueryRowContext(ctx, s.q(`SELECT EXISTS (SELECT 1 FROM cors_origins WHERE origin = $1)`), origin).Scan(&ok)
	return ok, err
}

func (s *store) add(ctx context.Context, origin string) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO cors_origins (origin) VALUES ($1) ON CONFLICT (origin) DO NOTHING`), origin)
	if err != nil {
		return err
	}
	return s.announce(ctx, origin)
}

func (s *store) remove(ctx context.Context, origin string) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM cors_origins WHERE origin = $1`), origin)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n > 0, s.announce(ctx, origin)
}

// announce tells every instance listening (see feed) that origin changed.
// SQLite has no such channel: there, other instances see a change within
// the TTL.
func (s *store) announce(ctx context.Context, origin string) error {
	if s.dialect != "postgres" {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, changesChannel, origin)
	return err
}

func (s *store) list(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT origin FROM cors_origins ORDER BY origin`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	origins := []string{}
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		origins = append(origins, o)
	}
	return origins, rows.Err()
}

func (s *store) Close() error { return s.db.Close() }
