package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"hotline"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
	"hotline/web"
)

// addUser creates and logs in one more user of the test city.
func (e *env) addUser(name string, role hotline.Role, unit int64) {
	e.tb.Helper()
	u := &hotline.User{Username: name, Role: role, UnitID: unit}
	if err := e.db.CreateUser(context.Background(), sqldb.SystemActor, u, "hotline12345"); err != nil {
		e.tb.Fatal(err)
	}
	var out struct{ Token string }
	e.call("", "POST", "/api/v1/auth/login", map[string]string{"username": name, "password": "hotline12345"}, 200, &out)
	e.tokens[name] = out.Token
}

// peer starts a second server on the same database, with its own handle
// and caches: another instance behind the load balancer.
func (e *env) peer() *env {
	e.tb.Helper()
	db2 := sqldbtest.Open(e.tb, e.dsn)
	srv := httptest.NewServer(web.NewServer(db2, slog.New(slog.NewTextHandler(io.Discard, nil))))
	e.tb.Cleanup(srv.Close)
	return &env{tb: e.tb, dsn: e.dsn, srv: srv, db: db2, tokens: e.tokens, units: e.units, cat: e.cat}
}

// liveSecond is the server whose event streams see the first's changes:
// a peer on PostgreSQL (LISTEN/NOTIFY between instances), the same server
// on SQLite (one process); and when its changes start arriving.
func (e *env) liveSecond(dialect string) (string, <-chan struct{}) {
	if dialect != "postgres" {
		return e.srv.URL, e.db.Listening()
	}
	p := e.peer()
	return p.srv.URL, p.db.Listening()
}

// userID returns the id of a user of the test city.
func (e *env) userID(name string) int64 {
	e.tb.Helper()
	u, err := e.db.FindUserByUsername(context.Background(), name)
	if err != nil {
		e.tb.Fatal(err)
	}
	return u.ID
}

// get sends a GET as who and returns the status and body, without failing.
func (e *env) get(who, path string) (int, string) {
	code, b := e.fetch(who, "GET", path)
	return code, string(b)
}

// TestPrivacy_PhoneEnumerationFails is the attack of the security review:
// the mask shows 139****5678, so 10,000 queries over the hidden digits
// would recover the number. As analyst, inspector, supervisor and a unit
// user every query is refused; as a call agent (who may look callers up)
// the limit stops the run long before the number; in each case the alert
// reaches the admins. The list filter by phone is gone for everyone.
func TestPrivacy_PhoneEnumerationFails(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			e := MustServerOn(t, d)
			e.addUser("analyst", hotline.RoleAnalyst, 0)
			e.addUser("inspector", hotline.RoleInspector, 0)
			e.addUser("supervisor", hotline.RoleSupervisor, 0)
			const secret = "13912345678" // 139****5678 behind the mask
			tk := e.newTicket(map[string]any{"submit": true, "confidential": true})
			e.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk.ID), map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)

			for _, who := range []string{"analyst", "inspector", "supervisor", "util-water", "agent"} {
				if code, body := e.get(who, "/api/v1/tickets?phone="+secret); code != 400 || strings.Contains(body, tk.Number) {
					t.Errorf("%s: the list still filters by phone: %d %s", who, code, body)
				}
			}
			attack := func(who string) map[int]int {
				statuses := map[int]int{}
				var mu sync.Mutex
				var wg sync.WaitGroup
				next := make(chan int)
				for w := 0; w < 8; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range next {
							code, body := e.get(who, fmt.Sprintf("/api/v1/caller-history?phone=139%04d5678", i))
							mu.Lock()
							statuses[code]++
							if strings.Contains(body, tk.Number) {
								t.Errorf("%s recovered the number at try %d: %s", who, i, body)
							}
							mu.Unlock()
						}
					}()
				}
				for i := 0; i < 10000; i++ {
					next <- i
				}
				close(next)
				wg.Wait()
				return statuses
			}
			for _, who := range []string{"analyst", "inspector", "supervisor", "util-water"} {
				if got := attack(who); got[403] != 10000 {
					t.Errorf("%s: statuses %v, want 10000 refusals", who, got)
				}
			}
			got := attack("agent")
			if got[200] != 30 || got[429] != 9970 {
				t.Errorf("call agent: statuses %v, want 30 answered and the rest limited", got)
			}
			alerts, err := e.db.FindAlerts(context.Background(), hotline.Actor{Role: hotline.RoleAdmin})
			if err != nil {
				t.Fatal(err)
			}
			alerted := map[int64]bool{}
			for _, a := range alerts {
				alerted[a.UserID] = a.Kind == sqldb.AlertLookupBurst
			}
			users, _ := e.db.FindUsers(context.Background())
			for _, u := range users {
				for _, who := range []string{"analyst", "inspector", "supervisor", "util-water", "agent"} {
					if u.Username == who && !alerted[u.ID] {
						t.Errorf("no alert for %s's burst of lookups (alerts %+v)", who, alerts)
					}
				}
			}
			// The admin's home page shows the alert.
			if code, body := e.get("admin", "/"); code != 200 || !strings.Contains(body, "来电历史") {
				t.Errorf("admin home page without the alert: %d", code)
			}
			// The audit log has the lookups by masked number and hash, and
			// never a number.
			entries, _, _ := e.db.FindAudit(context.Background(), hotline.Actor{Role: hotline.RoleAdmin}, sqldb.AuditFilter{Action: "caller.", PageSize: 200})
			if len(entries) < 30 {
				t.Errorf("%d caller-lookup audit entries, want the 30 lookups at least", len(entries))
			}
			digits, hashes := regexp.MustCompile(`[0-9]{7,}`), regexp.MustCompile(`#[0-9a-f]+`)
			for _, en := range entries {
				if digits.MatchString(hashes.ReplaceAllString(en.Target+en.Detail, "")) {
					t.Errorf("audit entry with a number: %+v", en)
				}
			}
		})
	}
}
