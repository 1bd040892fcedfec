package sqldb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/demo"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// benchArticles makes n articles from the demo knowledge base: each a demo
// article's title with a district and a serial, its body followed by
// sentences of three other articles, so that every word of the demo
// vocabulary recurs in about n/200 articles, as in a big real base.
func benchArticles(tb testing.TB, n int) []*hotline.Article {
	seeds, err := demo.KBArticles()
	if err != nil {
		tb.Fatal(err)
	}
	districts := []string{"安源区", "湘东区", "莲花县", "上栗县", "芦溪县", "经开区", "武功山"}
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]*hotline.Article, n)
	for i := range out {
		s := seeds[i%len(seeds)]
		body := []string{s.Body}
		for k := 0; k < 3; k++ {
			other := seeds[rng.IntN(len(seeds))].Body
			body = append(body, strings.SplitN(other, "。", 2)[0]+"。")
		}
		out[i] = &hotline.Article{Title: fmt.Sprintf("%s（%s第%d号）", s.Title, districts[i%len(districts)], i),
			Body: strings.Join(body, "\n\n"), Answer: s.Answer, Kind: s.Kind, DocNumber: s.DocNumber}
	}
	return out
}

func benchQueries(tb testing.TB) []string {
	set, err := demo.KBRelevance()
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, c := range set {
		out = append(out, c.Query)
	}
	return out
}

func kbBenchSize() int {
	if n, err := strconv.Atoi(os.Getenv("HOTLINE_KB_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 100000
}

// BenchmarkKB indexes HOTLINE_KB_BENCH_N (100,000) generated articles, then
// runs the relevance set's queries against them; it reports indexing
// throughput and the search latency percentiles.
func BenchmarkKB(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			// HOTLINE_KB_BENCH_KEEP=FILE (SQLite), HOTLINE_KB_BENCH_KEEP_PG=DSN
			// (PostgreSQL, an existing schema in its search_path): build
			// the base there once, search it again on later runs.
			dsn := map[string]string{"sqlite": os.Getenv("HOTLINE_KB_BENCH_KEEP"), "postgres": os.Getenv("HOTLINE_KB_BENCH_KEEP_PG")}[d]
			kept := dsn != "" && hasRows(dsn, "kb_articles")
			if dsn == "" {
				dsn = sqldbtest.DSN(b, d)
				if d == "sqlite" {
					dsn = filepath.Join(b.TempDir(), "kb.db")
				}
			}
			db := sqldbtest.Open(b, dsn)
			admin := hotline.Actor{Role: hotline.RoleAdmin, Name: "bench"}
			var rate float64
			if !kept {
				arts := benchArticles(b, kbBenchSize())
				start := time.Now()
				if err := db.ImportArticles(ctx, admin, arts, true, nil); err != nil {
					b.Fatal(err)
				}
				rate = float64(len(arts)) / time.Since(start).Seconds()
			}
			// As the server does at start: the base into memory.
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			if err := db.LoadKBIndex(ctx); err != nil {
				b.Fatal(err)
			}
			load := time.Since(start)
			runtime.GC()
			runtime.ReadMemStats(&after)
			queries := benchQueries(b)
			agent := hotline.Actor{Role: hotline.RoleCallAgent}
			timeQueries(b, queries, os.Getenv("HOTLINE_KB_BENCH_VERBOSE") != "", func(q string) error {
				_, _, err := db.SearchArticles(ctx, agent, sqldb.ArticleSearch{Q: q, PageSize: 10})
				return err
			})
			// After the timing: b.Loop resets the metrics reported before it.
			if rate > 0 {
				b.ReportMetric(rate, "articles/s-indexed")
			}
			b.ReportMetric(load.Seconds(), "s-load-memory")
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-memory")
		})
	}
}
