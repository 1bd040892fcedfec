package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hotline"
	"hotline/quality"
)

// CallBatch is the result of an ingestion: how many events were new and
// how many had been received before (ignored).
type CallBatch struct {
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
	Calls      int `json:"calls"` // call records written
}

// IngestCallEvents records call events from a telephony adapter (source:
// "webhook", "esl", "cdr"): all of them checked first — a bad one is a 400
// naming it and nothing is stored — then in one transaction each new
// event stored (a repeated call id + event is ignored, but for the
// recording the first one lacked) and each call it
// touches rebuilt from all its events, in time order.
func (db *DB) IngestCallEvents(ctx context.Context, source string, events []hotline.CallEvent) (CallBatch, error) {
	var b CallBatch
	if len(events) == 0 {
		return b, hotline.Invalid("events", "没有事件")
	}
	for i := range events {
		if err := events[i].Validate(); err != nil {
			if len(events) == 1 {
				return b, err
			}
			var he *hotline.Error
			if errors.As(err, &he) {
				return b, hotline.Invalid(fmt.Sprintf("[%d].%s", i, he.Field), "第 %d 个事件：%s", i+1, he.Message)
			}
			return b, err
		}
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return b, err
	}
	defer tx.Rollback()
	if b, err = db.ingest(ctx, tx, source, events); err != nil {
		return b, err
	}
	return b, tx.Commit()
}

// StreamPosition is how far an event-stream adapter got: the run of the
// switch (FreeSWITCH's Core-UUID, new at each start of the switch) and
// the last event sequence number applied in it.
type StreamPosition struct {
	Stream string
	Origin string
	Seq    int64
}

// StreamPosition returns the stored position of a stream (zero before its
// first event).
func (db *DB) StreamPosition(ctx context.Context, stream string) (StreamPosition, error) {
	p := StreamPosition{Stream: stream}
	err := db.read.QueryRowContext(ctx, `SELECT origin, seq FROM cti_streams WHERE stream = $1`, stream).Scan(&p.Origin, &p.Seq)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return p, err
}

