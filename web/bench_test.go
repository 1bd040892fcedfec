package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hotline/jobs"
	"hotline/metrics"
	"hotline/sqldb/sqldbtest"
)

// BenchmarkAPI_CreateTicket posts tickets through real HTTP from 32
// concurrent clients (b.SetParallelism on 2 cores) and reports tickets/s
// and latency percentiles, with the search indexer running beside.
func BenchmarkAPI_CreateTicket(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(d, func(b *testing.B) {
			e := MustServerOn(b, d)
			// As `hotline serve` runs it: metrics and the access log on.
			e.server.Metrics, e.server.AccessLog = metrics.New(), true
			// The search indexer runs as in `hotline serve`: it indexes
			// the new tickets in batches while they are being accepted.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := e.db.LoadAnalyzer(ctx); err != nil { // as the indexer does at start
				b.Fatal(err)
			}
			go (&jobs.TicketIndexer{DB: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Run(ctx)
			body, _ := json.Marshal(map[string]any{"channel": "phone", "appeal_kind": "complaint", "category_id": e.cat, "urgency": "normal",
				"title": "小区停水", "content": "凤凰街小区停水两天，无人处理，请尽快恢复供水。", "submit": true,
				"requester": map[string]any{"name": "王五", "phone": "13912345678", "address": "凤凰街2号"},
				"location":  map[string]any{"address": "安源区凤凰街"}})
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			lat, elapsed := runLoad(b, "tickets/s", func(int) error {
				req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/tickets", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+e.tokens["agent"])
				resp, err := client.Do(req)
				if err != nil {
					return err
				}
				resp.Body.Close()
				if resp.StatusCode != 201 {
					return fmt.Errorf("status %d", resp.StatusCode)
				}
				return nil
			})
			pct := func(q float64) float64 { return pctMS(lat, q) }
			var indexed int64
			if err := e.db.IndexTickets(context.Background(), func(done, total int) { indexed = int64(total) }); err != nil {
				b.Fatal(err)
			}
			fmt.Printf("# %s: %d tickets left to index at the end\n", d, indexed)
			fmt.Printf("# %s: %d tickets, %.0f tickets/s, p50 %.1f ms, p99 %.1f ms\n", d, len(lat), float64(len(lat))/elapsed.Seconds(), pct(0.5), pct(0.99))
		})
	}
}

// runLoad runs do from 32 concurrent clients (b.SetParallelism on the
// machine's cores), do(i) with i counting from 0, timing each call, and
// reports calls/s as unit and the p50 and p99 latencies; it returns the
// latencies (sorted) and the elapsed time.
func runLoad(b *testing.B, unit string, do func(i int) error) ([]time.Duration, time.Duration) {
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(32 / max(1, runtimeProcs()))
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := int(next.Add(1) - 1)
			t0 := time.Now()
			err := do(i)
			mine = append(mine, time.Since(t0))
			if err != nil {
				b.Error(err)
				return
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), unit)
		b.ReportMetric(pctMS(lat, 0.50), "p50_ms")
		b.ReportMetric(pctMS(lat, 0.99), "p99_ms")
	}
	return lat, elapsed
}

// pctMS is the q quantile of sorted latencies, in milliseconds.
func pctMS(lat []time.Duration, q float64) float64 {
	return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000
}
