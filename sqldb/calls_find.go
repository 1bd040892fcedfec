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
// accepted on it, the caller masked, to those who read the call figures,
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
	return c, rows.Err()
}