// IngestCallStream applies the call events of a stream adapter's frames
// up to pos, and stores pos with them in one transaction: events and
// position land together or not at all. Within one run of the switch the
// position only moves on (two adapters on one switch leave the furthest). The events are checked by the
// adapter (a bad one is left out there, not refused here).
func (db *DB) IngestCallStream(ctx context.Context, pos StreamPosition, events []hotline.CallEvent) (CallBatch, error) {
	var b CallBatch
	tx, err := db.begin(ctx)
	if err != nil {
		return b, err
	}
	defer tx.Rollback()
	if len(events) > 0 {
		if b, err = db.ingest(ctx, tx, "esl", events); err != nil {
			return b, err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cti_streams (stream, origin, seq, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (stream) DO UPDATE SET origin = excluded.origin, seq = excluded.seq, updated_at = excluded.updated_at
		WHERE cti_streams.origin <> excluded.origin OR cti_streams.seq < excluded.seq`,
		pos.Stream, pos.Origin, pos.Seq, tx.now.UnixMilli()); err != nil {
		return b, err
	}
	return b, tx.Commit()
}

// ingest stores checked events and rebuilds the calls they touch.
func (db *DB) ingest(ctx context.Context, tx *Tx, source string, events []hotline.CallEvent) (CallBatch, error) {
	var b CallBatch
	if err := tx.refreshKeys(ctx); err != nil {
		return b, err
	}
	touched := map[string]string{} // call id → a caller number seen now
	var order, answered []string
	for _, e := range events {
		res, err := tx.ExecContext(ctx, `INSERT INTO call_events (call_id, event, at, callee, queue, agent, recording, source, received_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (call_id, event) DO UPDATE SET recording = excluded.recording
			WHERE call_events.recording = '' AND excluded.recording <> ''`,
			e.CallID, e.Event, e.At.UnixMilli(), e.Callee, e.Queue, e.Agent, e.Recording, source, tx.now.UnixMilli())
		if err != nil {
			return b, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			b.Duplicates++
			continue
		}
		b.Accepted++
		if e.Event == hotline.CallAnswered && tx.now.Sub(e.At) < 10*time.Minute {
			answered = append(answered, e.CallID)
		}
		if _, ok := touched[e.CallID]; !ok {
			order = append(order, e.CallID)
		}
		if touched[e.CallID] == "" { // the first number given is the caller's
			touched[e.CallID] = e.Caller
		}
	}
	for _, id := range order {
		if err := db.rebuildCall(ctx, tx, id, touched[id]); err != nil {
			return b, err
		}
		b.Calls++
	}
	if len(order) > 0 {
		tx.changed(Change{Wall: true})
	}
	// A call answered now pops intake on its agent's browser; one answered
	// long ago (a CDR, a replay) does not.
	for _, id := range answered {
		var agent sql.NullInt64
		var ended sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT agent_id, ended_at FROM calls WHERE call_id = $1`, id).Scan(&agent, &ended); err != nil {
			return b, err
		}
		if agent.Valid && !ended.Valid {
			tx.changed(Change{Call: id, Agent: agent.Int64})
		}
	}
	return b, nil
}

// rebuildCall writes a call's record from all its stored events; caller,
// when not empty, is the number an event brought now (sealed here), kept
// only if the call has none yet: the first number given is the caller's.
func (db *DB) rebuildCall(ctx context.Context, tx *Tx, callID, caller string) error {
	rows, err := tx.QueryContext(ctx, `SELECT event, at, callee, queue, agent, recording FROM call_events WHERE call_id = $1 ORDER BY at, id`, callID)
	if err != nil {
		return err
	}
	var evs []hotline.CallEvent
	for rows.Next() {
		e := hotline.CallEvent{CallID: callID}
		var at int64
		if err := rows.Scan(&e.Event, &at, &e.Callee, &e.Queue, &e.Agent, &e.Recording); err != nil {
			rows.Close()
			return err
		}
		e.At = fromMS(at)
		evs = append(evs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	c := &hotline.Call{CallID: callID}
	c.Rebuild(evs)
	var agentID any
	var joined int64 // the agent's account, for its first month's inspections
	if c.Agent != "" {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id, created_at FROM users WHERE username = $1`, c.Agent).Scan(&id, &joined); err == nil {
			agentID = id
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	var wait, talk int64
	if c.AnsweredAt != nil {
		wait = c.AnsweredAt.Sub(*c.OfferedAt).Milliseconds()
	} else if c.EndedAt != nil {
		wait = c.EndedAt.Sub(*c.OfferedAt).Milliseconds()
	}
	if c.AnsweredAt != nil && c.EndedAt != nil {
		talk = c.EndedAt.Sub(*c.AnsweredAt).Milliseconds()
	}
	sealedPhone, phoneKey := "", ""
	if caller != "" {
		if sealedPhone, err = db.keys.Encrypt("caller_phone", caller); err != nil {
			return err
		}
		phoneKey = db.Requesters.PhoneKey(caller)
	}
	// The call's day before and after the change are recounted.
	if err := markCallDay(ctx, tx, "call_id = $1", callID); err != nil {
		return err
	}
	var row int64
	err = tx.QueryRowContext(ctx, `INSERT INTO calls (call_id, caller_phone, caller_key, key_id, callee, queue, agent, agent_id,
			offered_at, answered_at, ended_at, outcome, wait_ms, talk_ms, recording, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (call_id) DO UPDATE SET
			caller_phone = CASE WHEN calls.caller_phone = '' THEN excluded.caller_phone ELSE calls.caller_phone END,
			caller_key = CASE WHEN calls.caller_phone = '' THEN excluded.caller_key ELSE calls.caller_key END,
			key_id = CASE WHEN calls.caller_phone = '' THEN excluded.key_id ELSE calls.key_id END,
			callee = excluded.callee, queue = excluded.queue, agent = excluded.agent, agent_id = excluded.agent_id,
			offered_at = excluded.offered_at, answered_at = excluded.answered_at, ended_at = excluded.ended_at,
			outcome = excluded.outcome, wait_ms = excluded.wait_ms, talk_ms = excluded.talk_ms, recording = excluded.recording,
			updated_at = excluded.updated_at
		RETURNING id`,
		callID, sealedPhone, phoneKey, db.keys.ActiveKeyID(), c.Callee, c.Queue, c.Agent, agentID,
		c.OfferedAt.UnixMilli(), ms(c.AnsweredAt), ms(c.EndedAt), c.Outcome, wait, talk, c.Recording, tx.now.UnixMilli()).Scan(&row)
	if err == nil {
		err = markCallDay(ctx, tx, "id = $1", row)
	}
	if err != nil || c.Outcome != hotline.CallAnsweredOK || agentID == nil || !quality.NewAgentCall(fromMS(joined), *c.AnsweredAt) {
		return err
	}
	return openNewAgentInspection(ctx, tx, row, agentID.(int64))
}

// LinkCall links a call (by the platform's call id) to a ticket it was
// accepted on, with an event on the ticket; linking again changes nothing.
func (db *DB) LinkCall(ctx context.Context, actor hotline.Actor, ticketID int64, callRef string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := linkCall(ctx, tx, actor, ticketID, callRef); err != nil {
		return err
	}
	return tx.Commit()
}

func linkCall(ctx context.Context, tx *Tx, actor hotline.Actor, ticketID int64, callRef string) error {
	if !actor.CanLinkCall() {
		return hotline.Errorf(hotline.EForbidden, "%s不能关联来电", actor.Role.Label())
	}
	callRef = strings.TrimSpace(callRef)
	if err := hotline.CheckInput("call_id", callRef); err != nil {
		return err
	}
	t, err := findTicket(ctx, tx, ticketID, true)
	if err != nil {
		return err
	}
	if !actor.CanSeeTicket(t) {
		return hotline.Errorf(hotline.ENotFound, "工单不存在")
	}
	var callID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM calls WHERE call_id = $1`, callRef).Scan(&callID); errors.Is(err, sql.ErrNoRows) || callRef == "" {
		return hotline.Invalid("call_id", "没有通话编号为 %s 的来电", callRef)
	} else if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO call_tickets (call_id, ticket_id, linked_by, linked_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (call_id, ticket_id) DO NOTHING`, callID, ticketID, nullID(actor.UserID), tx.now.UnixMilli())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	// The ticket's inspections still waiting get the call to listen to.
	if _, err := tx.ExecContext(ctx, `UPDATE inspections SET call_id = $1 WHERE ticket_id = $2 AND call_id IS NULL AND status = 'pending'`, callID, ticketID); err != nil {
		return err
	}
	if err := insertEvent(ctx, tx, &hotline.Event{TicketID: ticketID, Action: hotline.ActionLinkCall, ActorID: actor.UserID, ActorName: actor.Name,
		FromStatus: t.Status, ToStatus: t.Status, CreatedAt: tx.now, Payload: map[string]any{"call_id": callRef}}); err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, "ticket.link_call", ticketTarget(t), "call:"+callRef)
}

// loadCalls gives a ticket the calls it was accepted on, the caller masked.
func (db *DB) loadCalls(ctx context.Context, tx *Tx, t *hotline.Ticket) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+callColumns+`
		FROM call_tickets l JOIN calls c ON c.id = l.call_id WHERE l.ticket_id = $1 ORDER BY c.offered_at`, t.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := db.scanCall(rows)
		if err != nil {
			return err
		}
		t.Calls = append(t.Calls, c)
	}
	return rows.Err()
}

// CallerOf returns the caller's number of a call to the agent who answered
// it (or a team lead), to fill intake on a screen pop; "" when the call is
// not known, came without a number or is another agent's.
func (db *DB) CallerOf(ctx context.Context, actor hotline.Actor, callRef string) (string, error) {
	if !actor.CanLinkCall() {
		return "", hotline.Errorf(hotline.EForbidden, "%s不能关联来电", actor.Role.Label())
	}
	var sealed string
	var agent sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT caller_phone, agent_id FROM calls WHERE call_id = $1`, strings.TrimSpace(callRef)).Scan(&sealed, &agent)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	if agent.Int64 != actor.UserID && actor.Role != hotline.RoleTeamLead {
		return "", nil // another agent's call: linked, but its number is not handed out
	}
	return db.keys.Decrypt("caller_phone", sealed)
}
