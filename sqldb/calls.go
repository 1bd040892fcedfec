package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hotline"
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
// event stored (a repeated call id + event is ignored) and each call it
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
	if err := tx.refreshKeys(ctx); err != nil {
		return b, err
	}
	touched := map[string]string{} // call id → a caller number seen now
	var order, answered []string
	for _, e := range events {
		res, err := tx.ExecContext(ctx, `INSERT INTO call_events (call_id, event, at, callee, queue, agent, recording, source, received_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (call_id, event) DO NOTHING`,
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
	return b, tx.Commit()
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
	if c.Agent != "" {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, c.Agent).Scan(&id); err == nil {
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
	_, err = tx.ExecContext(ctx, `INSERT INTO calls (call_id, caller_phone, caller_key, key_id, callee, queue, agent, agent_id,
			offered_at, answered_at, ended_at, outcome, wait_ms, talk_ms, recording, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (call_id) DO UPDATE SET
			caller_phone = CASE WHEN calls.caller_phone = '' THEN excluded.caller_phone ELSE calls.caller_phone END,
			caller_key = CASE WHEN calls.caller_phone = '' THEN excluded.caller_key ELSE calls.caller_key END,
			key_id = CASE WHEN calls.caller_phone = '' THEN excluded.key_id ELSE calls.key_id END,
			callee = excluded.callee, queue = excluded.queue, agent = excluded.agent, agent_id = excluded.agent_id,
			offered_at = excluded.offered_at, answered_at = excluded.answered_at, ended_at = excluded.ended_at,
			outcome = excluded.outcome, wait_ms = excluded.wait_ms, talk_ms = excluded.talk_ms, recording = excluded.recording,
			updated_at = excluded.updated_at`,
		callID, sealedPhone, phoneKey, db.keys.ActiveKeyID(), c.Callee, c.Queue, c.Agent, agentID,
		c.OfferedAt.UnixMilli(), ms(c.AnsweredAt), ms(c.EndedAt), c.Outcome, wait, talk, c.Recording, tx.now.UnixMilli())
	return err
}

// CallFilter selects calls for statistics: offered in [From, To), and
// optionally answered by one agent or in one queue.
type CallFilter struct {
	From, To time.Time
	AgentID  int64
	Queue    string
}

// CallGroup is the figures of one agent, queue, day or half hour.
type CallGroup struct {
	Key string `json:"key"` // username, queue, YYYY-MM-DD or HH:MM (China time)
	hotline.CallStats
}

// callFigures is the one aggregate behind every call figure (and its
// columns' order for scanCallStats).
const callFigures = `COUNT(*),
	COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome IN ('abandoned', 'short_abandon') THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'short_abandon' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND wait_ms <= 15000 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN wait_ms ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'answered' THEN talk_ms ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'abandoned' AND caller_key <> '' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN outcome = 'abandoned' AND caller_key <> '' AND callback_at <= ended_at + 1800000 THEN 1 ELSE 0 END), 0)`

// scanCallStats reads callFigures (after any leading columns in dest).
func scanCallStats(row interface{ Scan(...any) error }, s *hotline.CallStats, lead ...any) error {
	var within15, talked int64
	var waitMS, talkMS int64
	dest := append(lead, &s.Offered, &s.Answered, &s.Abandoned, &s.ShortAbandons, &within15, &waitMS, &talkMS, &talked,
		&s.Missed, &s.CalledBackInTime)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	s.Finish(int(within15), waitMS, talkMS, int(talked))
	return nil
}

// Groupings of FindCallStatsBy.
const (
	ByAgent    = "agent"
	ByQueue    = "queue"
	ByDay      = "day"
	ByInterval = "interval" // half hours of the day, over every day of the period
)

// FindCallStatsBy returns the figures of the period per agent, queue, day
// or half hour, in key order, to those who may read FindCallStats.
func (db *DB) FindCallStatsBy(ctx context.Context, actor hotline.Actor, f CallFilter, by string) ([]*CallGroup, error) {
	where, args, err := callWhere(actor, f)
	if err != nil {
		return nil, err
	}
	const china = 8 * 3600 * 1000
	key := map[string]string{ByAgent: "agent", ByQueue: "queue",
		ByDay:      fmt.Sprintf("(offered_at + %d) / 86400000", china),
		ByInterval: fmt.Sprintf("((offered_at + %d) %% 86400000) / 1800000", china)}[by]
	if key == "" {
		return nil, hotline.Invalid("by", "应为 agent、queue、day 或 interval")
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+key+`, `+callFigures+` FROM calls WHERE `+where+` GROUP BY 1 ORDER BY 1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*CallGroup{}
	for rows.Next() {
		g := &CallGroup{}
		var k any
		if err := scanCallStats(rows, &g.CallStats, &k); err != nil {
			return nil, err
		}
		switch by {
		case ByDay:
			g.Key = time.UnixMilli(asInt(k) * 86400000).UTC().Format("2006-01-02")
		case ByInterval:
			n := asInt(k)
			g.Key = fmt.Sprintf("%02d:%02d", n/2, n%2*30)
		default:
			g.Key = fmt.Sprint(asString(k))
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func asInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	case []byte:
		var x int64
		fmt.Sscan(string(n), &x)
		return x
	}
	return 0
}

func asString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

// callWhere checks who asks and builds the period's conditions.
func callWhere(actor hotline.Actor, f CallFilter) (string, []any, error) {
	if !actor.Role.Has(hotline.PermCallStats) && !(actor.Role == hotline.RoleCallAgent && f.AgentID == actor.UserID && f.AgentID != 0) {
		return "", nil, hotline.Errorf(hotline.EForbidden, "%s无权查看话务统计", actor.Role.Label())
	}
	if f.From.IsZero() || f.To.IsZero() || !f.To.After(f.From) {
		return "", nil, hotline.Invalid("to", "请给出统计时段：from 早于 to（RFC 3339 或 YYYY-MM-DD）")
	}
	where := []string{"offered_at >= $1", "offered_at < $2"}
	args := []any{f.From.UnixMilli(), f.To.UnixMilli()}
	if f.AgentID != 0 {
		args = append(args, f.AgentID)
		where = append(where, fmt.Sprintf("agent_id = $%d", len(args)))
	}
	if f.Queue != "" {
		args = append(args, f.Queue)
		where = append(where, fmt.Sprintf("queue = $%d", len(args)))
	}
	return strings.Join(where, " AND "), args, nil
}

// FindCallStats returns the call figures of a period (hotline.CallStats)
// to those who may read them: the centre's managers, inspectors, analysts
// and supervisors; a call agent only its own (AgentID = itself).
func (db *DB) FindCallStats(ctx context.Context, actor hotline.Actor, f CallFilter) (*hotline.CallStats, error) {
	where, args, err := callWhere(actor, f)
	if err != nil {
		return nil, err
	}
	s := &hotline.CallStats{}
	if err := scanCallStats(db.read.QueryRowContext(ctx, `SELECT `+callFigures+` FROM calls WHERE `+where, args...), s); err != nil {
		return nil, err
	}
	return s, nil
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
	if err := insertEvent(ctx, tx, &hotline.Event{TicketID: ticketID, Action: hotline.ActionLinkCall, ActorID: actor.UserID, ActorName: actor.Name,
		FromStatus: t.Status, ToStatus: t.Status, CreatedAt: tx.now, Payload: map[string]any{"call_id": callRef}}); err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, "ticket.link_call", ticketTarget(t), "call:"+callRef)
}

// loadCalls gives a ticket the calls it was accepted on, the caller masked.
func (db *DB) loadCalls(ctx context.Context, tx *Tx, t *hotline.Ticket) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.call_id, c.caller_phone, c.callee, c.queue, c.agent, COALESCE(c.agent_id, 0),
			c.offered_at, c.answered_at, c.ended_at, c.outcome, c.wait_ms, c.talk_ms, c.recording, c.recording_key <> ''
		FROM call_tickets l JOIN calls c ON c.id = l.call_id WHERE l.ticket_id = $1 ORDER BY c.offered_at`, t.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c := &hotline.Call{}
		var sealed string
		var offered, wait, talk int64
		if err := rows.Scan(&c.ID, &c.CallID, &sealed, &c.Callee, &c.Queue, &c.Agent, &c.AgentID, &offered,
			nullTime{&c.AnsweredAt}, nullTime{&c.EndedAt}, &c.Outcome, &wait, &talk, &c.Recording, &c.HasAudio); err != nil {
			return err
		}
		phone, err := db.keys.Decrypt("caller_phone", sealed)
		if err != nil {
			return fmt.Errorf("call %d: %w", c.ID, err)
		}
		o := fromMS(offered)
		c.OfferedAt, c.Caller, c.Wait, c.Talk = &o, hotline.MaskPhone(phone), int(wait/1000), int(talk/1000)
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

// FindMissedCalls returns one page of the missed calls waiting for a
// callback (hotline.Call.Missed), newest first, the caller masked, to the
// centre staff who take calls, and how many wait in all.
func (db *DB) FindMissedCalls(ctx context.Context, actor hotline.Actor, page, size int) ([]*hotline.Call, int, error) {
	if !actor.CanLinkCall() {
		return nil, 0, hotline.Errorf(hotline.EForbidden, "%s不能回拨未接来电", actor.Role.Label())
	}
	page, size = max(page, 1), min(max(size, 1), 200)
	const missed = `outcome = 'abandoned' AND caller_key <> '' AND callback_result NOT IN ('reached', 'not_needed')`
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM calls WHERE `+missed).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, call_id, caller_phone, queue, offered_at, ended_at, wait_ms, callback_at,
			COALESCE(callback_by, 0), callback_result, callback_note
		FROM calls WHERE `+missed+` ORDER BY offered_at DESC, id DESC LIMIT $1 OFFSET $2`, size, (page-1)*size)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*hotline.Call{}
	for rows.Next() {
		c := &hotline.Call{Outcome: hotline.CallAbandoned}
		var sealed string
		var offered, wait int64
		if err := rows.Scan(&c.ID, &c.CallID, &sealed, &c.Queue, &offered, nullTime{&c.EndedAt}, &wait, nullTime{&c.CallbackAt},
			&c.CallbackBy, &c.CallbackResult, &c.CallbackNote); err != nil {
			return nil, 0, err
		}
		phone, err := db.keys.Decrypt("caller_phone", sealed)
		if err != nil {
			return nil, 0, fmt.Errorf("call %d: %w", c.ID, err)
		}
		o := fromMS(offered)
		c.OfferedAt, c.Caller, c.Wait = &o, hotline.MaskPhone(phone), int(wait/1000)
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// RevealCaller returns a missed call's number to an agent who calls it
// back (those who may reveal requesters), audited.
func (db *DB) RevealCaller(ctx context.Context, actor hotline.Actor, id int64) (string, error) {
	if !actor.CanLinkCall() || !actor.Role.Has(hotline.PermRevealRequester) {
		return "", hotline.Errorf(hotline.EForbidden, "%s无权查看来电号码", actor.Role.Label())
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var sealed string
	if err := tx.QueryRowContext(ctx, `SELECT caller_phone FROM calls WHERE id = $1`, id).Scan(&sealed); errors.Is(err, sql.ErrNoRows) {
		return "", hotline.Errorf(hotline.ENotFound, "通话不存在")
	} else if err != nil {
		return "", err
	}
	phone, err := db.keys.Decrypt("caller_phone", sealed)
	if err != nil {
		return "", err
	}
	if err := appendAudit(ctx, tx, actor, "call.reveal", fmt.Sprintf("call:%d", id), "回拨未接来电"); err != nil {
		return "", err
	}
	return phone, tx.Commit()
}

// RecordCallback records calling back a missed call: reached, not
// reached (it stays in the queue) or not needed, with a note.
func (db *DB) RecordCallback(ctx context.Context, actor hotline.Actor, id int64, result hotline.CallbackResult, note string) error {
	if !actor.CanLinkCall() {
		return hotline.Errorf(hotline.EForbidden, "%s不能回拨未接来电", actor.Role.Label())
	}
	if !result.Valid() {
		return hotline.Invalid("result", "回拨结果应为 reached、no_answer 或 not_needed")
	}
	if err := hotline.CheckInput("note", note); err != nil {
		return err
	} else if note = hotline.TrimText(note); len([]rune(note)) > 500 {
		return hotline.Invalid("note", "备注不超过500个字")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE calls SET callback_at = COALESCE(callback_at, $1), callback_by = $2, callback_result = $3, callback_note = $4
		WHERE id = $5 AND outcome = 'abandoned'`, tx.now.UnixMilli(), nullID(actor.UserID), result, note, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hotline.Errorf(hotline.ENotFound, "没有这个未接来电")
	}
	if err := appendAudit(ctx, tx, actor, "call.callback", fmt.Sprintf("call:%d", id), string(result)); err != nil {
		return err
	}
	return tx.Commit()
}
