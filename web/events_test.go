package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"hotline/sqldb/sqldbtest"
)

// readEvent waits for the next "event: ticket" on an SSE stream.
func readEvent(t *testing.T, sc *bufio.Scanner, within time.Duration) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		event := ""
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "event: ") {
				event = strings.TrimPrefix(line, "event: ")
			} else if strings.HasPrefix(line, "data: ") && event == "ticket" {
				got <- strings.TrimPrefix(line, "data: ")
				return
			}
		}
	}()
	select {
	case d := <-got:
		return d
	case <-time.After(within):
		t.Fatal("no ticket event arrived")
		return ""
	}
}

func subscribe(t *testing.T, url, token string) *bufio.Scanner {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return bufio.NewScanner(resp.Body)
}

// TestEvents_AcrossInstances runs two server instances on one database (on
// PostgreSQL when it is configured: LISTEN/NOTIFY carries the change from
// one instance to the other) and watches a change made on the first
// arrive on the second's event stream — for the centre, and for the unit
// the ticket is dispatched to, but not for another unit.
func TestEvents_AcrossInstances(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			a := MustServerOn(t, d)
			second, listening := a.liveSecond(d)
			lead := subscribe(t, second, a.tokens["lead"])
			water := subscribe(t, second, a.tokens["util-water"])
			power := subscribe(t, second, a.tokens["util-power"])
			<-listening // the second instance receives the first's changes
			tk := a.newTicket(map[string]any{"submit": true})
			if got := readEvent(t, lead, 10*time.Second); !strings.Contains(got, fmt.Sprintf(`"ticket_id":%d`, tk.ID)) {
				t.Fatalf("centre got %s", got)
			}
			a.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk.ID), map[string]any{"lead_unit_id": a.units["util-water"]}, 200, nil)
			if got := readEvent(t, water, 10*time.Second); !strings.Contains(got, `"action":"dispatch"`) {
				t.Fatalf("unit got %s", got)
			}
			// The other unit hears nothing of it: the next event it sees is
			// about a ticket dispatched to it.
			tk2 := a.newTicket(map[string]any{"submit": true})
			a.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk2.ID), map[string]any{"lead_unit_id": a.units["util-power"]}, 200, nil)
			if got := readEvent(t, power, 10*time.Second); !strings.Contains(got, fmt.Sprintf(`"ticket_id":%d`, tk2.ID)) {
				t.Fatalf("other unit got %s", got)
			}
		})
	}
}
