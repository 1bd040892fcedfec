package main_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestServe_MetricsAndGracefulShutdown runs the demo server, reads
// /healthz, /readyz and /metrics after a little traffic, then sends
// SIGTERM in the middle of a bounded load (8 clients creating tickets on
// loopback) with a browser's event stream open: the server exits 0 within
// the drain time, the stream ends, and after a restart every ticket that
// was answered 201 is there.
func TestServe_MetricsAndGracefulShutdown(t *testing.T) {
	bin := buildBinary(t)
	data := t.TempDir()
	cmd := exec.Command(bin, "serve", "--demo", "--data", data, "--addr", "127.0.0.1:0", "--drain", "5s")
	cmd.Env = append(cmd.Environ(), "HOTLINE_DEMO_TICKETS=20", "HOTLINE_DEMO_CALLS=30", "HOTLINE_DEMO_HISTORY=0")
	base := startCmd(t, cmd)
	get := func(path, token string) (int, string) { return getStatus(t, base+path, token) }
	for _, p := range []string{"/healthz", "/readyz"} {
		if code, body := get(p, ""); code != 200 {
			t.Errorf("%s: %d %s", p, code, body)
		}
	}
	agent := login(t, base, "agent")
	post(t, base+"/api/v1/auth/login", "", map[string]string{"username": "agent", "password": "wrong-pass1"})
	get("/api/v1/tickets?page_size=5", agent.token)
	_, m := get("/metrics", "")
	for _, family := range []string{`hotline_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/tickets",status="200"`,
		`hotline_tickets{status="archived"}`, "hotline_event_streams", "hotline_login_failures_total 1", `hotline_job_duration_seconds_count{job="sweep"}`,
		`hotline_job_backlog{job="indexer"}`, `go_sql_open_connections{db_name="write"}`, "go_goroutines"} {
		if !strings.Contains(m, family) {
			t.Errorf("/metrics lacks %s", family)
		}
	}
	if strings.Contains(m, "/api/v1/tickets/1") {
		t.Error("a metric is labelled with a path (ids), not the route")
	}

	// The browser's live page.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+agent.token)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	streamEnded := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stream.Body)
		for sc.Scan() {
		}
		close(streamEnded)
	}()

	var mu sync.Mutex
	var created []string
	answered := map[int]int{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				status, tk := postQuiet(base+"/api/v1/tickets", agent.token, map[string]any{"channel": "phone", "appeal_kind": "help",
					"category_id": 34, "urgency": "normal", "title": fmt.Sprintf("停水 %d-%d", w, i), "content": "凤凰街停水",
					"requester": map[string]any{"name": "王五", "phone": "13912345678"}, "location": map[string]any{"address": "凤凰街"}, "submit": true})
				mu.Lock()
				answered[status]++
				if status == 201 {
					created = append(created, tk["number"].(string))
				}
				mu.Unlock()
				if status == 0 { // no answer: the server has stopped accepting
					return
				}
			}
		}(w)
	}
	time.Sleep(1500 * time.Millisecond)
	began := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
		t.Logf("exited %s after SIGTERM", time.Since(began).Round(time.Millisecond))
	case <-time.After(8 * time.Second):
		t.Fatal("still running 8 s after SIGTERM (drain 5 s)")
	}
	close(stop)
	wg.Wait()
	select {
	case <-streamEnded:
	case <-time.After(time.Second):
		t.Error("the event stream outlived the server")
	}
	for status, n := range answered {
		if status != 201 && status != 0 && status != 503 {
			t.Errorf("%d requests answered %d during the shutdown", n, status)
		}
	}
	if len(created) < 20 {
		t.Fatalf("only %d tickets created before the shutdown (answers %v)", len(created), answered)
	}
	base2, _ := startServer(t, bin, data)
	lead := login(t, base2, "lead")
	have := map[string]bool{}
	for page := 1; ; page++ {
		var list struct {
			Items []struct{ Number string }
			Total int
		}
		lead.get(fmt.Sprintf("/api/v1/tickets?page_size=200&page=%d", page), &list)
		for _, it := range list.Items {
			have[it.Number] = true
		}
		if len(list.Items) < 200 {
			break
		}
	}
	for _, n := range created {
		if !have[n] {
			t.Errorf("ticket %s was answered 201 but is gone after the restart", n)
		}
	}
	t.Logf("%d tickets answered 201 before and during the shutdown, all there after the restart; answers %v", len(created), answered)
}

// postQuiet posts JSON and returns the status and body (0 without an
// answer: the server has stopped accepting).
func postQuiet(url, token string, body any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}
