package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
)

// BenchmarkCallIngest posts call events to the webhook over loopback HTTP
// (SQLite), from 8 clients at once as a busy platform would: one event per
// request, and batches of 50. Reported as events/s.
func BenchmarkCallIngest(b *testing.B) {
	for _, batch := range []int{1, 50} {
		b.Run(fmt.Sprintf("batch_%d", batch), func(b *testing.B) {
			e := MustServer(b)
			key := e.ctiKey()
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

// BenchmarkWall renders the team lead's wall (server time, no network) for
// 50 agents with 30 days of calls behind them (60,000) while the platform
// posts 20 events a second.
func BenchmarkWall(b *testing.B) {
	e := MustServer(b)
	ctx := context.Background()
	key := e.ctiKey()
	for i := 0; i < 50; i++ { // not logged in: the login limit would refuse 50 at once
		if err := e.db.CreateUser(ctx, sqldb.SystemActor, &hotline.User{Username: fmt.Sprintf("seat%02d", i), Role: hotline.RoleCallAgent}, "hotline12345"); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now().Add(-30 * 24 * time.Hour)
	var batch []hotline.CallEvent
	for i := 0; i < 60_000; i++ {
		at, id, agent := start.Add(time.Duration(i)*43*time.Second), fmt.Sprintf("h%d", i), fmt.Sprintf("seat%02d", i%50)
		batch = append(batch, hotline.CallEvent{CallID: id, Event: hotline.CallOffered, At: at, Caller: "13907990001"},
			hotline.CallEvent{CallID: id, Event: hotline.CallAnswered, At: at.Add(9 * time.Second), Agent: agent},
			hotline.CallEvent{CallID: id, Event: hotline.CallEnded, At: at.Add(300 * time.Second)})
		if len(batch) >= 999 {
			if _, err := e.db.IngestCallEvents(ctx, "bench", batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	stop := make(chan struct{})
	var posted atomic.Int64
	go func() { // 20 events a second: calls offered, answered and ended
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			id, kind := fmt.Sprintf("live%d", n/3), []string{"offered", "answered", "ended"}[n%3]
			ev := map[string]string{"call_id": id, "event": kind, "at": time.Now().Format(time.RFC3339Nano), "caller": "13907990002"}
			if kind == "answered" {
				ev["agent"] = fmt.Sprintf("seat%02d", n/3%50)
			}
			if code, _ := e.postEvents(key, ev); code == 200 {
				posted.Add(1)
			}
		}
	}()
	began := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code, page := e.get("lead", "/calls/wall"); code != 200 || !strings.Contains(page, "seat49") {
			b.Fatalf("wall: %d", code)
		}
	}
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(posted.Load())/time.Since(began).Seconds(), "events/s")
}
