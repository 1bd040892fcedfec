package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hotline"
)

// TicketFilter selects tickets for lists. Zero fields do not filter.
type TicketFilter struct {
	Status       []hotline.Status
	UnitID       int64 // lead or co-unit
	Overdue      *bool
	Channel      hotline.Channel
	AppealKind   hotline.AppealKind
	CategoryID   int64
	OwnerID      int64
	HandlerID    int64    // the unit's named handler (我经办的)
	Unassigned   bool     // no handler yet (未分配)
	Urged        bool     // the citizen urged it (市民催办)
	LeadUnitID   int64    // led by this unit (not as co-unit or child)
	SubUnitID    int64    // forwarded to this child unit (二级派单)
	SubStatus    []string // in these sub-dispatch states
	From, To     time.Time
	DueBefore    time.Time // next deadline before this (due soon)
	Pending      bool      // a unit's extension or suspension request awaits the centre
	ReturnReview bool      // a unit's return request awaits the centre (退单待审核)
	Callback     bool      // concluded and still owed a callback
	Archivable   bool      // concluded, called back and not unsatisfied: 待归档 (an unsatisfied one waits for a reopening or a team lead)
	Q            string    // words in the title, content or reply (all of them); newest first, totals stop above MaxTicketHits
	Sort         string    // "" newest first; "oldest"; "due" (next deadline first)
	Page         int       // 1-based
	PageSize     int       // default 20, at most 200
	CountOnly    bool      // only the total (a queue's tab): no page is read
}

// MaxTicketHits is where the total of a ticket search stops counting (it
// reports MaxTicketHits+1: "more than").
const MaxTicketHits = 1000

