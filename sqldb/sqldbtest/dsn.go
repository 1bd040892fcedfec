// Package sqldbtest gives tests and benchmarks fresh databases: a temporary
// SQLite file, or a new schema in the PostgreSQL named by
// HOTLINE_TEST_POSTGRES.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"

	"hotline/files"
	"hotline/keyring"
	"hotline/sqldb"
	"hotline/zhsearch"
)

// Dialects lists the databases a suite runs on: SQLite always, PostgreSQL
// when HOTLINE_TEST_POSTGRES is set.
func Dialects() []string {
	if os.Getenv("HOTLINE_TEST_POSTGRES") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// DSN returns the DSN of a fresh, empty database of the dialect, removed
// when the test ends.
func DSN(tb testing.TB, dialect string) string {
	tb.Helper()
	if dialect == "sqlite" {
		return filepath.Join(tb.TempDir(), "hotline.db")
	}
	base := os.Getenv("HOTLINE_TEST_POSTGRES")
	if base == "" {
		tb.Fatal("HOTLINE_TEST_POSTGRES is not set")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// masterKey is this test process's master key: every database a test opens
// and reopens uses it. HOTLINE_TEST_MASTER_KEY fixes it, for benchmark
// databases kept from one run to the next.
var masterKey = func() []byte {
	s := os.Getenv("HOTLINE_TEST_MASTER_KEY")
	if s == "" {
		s = keyring.GenerateMasterKey()
	}
	k, err := keyring.ParseMasterKey(s)
	if err != nil {
		panic("HOTLINE_TEST_MASTER_KEY: " + err.Error())
	}
	return k
}()

// Config returns the configuration tests open databases with.
func Config() sqldb.Config { return sqldb.Config{MasterKey: masterKey, Dictionary: dictionary} }

// dictionary is this test process's segmenter dictionary, shared by every
// database a test opens (as a server shares one): it is 130 MB.
var dictionary = zhsearch.NewDictionary()

// Open opens the database at dsn with the test configuration, closed when
// the test ends.
func Open(tb testing.TB, dsn string) *sqldb.DB {
	tb.Helper()
	db, err := sqldb.Open(context.Background(), dsn, Config())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.Files = files.Dir{Root: filepath.Join(tb.TempDir(), "attachments")}
	return db
}
