package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// BenchmarkPortal_Submit files citizens' appeals through real HTTP from
// 32 concurrent clients, limits off (each phone's code issued before the
// clock starts, as the texts would have been), with the receipt texted
// to the file gateway; reports appeals/s and latency percentiles.
func BenchmarkPortal_Submit(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(d, func(b *testing.B) {
			p := mustPortal(b, d, 0)
			ctx := context.Background()
			codes := make([]string, b.N)
			for i := range codes {
				c, err := p.db.Portal().IssueCode(ctx, fmt.Sprintf("139%08d", i), sqldb.CodeSubmit)
				if err != nil {
					b.Fatal(err)
				}
				codes[i] = c
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
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
					form := url.Values{"kind": {"complaint"}, "category_id": {strconv.FormatInt(p.cat, 10)}, "title": {"小区路灯不亮"},
						"content": {"金典城小区东门路灯坏了一个月，晚上出行不便。"}, "place": {"安源区金典城小区"}, "name": {"李四"},
						"phone": {fmt.Sprintf("139%08d", i)}, "code": {codes[i]}}
					t0 := time.Now()
					resp, err := client.Post(p.srv.URL+"/portal/appeal", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
					if err != nil {
						b.Error(err)
						return
					}
					resp.Body.Close()
					mine = append(mine, time.Since(t0))
					if resp.StatusCode != 303 {
						b.Errorf("status %d", resp.StatusCode)
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
			pct := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "appeals/s")
			b.ReportMetric(pct(0.50), "p50_ms")
			b.ReportMetric(pct(0.99), "p99_ms")
		})
	}
}
