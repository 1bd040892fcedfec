package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hotline/sqldb/sqldbtest"
)

// TestJobs_ProgressSharedAcrossInstances runs two servers on one database
// (two processes' worth: separate handles and caches): a training run
// started on the first shows on the second while it runs, and both show
// the same outcome; so does a re-index of the knowledge base. (That a run
// is claimed once across servers: TestJobs_ClaimedOnce in sqldb.)
func TestJobs_ProgressSharedAcrossInstances(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			a := MustServerOn(t, d)
			b := a.peer()

			type models struct{ Training map[string]string }
			state := func(e *env) string {
				var m models
				e.call("admin", "GET", "/api/v1/dispatch/models", nil, 200, &m)
				return m.Training["unit"]
			}
			var started struct{ State string }
			a.call("admin", "POST", "/api/v1/dispatch/models/train", map[string]string{"target": "unit"}, 202, &started)
			// Training with no concluded tickets fails at once: on a busy
			// machine it may have failed before the answer was written.
			if started.State != "训练中" && !strings.Contains(started.State, "已办结工单只有") {
				t.Fatalf("training started as %q", started.State)
			}
			if st := state(b); st != "训练中" && !strings.Contains(st, "已办结工单只有") {
				t.Errorf("the second server shows %q while the first trains", st)
			}
			waitFor(t, func() bool { return state(a) != "训练中" })
			if sa, sb := state(a), state(b); sa != sb || !strings.Contains(sa, "已办结工单只有") {
				t.Errorf("outcome on the first server %q, on the second %q", sa, sb)
			}

			dict := func(e *env) string {
				var out struct{ Reindex string }
				e.call("admin", "GET", "/api/v1/kb/dictionary", nil, 200, &out)
				return out.Reindex
			}
			a.call("admin", "PUT", "/api/v1/kb/dictionary", map[string]any{"words": []string{"萍水相逢"}, "synonyms": []string{}}, 200, nil)
			waitFor(t, func() bool { return dict(b) == "完成" })
			if dict(a) != "完成" {
				t.Errorf("re-index: first server %q, second %q", dict(a), dict(b))
			}
		})
	}
}

// waitFor polls a condition for up to 20 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("the condition did not come true within 20 s")
}

// TestRef_CacheFollowsChanges: each server keeps the units, categories and
// users in memory; a unit added through one server shows on the other's
// next page (the reference counter moved), and so does a renamed user.
func TestRef_CacheFollowsChanges(t *testing.T) {
	a := MustServer(t)
	b := a.peer()
	if _, page := b.get("agent", "/intake"); strings.Contains(page, "湘东区") {
		t.Fatal("the district exists before it is added")
	}
	a.call("admin", "POST", "/api/v1/units", map[string]any{"code": "xiangdong", "name": "湘东区", "kind": "district", "parent_id": a.units["px"]}, 201, nil)
	if _, page := b.get("agent", "/intake"); !strings.Contains(page, "湘东区") {
		t.Error("the other server's intake page does not offer the new district")
	}
	// The ticket page names its owner (首接人) from the cached users: warm
	// the cache, rename the owner on the first server, look again.
	tk := a.newTicket(nil)
	ownerLine := func() string {
		_, page := b.get("lead", fmt.Sprintf("/tickets/%d", tk.ID))
		i := strings.Index(page, "首接人")
		return page[i : i+80]
	}
	if !strings.Contains(ownerLine(), ">agent<") {
		t.Fatalf("owner before the rename: %q", ownerLine())
	}
	var users struct {
		Items []struct {
			ID       int64
			Username string
		}
	}
	a.call("admin", "GET", "/api/v1/users", nil, 200, &users)
	for _, u := range users.Items {
		if u.Username == "agent" {
			a.call("admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", u.ID), map[string]any{"display_name": "话务员小周"}, 200, nil)
		}
	}
	if line := ownerLine(); !strings.Contains(line, "话务员小周") {
		t.Errorf("the other server's ticket page shows the owner's old name: %q", line)
	}
}
