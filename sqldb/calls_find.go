package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"hotline"
)

// callColumns are the columns scanCall reads, in its order.
const callColumns = `c.id, c.call_id, c.caller_phone, c.callee, c.queue, c.agent, COALESCE(c.agent_id, 0),
	c.offered_at, c.answered_at, c.ended_at, c.outcome, c.wait_ms, c.talk_ms, c.recording, c.recording_key <> '',
	c.callback_at, COALESCE(c.callback_by, 0), c.callback_result, c.callback_note`

// scanCall reads callColumns into a call, the caller masked.
func (db *DB) scanCall(row interface{ Scan(...any) error }) (*hotline.Call, error) {
	c := &hotline.Call{}
	var sealed string
	var offered, wait, talk int64
	if err := row.Scan(&c.ID, &c.CallID, &sealed, &c.Callee, &c.Queue, &c.Agent, &c.AgentID, &offered,
		nullTime{&c.AnsweredAt}, nullTime{&c.EndedAt}, &c.Outcome, &wait, &talk, &c.Recording, &c.HasAudio,
		nullTime{&c.CallbackAt}, &c.CallbackBy, &c.CallbackResult, &c.CallbackNote); err != nil {
		return nil, err
	}
	phone, err := db.keys.Decrypt("caller_phone", sealed)
	if err != nil {
		return nil, fmt.Errorf("call %d: %w", c.ID, err)
	}
	o := fromMS(offered)
	c.OfferedAt, c.Caller, c.Wait, c.Talk = &o, hotline.MaskPhone(phone), int((wait+500)/1000), int((talk+500)/1000)
	c.HasAudio = c.HasAudio || db.Recordings.Allows(c.Recording)
	return c, nil
}

// FindCall returns one call (by the platform's call id) with the tickets
// accepted on it and its events as received, the caller masked, to those who read the call figures,
// to those who may listen to it, and to the agent who answered it; to
// anyone else it does not exist.
func (db *DB) FindCall(ctx context.Context, actor hotline.Actor, callRef string) (*hotline.Call, error) {
	c, err := db.scanCall(db.read.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls c WHERE c.call_id = $1`, strings.TrimSpace(callRef)))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !(actor.Role.Has(hotline.PermCallStats) || actor.CanListen(c) ||
		c.AgentID != 0 && c.AgentID == actor.UserID) {
		return nil, hotline.Errorf(hotline.ENotFound, "没有通话编号为 %s 的来电", callRef)
	} else if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT ticket_id FROM call_tickets WHERE call_id = $1 ORDER BY ticket_id`, c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		c.TicketIDs = append(c.TicketIDs, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	evs, err := db.read.QueryContext(ctx, `SELECT event, at, agent, recording, source, received_at FROM call_events
		WHERE call_id = $1 ORDER BY at, id`, c.CallID)
	if err != nil {
		return nil, err
	}
	defer evs.Close()
	for evs.Next() {
		var e hotline.CallLogEntry
		var at, received int64
		if err := evs.Scan(&e.Event, &at, &e.Agent, &e.Recording, &e.Source, &received); err != nil {
			return nil, err
		}
		e.At, e.ReceivedAt = fromMS(at), fromMS(received)
		c.Log = append(c.Log, e)
	}
	return c, evs.Err()
}

// Call outcomes a list can be filtered by: an outcome, or "missed" (the
// calls waiting for a callback).
const callMissed = "missed"

// FindCalls returns one page of the period's calls (CallFilter, with the
// rights of FindCallStats: a call agent its own), newest first, the
// callers masked, optionally of one outcome (or "missed"), and how many
// there are in all.
func (db *DB) FindCalls(ctx context.Context, actor hotline.Actor, f CallFilter, outcome string, page, size int) ([]*hotline.Call, int, error) {
	where, args, err := callWhere(actor, f)
	if err != nil {
		return nil, 0, err
	}
	switch hotline.CallOutcome(outcome) {
	case "":
	case hotline.CallRinging, hotline.CallTalking, hotline.CallAnsweredOK, hotline.CallAbandoned, hotline.CallShortAbandon:
		args = append(args, outcome)
		where += fmt.Sprintf(" AND outcome = $%d", len(args))
	case callMissed:
		where += ` AND outcome = 'abandoned' AND caller_key <> '' AND callback_result NOT IN ('reached', 'not_needed')`
	default:
		return nil, 0, hotline.Invalid("outcome", "结果应为 answered、abandoned、short_abandon、talking、ringing 或 missed")
	}
	page, size = max(page, 1), min(max(size, 1), 200)
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM calls c WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	args = append(args, size, (page-1)*size)
	rows, err := db.read.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM calls c WHERE %s ORDER BY c.offered_at DESC, c.id DESC LIMIT $%d OFFSET $%d`,
		callColumns, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*hotline.Call{}
	for rows.Next() {
		c, err := db.scanCall(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}
