package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hotline/sqldb"
)

// BenchmarkCallIngest posts call events to the webhook over loopback HTTP
// (SQLite), from 8 clients at once as a busy platform would: one event per
// request, and batches of 50. Reported as events/s.
func BenchmarkCallIngest(b *testing.B) {
	for _, batch := range []int{1, 50} {
		b.Run(fmt.Sprintf("batch_%d", batch), func(b *testing.B) {
			e := MustServer(b)
			_, key, err := e.db.AddAPIKey(context.Background(), sqldb.SystemActor, "pbx", sqldb.ScopeCTI)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
			var next atomic.Int64
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
			b.ResetTimer()
			var wg sync.WaitGroup
			per := (b.N + 7) / 8
			began := time.Now()
			for w := 0; w < 8; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for sent := 0; sent < per; sent += batch {
						var evs []map[string]string
						for i := 0; i < batch; i++ {
							n := next.Add(1)
							kind := []string{"offered", "answered", "ended"}[n%3]
							ev := map[string]string{"call_id": fmt.Sprintf("c%d", n/3), "event": kind,
								"at": start.Add(time.Duration(n) * time.Second).Format(time.RFC3339), "caller": fmt.Sprintf("139%08d", n/3%100000000)}
							if kind == "answered" {
								ev["agent"] = "agent"
							}
							evs = append(evs, ev)
						}
						var body []byte
						if batch == 1 {
							body, _ = json.Marshal(evs[0])
						} else {
							body, _ = json.Marshal(evs)
						}
						req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/cti/events", bytes.NewReader(body))
						req.Header.Set("Authorization", "Bearer "+key)
						resp, err := client.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						resp.Body.Close()
						if resp.StatusCode != 200 {
							b.Errorf("status %d", resp.StatusCode)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(per*8)/time.Since(began).Seconds(), "events/s")
		})
	}
}