// FindTickets returns one page of the tickets the actor may see, newest
// first, masked for the actor, and how many match in all.
func (db *DB) FindTickets(ctx context.Context, actor hotline.Actor, f TicketFilter) ([]*hotline.Ticket, int, error) {
	if !actor.Centre() && (actor.Role != hotline.RoleUnit || actor.UnitID == 0) {
		return nil, 0, hotline.Errorf(hotline.EForbidden, "无权查看工单")
	}
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PageSize < 1 {
		f.PageSize = 20
	} else if f.PageSize > 200 {
		f.PageSize = 200
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	// A unit's tickets are those it leads or assists. An OR of the two
	// would scan every ticket; this reads the unit's own tickets through
	// the (lead_unit_id, status, next_due_at) index, with the other
	// conditions repeated inside, plus its (few) co-unit tickets.
	var units []string
	if actor.Role == hotline.RoleUnit {
		units = append(units, arg(actor.UnitID))
	}
	if f.UnitID != 0 {
		units = append(units, arg(f.UnitID))
	}
	if len(f.Status) > 0 {
		var ps []string
		for _, s := range f.Status {
			ps = append(ps, arg(s))
		}
		where = append(where, "status IN ("+strings.Join(ps, ", ")+")")
	}
	if f.Overdue != nil {
		if *f.Overdue {
			where = append(where, "next_due_at < "+arg(tx.now.UnixMilli()))
		} else {
			where = append(where, "(next_due_at IS NULL OR next_due_at >= "+arg(tx.now.UnixMilli())+")")
		}
	}
	if f.Channel != "" {
		where = append(where, "channel = "+arg(f.Channel))
	}
	if f.AppealKind != "" {
		where = append(where, "appeal_kind = "+arg(f.AppealKind))
	}
	if f.CategoryID != 0 {
		where = append(where, "category_id = "+arg(f.CategoryID))
	}
	if f.OwnerID != 0 {
		where = append(where, "owner_id = "+arg(f.OwnerID))
	}
	if f.HandlerID != 0 {
		where = append(where, "handler_id = "+arg(f.HandlerID))
	}
	if f.LeadUnitID != 0 {
		where = append(where, "lead_unit_id = "+arg(f.LeadUnitID))
	}
	if f.SubUnitID != 0 {
		where = append(where, "sub_unit_id = "+arg(f.SubUnitID))
	}
	if len(f.SubStatus) > 0 {
		var ps []string
		for _, st := range f.SubStatus {
			ps = append(ps, arg(st))
		}
		where = append(where, "sub_status <> '' AND sub_status IN ("+strings.Join(ps, ", ")+")") // the partial index tickets_sub_status
	}
	if f.Urged {
		where = append(where, "urge_count > 0")
	}
	if f.Unassigned {
		where = append(where, "handler_id IS NULL")
	}
	if !f.From.IsZero() {
		where = append(where, "created_at >= "+arg(f.From.UnixMilli()))
	}
	if !f.To.IsZero() {
		where = append(where, "created_at < "+arg(f.To.UnixMilli()))
	}
	if f.Pending {
		// "<> ''" for the partial index tickets_pending
		where = append(where, "pending_request <> '' AND pending_request <> 'return'")
	}
	if f.ReturnReview {
		where = append(where, "pending_request <> '' AND pending_request = 'return'")
	}
	if f.Callback {
		where = append(where, "status = 'concluded' AND NOT callback_done")
	}
	if f.Archivable {
		where = append(where, "status = 'concluded' AND callback_done AND rating <> "+arg(hotline.Unsatisfied))
	}
	if !f.DueBefore.IsZero() {
		where = append(where, "next_due_at < "+arg(f.DueBefore.UnixMilli()))
	}
	from, search := "tickets", strings.TrimSpace(f.Q) != ""
	newest := "created_at DESC, id DESC"
	if search {
		var text string
		var ok bool
		// newest: in the full-text index's own order on SQLite, so that it
		// stops at the page (dialect.ticketMatches).
		if from, text, newest, ok, err = db.ticketText(ctx, f.Q, arg); err != nil {
			return nil, 0, err
		} else if !ok {
			return []*hotline.Ticket{}, 0, nil
		}
		if text != "" {
			where = append(where, text)
		}
	}
	// One unit's total, each branch counted on its own index, and its
	// tickets by deadline, sorted on the index before any row is read.
	var unitCount, unitDue string
	for _, u := range units {
		rest := ""
		if len(where) > 0 {
			rest = " AND " + strings.Join(where, " AND ")
		}
		if len(units) == 1 && !search {
			unitCount = `SELECT COUNT(*) FROM (SELECT id FROM tickets WHERE lead_unit_id = ` + u + rest +
				` UNION SELECT t.id FROM ticket_co_units c JOIN tickets t ON t.id = c.ticket_id WHERE c.unit_id = ` + u + rest +
				` UNION SELECT id FROM tickets WHERE sub_unit_id = ` + u + rest + `) x`
			unitDue = `SELECT id FROM (SELECT id, next_due_at FROM tickets WHERE lead_unit_id = ` + u + rest +
				` UNION SELECT t.id, t.next_due_at FROM ticket_co_units c JOIN tickets t ON t.id = c.ticket_id WHERE c.unit_id = ` + u + rest +
				` UNION SELECT id, next_due_at FROM tickets WHERE sub_unit_id = ` + u + rest + `) x`
		}
		where = append(where, "id IN (SELECT id FROM tickets WHERE lead_unit_id = "+u+rest+
			" UNION ALL SELECT ticket_id FROM ticket_co_units WHERE unit_id = "+u+
			" UNION ALL SELECT id FROM tickets WHERE sub_unit_id = "+u+rest+")")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	order := map[string]string{"oldest": "created_at, id", "due": "next_due_at NULLS FIRST, id",
		"return": "(SELECT MIN(r.due_at) FROM ticket_returns r WHERE r.ticket_id = tickets.id AND r.decision = ''), id"}[f.Sort]
	var total int
	switch {
	case search && order == "" && db.dialect.windowedSearch():
		// Newest first: look at the newest tickets first (see
		// searchWindow), not at every match.
		lo, n, err := searchWindow(ctx, tx, cond, args, f.Page*f.PageSize)
		if err != nil {
			return nil, 0, err
		}
		if total = n; lo > 0 {
			cond += " AND id > " + arg(lo)
		}
		// Sort the matches in the range: ordered by the id index,
		// PostgreSQL walks back from the newest ticket checking every row,
		// expecting a match soon (供暖: 1 s).
		order = "id + 0 DESC"
	case search:
		// A common word is in a good part of a million tickets: counting
		// them all would cost more than the page; the count stops.
		err = tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM %s%s LIMIT %d) c`, from, cond, MaxTicketHits+1), args...).Scan(&total)
	case unitCount != "":
		// Not "COUNT(*) … WHERE id IN (…)": that reads every ticket row
		// of the unit to check the conditions again.
		err = tx.QueryRowContext(ctx, unitCount, args...).Scan(&total)
	default:
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+from+cond, args...).Scan(&total)
	}
	if err != nil {
		return nil, 0, err
	}
	if f.CountOnly {
		return []*hotline.Ticket{}, total, nil
	}
	if order == "" {
		order = newest
	}
	page := ` LIMIT ` + arg(f.PageSize) + ` OFFSET ` + arg((f.Page-1)*f.PageSize)
	q := `SELECT ` + ticketColumns + ` FROM ` + from + cond + ` ORDER BY ` + order + page
	if unitDue != "" && f.Sort == "due" {
		q = `SELECT ` + ticketColumns + ` FROM tickets WHERE id IN (` + unitDue + ` ORDER BY ` + order + page + `) ORDER BY ` + order
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	items := []*hotline.Ticket{}
	for rows.Next() {
		t, err := db.scanTicket(rows)
		if err != nil {
			return nil, 0, err
		}
		t.RedactFor(actor)
		items = append(items, t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	if err := loadCoUnits(ctx, tx, items); err != nil {
		return nil, 0, err
	}
	if err := loadReturns(ctx, tx, items); err != nil {
		return nil, 0, err
	}
	return items, total, nil
}
