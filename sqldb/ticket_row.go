package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"hotline"
)

// ticketColumns is the one column list for reading tickets; scanTicket and
// updateTicket follow it.
const ticketColumns = `id, number, channel, appeal_kind, category_id, urgency, title, content,
	requester_anonymous, requester_name, requester_phone, requester_address, requester_phone_key,
	location_address, COALESCE(location_unit_id, 0), lat, lng, confidential, status, owner_id,
	COALESCE(lead_unit_id, 0), designated, return_count, reopen_count, COALESCE(merged_into, 0),
	ack_due_at, return_due_at, reply_start_at, reply_due_at, callback_due_at, next_due_kind, next_due_at, next_warn_at,
	sla_state, calendar_clock, pending_request, pending_days, pending_reason, suspended_at,
	reply, resolved_on_call, callback_done, callback_attempts, rating, resolved,
	created_at, updated_at, dispatched_at, concluded_at, archived_at, return_reason, COALESCE(handler_id, 0), COALESCE(suggested_unit_id, 0),
	original_title, original_content, repeat_calls, urge_count, COALESCE(sub_unit_id, 0), sub_status, sub_reply`

func (db *DB) scanTicket(s interface{ Scan(...any) error }) (*hotline.Ticket, error) {
	t := &hotline.Ticket{}
	var sealed SealedRequester
	var lat, lng sql.NullFloat64
	var resolved sql.NullBool
	var created, updated int64
	err := s.Scan(&t.ID, &t.Number, &t.Channel, &t.AppealKind, &t.CategoryID, &t.Urgency, &t.Title, &t.Content,
		&t.Requester.Anonymous, &sealed.Name, &sealed.Phone, &sealed.Address, &sealed.PhoneKey,
		&t.Location.Address, &t.Location.UnitID, &lat, &lng, &t.Confidential, &t.Status, &t.OwnerID,
		&t.LeadUnitID, &t.Designated, &t.ReturnCount, &t.ReopenCount, &t.MergedInto,
		nullTime{&t.AckDueAt}, nullTime{&t.ReturnDueAt}, nullTime{&t.ReplyStartAt}, nullTime{&t.ReplyDueAt}, nullTime{&t.CallbackDueAt},
		&t.NextDueKind, nullTime{&t.NextDueAt}, nullTime{&t.NextWarnAt},
		&t.SLAState, &t.CalendarClock, &t.PendingRequest, &t.PendingDays, &t.PendingReason, nullTime{&t.SuspendedAt},
		&t.Reply, &t.ResolvedOnCall, &t.CallbackDone, &t.CallbackAttempts, &t.Rating, &resolved,
		&created, &updated, nullTime{&t.DispatchedAt}, nullTime{&t.ConcludedAt}, nullTime{&t.ArchivedAt}, &t.ReturnReason, &t.HandlerID, &t.SuggestedUnitID,
		&t.OriginalTitle, &t.OriginalContent, &t.RepeatCalls, &t.UrgeCount, &t.SubUnitID, &t.SubStatus, &t.SubReply)
	if err != nil {
		return nil, err
	}
	anon := t.Requester.Anonymous
	if t.Requester, err = db.Requesters.Open(sealed); err != nil {
		return nil, err
	}
	t.Requester.Anonymous = anon
	if lat.Valid {
		t.Location.Lat = &lat.Float64
	}
	if lng.Valid {
		t.Location.Lng = &lng.Float64
	}
	if resolved.Valid {
		t.Resolved = &resolved.Bool
	}
	t.CreatedAt, t.UpdatedAt = fromMS(created), fromMS(updated)
	return t, nil
}

// findTicket reads one ticket with its co-units, locking it for update in
// a write transaction on PostgreSQL.
func findTicket(ctx context.Context, tx *Tx, id int64, lock bool) (*hotline.Ticket, error) {
	q := `SELECT ` + ticketColumns + ` FROM tickets WHERE id = $1`
	if lock {
		q += tx.db.dialect.forUpdate()
	}
	t, err := tx.db.scanTicket(tx.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "工单不存在")
	} else if err != nil {
		return nil, err
	}
	if err := loadCoUnits(ctx, tx, []*hotline.Ticket{t}); err != nil {
		return nil, err
	}
	if err := loadReturns(ctx, tx, []*hotline.Ticket{t}); err != nil {
		return nil, err
	}
	return t, nil
}

// ticketsByID maps tickets by id, and lists the ids, for loading what
// belongs to a page of them in one query.
func ticketsByID(ts []*hotline.Ticket) (map[int64]*hotline.Ticket, []int64) {
	byID := make(map[int64]*hotline.Ticket, len(ts))
	ids := make([]int64, 0, len(ts))
	for _, t := range ts {
		byID[t.ID] = t
		ids = append(ids, t.ID)
	}
	return byID, ids
}

