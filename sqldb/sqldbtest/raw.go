package sqldbtest

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
)

// RawContents returns every byte a database holds, read around the
// application, for tests that look for plaintext: the SQLite file with its
// WAL and journal, or the text of every row of every table of the schema
// on PostgreSQL.
func RawContents(tb testing.TB, dsn string) []byte {
	tb.Helper()
	if !strings.HasPrefix(dsn, "postgres") {
		var all []byte
		for _, suffix := range []string{"", "-wal", "-journal"} {
			if b, err := os.ReadFile(dsn + suffix); err == nil {
				all = append(all, b...)
			}
		}
		if len(all) == 0 {
			tb.Fatal("no database file")
		}
		return all
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`)
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var t string
		rows.Scan(&t)
		tables = append(tables, t)
	}
	rows.Close()
	if len(tables) < 10 {
		tb.Fatalf("only %d tables in the schema", len(tables))
	}
	var buf bytes.Buffer
	for _, t := range tables {
		rs, err := raw.Query(fmt.Sprintf(`SELECT x::text FROM %q x`, t))
		if err != nil {
			tb.Fatal(err)
		}
		for rs.Next() {
			var s string
			rs.Scan(&s)
			buf.WriteString(s)
		}
		rs.Close()
	}
	return buf.Bytes()
}
