package sqldb

import (
	"context"
	"fmt"
	"time"

	"hotline"
)

// HistoryTicket is a ticket to write with its past: accepted by Actor at
// At (submitted for dispatch with Submit), then each step at its time.
type HistoryTicket struct {
	Ticket *hotline.Ticket
	Actor  hotline.Actor
	At     time.Time
	Submit bool
	Steps  []HistoryStep
	// Articles are the knowledge-base articles the agent used, linked at
	// acceptance.
	Articles []int64
}

// HistoryStep is one action of a HistoryTicket.
type HistoryStep struct {
	At    time.Time
	Actor hotline.Actor
	hotline.Command
	// Dispatch: a dispatch's record of what was suggested beside what was
	// chosen (RecordDispatch), its ticket and final unit filled in.
	Dispatch *DispatchRecord
}

// ReplayHistory writes tickets that happened in the past — the demo
// city's history, a previous operator's tickets — through the lifecycle
// itself: acceptance and each step as if taken at its time (the same
// rules, deadlines, events, side tables and audit entries as the live
// path), and between steps the deadlines that passed marked as the sweep
// marks them, at the moment they passed. One transaction per call; steps
// after the present are left out. A step the lifecycle refuses stops its
// ticket there; the refusals are returned, the rest is written.
func (db *DB) ReplayHistory(ctx context.Context, batch []HistoryTicket) ([]error, error) {
	tx, err := db.beginUnsynced(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	present := tx.now
	var refused []error
	for i := range batch {
		h := &batch[i]
		if h.At.After(present) {
			continue
		}
		tx.now = h.At
		if err := db.createTicket(ctx, tx, h.Actor, h.Ticket, h.Submit); err != nil {
			return refused, fmt.Errorf("history ticket %d: %w", i, err)
		}
		for _, a := range h.Articles {
			if err := linkArticle(ctx, tx, h.Actor, h.Ticket.ID, a); err != nil {
				return refused, fmt.Errorf("history ticket %d article %d: %w", i, a, err)
			}
		}
		for j, s := range h.Steps {
			if s.At.After(present) {
				break
			}
			if s.At.Before(tx.now) {
				return refused, fmt.Errorf("history ticket %d step %d (%s): steps out of order", i, j, s.Action)
			}
			if err := sweepTicket(ctx, tx, h.Ticket.ID, s.At); err != nil {
				return refused, err
			}
			t, err := db.applyAction(ctx, tx, s.Actor, h.Ticket.ID, s.Command)
			if err != nil {
				if hotline.ErrorCode(err) == hotline.EInternal {
					return refused, err
				}
				refused = append(refused, fmt.Errorf("%s step %d (%s): %w", h.Ticket.Number, j, s.Action, err))
				break
			}
			h.Ticket = t
			if s.Dispatch != nil {
				r := *s.Dispatch
				r.TicketID, r.FinalUnitID = t.ID, t.LeadUnitID
				if err := insertDispatchRecord(ctx, tx, s.Actor, r); err != nil {
					return refused, err
				}
			}
		}
		if err := sweepTicket(ctx, tx, h.Ticket.ID, present); err != nil {
			return refused, err
		}
	}
	tx.now = present
	return refused, tx.Commit()
}