func loadCoUnits(ctx context.Context, tx *Tx, ts []*hotline.Ticket) error {
	if len(ts) == 0 {
		return nil
	}
	byID, ids := ticketsByID(ts)
	for _, t := range ts {
		t.CoUnitIDs = []int64{}
	}
	rows, err := tx.QueryContext(ctx, `SELECT ticket_id, unit_id FROM ticket_co_units WHERE ticket_id IN (`+joinIDs(ids)+`) ORDER BY ticket_id, unit_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var tid, uid int64
		if err := rows.Scan(&tid, &uid); err != nil {
			return err
		}
		byID[tid].CoUnitIDs = append(byID[tid].CoUnitIDs, uid)
	}
	return rows.Err()
}

// updateTicket writes back every mutable column of t (all but the
// requester, sealed once at intake).
func updateTicket(ctx context.Context, tx *Tx, t *hotline.Ticket) error {
	var resolved any
	if t.Resolved != nil {
		resolved = *t.Resolved
	}
	_, err := tx.ExecContext(ctx, `UPDATE tickets SET status = $2, owner_id = $3, lead_unit_id = $4, designated = $5,
		return_count = $6, reopen_count = $7, merged_into = $8, ack_due_at = $9, return_due_at = $10, reply_start_at = $11,
		reply_due_at = $12, callback_due_at = $13, next_due_kind = $14, next_due_at = $15, next_warn_at = $16, sla_state = $17,
		pending_request = $18, pending_days = $19, pending_reason = $20, suspended_at = $21, reply = $22,
		resolved_on_call = $23, callback_done = $24, callback_attempts = $25, rating = $26, resolved = $27,
		updated_at = $28, dispatched_at = $29, concluded_at = $30, archived_at = $31, return_reason = $32, handler_id = $33, suggested_unit_id = $34,
		appeal_kind = $35, category_id = $36, urgency = $37, title = $38, content = $39, location_address = $40, location_unit_id = $41,
		calendar_clock = $42, original_title = $43, original_content = $44, repeat_calls = $45, urge_count = $46,
		sub_unit_id = $47, sub_status = $48, sub_reply = $49
		WHERE id = $1`,
		t.ID, t.Status, t.OwnerID, nullID(t.LeadUnitID), t.Designated,
		t.ReturnCount, t.ReopenCount, nullID(t.MergedInto), ms(t.AckDueAt), ms(t.ReturnDueAt), ms(t.ReplyStartAt),
		ms(t.ReplyDueAt), ms(t.CallbackDueAt), t.NextDueKind, ms(t.NextDueAt), ms(t.NextWarnAt), t.SLAState,
		t.PendingRequest, t.PendingDays, t.PendingReason, ms(t.SuspendedAt), t.Reply,
		t.ResolvedOnCall, t.CallbackDone, t.CallbackAttempts, t.Rating, resolved,
		t.UpdatedAt.UnixMilli(), ms(t.DispatchedAt), ms(t.ConcludedAt), ms(t.ArchivedAt), t.ReturnReason, nullID(t.HandlerID), nullID(t.SuggestedUnitID),
		t.AppealKind, t.CategoryID, t.Urgency, t.Title, t.Content, t.Location.Address, nullID(t.Location.UnitID),
		t.CalendarClock, t.OriginalTitle, t.OriginalContent, t.RepeatCalls, t.UrgeCount,
		nullID(t.SubUnitID), t.SubStatus, t.SubReply)
	return err
}

func replaceCoUnits(ctx context.Context, tx *Tx, t *hotline.Ticket) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM ticket_co_units WHERE ticket_id = $1`, t.ID); err != nil {
		return err
	}
	for _, id := range t.CoUnitIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_co_units (ticket_id, unit_id) VALUES ($1, $2)`, t.ID, id); err != nil {
			return err
		}
	}
	return nil
}

func insertEvent(ctx context.Context, tx *Tx, ev *hotline.Event) error {
	payload := ""
	if len(ev.Payload) > 0 {
		b, err := json.Marshal(ev.Payload)
		if err != nil {
			return err
		}
		payload = string(b)
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO events (ticket_id, action, actor_id, actor_name, from_status, to_status, reason, payload, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		ev.TicketID, ev.Action, nullID(ev.ActorID), ev.ActorName, ev.FromStatus, ev.ToStatus, ev.Reason, payload, ev.CreatedAt.UnixMilli()).Scan(&ev.ID); err != nil {
		return err
	}
	// Every change of a ticket appends an event: its day's counts are
	// recounted.
	return markStatsDirty(ctx, tx, ev.TicketID)
}

func findEvents(ctx context.Context, tx *Tx, ticketID int64) ([]*hotline.Event, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, ticket_id, action, COALESCE(actor_id, 0), actor_name, from_status, to_status, reason, payload, created_at
		FROM events WHERE ticket_id = $1 ORDER BY id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hotline.Event
	for rows.Next() {
		ev := &hotline.Event{}
		var payload string
		var created int64
		if err := rows.Scan(&ev.ID, &ev.TicketID, &ev.Action, &ev.ActorID, &ev.ActorName, &ev.FromStatus, &ev.ToStatus, &ev.Reason, &payload, &created); err != nil {
			return nil, err
		}
		ev.CreatedAt = fromMS(created)
		if payload != "" {
			if err := json.Unmarshal([]byte(payload), &ev.Payload); err != nil {
				return nil, err
			}
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}
