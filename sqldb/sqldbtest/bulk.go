package sqldbtest

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// Spread varies the copies of CopyTickets: copy i goes to unit
// UnitIDs[i % len] with status Statuses[i % len]; copies in a closed status
// have no deadline.
type Spread struct {
	UnitIDs  []int64
	Statuses []string
}

// CopyTickets copies ticket fromID n times in one statement, for volume
// benchmarks: the copies get numbers B<fromID>-1…n, creation times one second
// apart going back from the original's, and next deadlines one minute
// apart from due0 (warning an hour before). With a spread, units and
// statuses vary as it says; otherwise they are the original's.
func CopyTickets(tb testing.TB, dsn string, fromID int64, n int, due0 time.Time, spread ...Spread) {
	tb.Helper()
	raw, driver := rawDB(tb, dsn)
	defer raw.Close()
	const cols = `channel, appeal_kind, category_id, urgency, title, content, requester_anonymous, requester_name,
		requester_phone, requester_address, requester_phone_key, requester_key_id, location_address, location_unit_id, confidential,
		owner_id, updated_at, dispatched_at, ack_due_at, reply_start_at, reply_due_at, next_due_kind, sla_state`
	units, statuses := "SELECT 0 AS i, lead_unit_id AS id FROM tickets WHERE id = "+fmt.Sprint(fromID),
		"SELECT 0 AS i, status AS st FROM tickets WHERE id = "+fmt.Sprint(fromID)
	nu, ns := 1, 1
	if len(spread) > 0 {
		var us, ss []string
		for i, u := range spread[0].UnitIDs {
			us = append(us, fmt.Sprintf("SELECT %d AS i, CAST(%d AS BIGINT) AS id", i, u))
		}
		for i, st := range spread[0].Statuses {
			ss = append(ss, fmt.Sprintf("SELECT %d AS i, '%s' AS st", i, st))
		}
		units, statuses, nu, ns = strings.Join(us, " UNION ALL "), strings.Join(ss, " UNION ALL "), len(us), len(ss)
	}
	due := fmt.Sprintf("CASE WHEN st.st IN ('concluded', 'archived', 'merged', 'cancelled', 'accepted', 'pending_dispatch') THEN NULL ELSE %d + CAST(n AS BIGINT) * 60000 END", due0.UnixMilli())
	q := fmt.Sprintf(`WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %d),
		u AS (%s), st AS (%s)
		INSERT INTO tickets (number, created_at, next_due_at, next_warn_at, lead_unit_id, status, %s)
		SELECT 'B%d-' || n, created_at - CAST(n AS BIGINT) * 1000, %s, %s - 3600000, u.id, st.st, %s
		FROM s JOIN u ON u.i = n %% %d JOIN st ON st.i = n %% %d, tickets WHERE tickets.id = %d`,
		n, units, statuses, cols, fromID, due, due, cols, nu, ns, fromID)
	if _, err := raw.Exec(q); err != nil {
		tb.Fatal(err)
	}
	analyze(raw, driver)
}

// CopyTicketRange copies every ticket with an id in [first, last] copies
// times in one statement (numbers C<id>-1…copies, creation times a second
// apart going back), keeping status, units and deadlines: volume with the
// variety of the originals' texts. Statistics are refreshed once at the
// end.
func CopyTicketRange(tb testing.TB, dsn string, first, last int64, copies int) {
	tb.Helper()
	raw, driver := rawDB(tb, dsn)
	defer raw.Close()
	const cols = `channel, appeal_kind, category_id, urgency, title, content, requester_anonymous, requester_name,
		requester_phone, requester_address, requester_phone_key, requester_key_id, location_address, location_unit_id, confidential,
		owner_id, updated_at, dispatched_at, ack_due_at, reply_start_at, reply_due_at, next_due_kind, sla_state, next_due_at,
		next_warn_at, lead_unit_id, status`
	q := fmt.Sprintf(`WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %d)
		INSERT INTO tickets (number, created_at, %s)
		SELECT 'C' || tickets.id || '-' || n, created_at - CAST(n AS BIGINT) * 1000, %s
		FROM s, tickets WHERE tickets.id BETWEEN %d AND %d`, copies, cols, cols, first, last)
	if _, err := raw.Exec(q); err != nil {
		tb.Fatal(err)
	}
	analyze(raw, driver)
}

// rawDB opens dsn without the hotline's layer, for bulk statements.
func rawDB(tb testing.TB, dsn string) (*sql.DB, string) {
	tb.Helper()
	driver, src := "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)"
	if strings.HasPrefix(dsn, "postgres") {
		driver, src = "pgx", dsn
	}
	raw, err := sql.Open(driver, src)
	if err != nil {
		tb.Fatal(err)
	}
	return raw, driver
}

// analyze refreshes the planner's statistics after a bulk insert.
func analyze(raw *sql.DB, driver string) {
	if driver == "pgx" {
		raw.Exec(`ANALYZE tickets`)
	} else {
		raw.Exec(`ANALYZE`)
	}
}

// Exec runs statements on the database directly (bulk loads for
// benchmarks), then refreshes the planner's statistics.
func Exec(tb testing.TB, dsn string, queries ...string) {
	tb.Helper()
	raw, _ := rawDB(tb, dsn)
	defer raw.Close()
	for _, q := range queries {
		if _, err := raw.Exec(q); err != nil {
			tb.Fatalf("%v: %.200s", err, q)
		}
	}
	raw.Exec(`ANALYZE`)
}
