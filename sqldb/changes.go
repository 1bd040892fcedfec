package sqldb

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"hotline"
)

// Change says that a ticket changed: live pages use it to refresh. It
// carries what is needed to decide who may be told (the ticket's units),
// nothing personal.
type Change struct {
	TicketID int64          `json:"t"`
	Status   hotline.Status `json:"s"`
	Action   hotline.Action `json:"a"`
	UnitIDs  []int64        `json:"u,omitempty"` // lead and co-units
	// UserID, in a change that is not a ticket's: the user's account or
	// sessions changed (disabled, role, revoked), so that their open event
	// streams re-check at once, on every instance.
	UserID int64 `json:"usr,omitempty"`
	// Call and Agent, in a call's change: the agent (user id) just
	// answered the call (the platform's id) — a screen pop on their
	// browser. Nothing of the caller.
	Call  string `json:"call,omitempty"`
	Agent int64  `json:"ag,omitempty"`
	// Wall: a seat or a call changed — the team leads' live walls refresh.
	Wall bool `json:"wall,omitempty"`
	// Warning: an early warning was raised or handled — the centre's
	// home pages offer to refresh.
	Warning bool `json:"warn,omitempty"`
}

// VisibleTo reports whether the actor may learn of the ticket change.
func (c Change) VisibleTo(a hotline.Actor) bool {
	if c.TicketID == 0 {
		return false
	}
	if a.Centre() {
		return true
	}
	for _, id := range c.UnitIDs {
		if a.Role == hotline.RoleUnit && id == a.UnitID {
			return true
		}
	}
	return false
}

func changeOf(t *hotline.Ticket, a hotline.Action) Change {
	c := Change{TicketID: t.ID, Status: t.Status, Action: a}
	if t.LeadUnitID != 0 {
		c.UnitIDs = append(c.UnitIDs, t.LeadUnitID)
	}
	c.UnitIDs = append(c.UnitIDs, t.CoUnitIDs...)
	return c
}

// hub fans changes out to this process's subscribers.
type hub struct {
	mu   sync.Mutex
	subs map[chan Change]struct{}
}

// Subscribe returns a channel of committed ticket changes — from this
// instance and, on PostgreSQL, from every instance sharing the database —
// and a function to stop. A subscriber that falls behind loses changes
// rather than slowing writers down.
func (db *DB) Subscribe() (<-chan Change, func()) {
	ch := make(chan Change, 64)
	db.hub.mu.Lock()
	if db.hub.subs == nil {
		db.hub.subs = map[chan Change]struct{}{}
	}
	db.hub.subs[ch] = struct{}{}
	db.hub.mu.Unlock()
	return ch, func() {
		db.hub.mu.Lock()
		delete(db.hub.subs, ch)
		db.hub.mu.Unlock()
	}
}

func (db *DB) publish(c Change) {
	db.hub.mu.Lock()
	defer db.hub.mu.Unlock()
	for ch := range db.hub.subs {
		select {
		case ch <- c:
		default:
		}
	}
}

// Listening is closed once this handle receives the changes of other
// instances (on PostgreSQL, when its LISTEN is in place; on SQLite at
// once).
func (db *DB) Listening() <-chan struct{} { return db.listening }

// changed records a change to announce when the transaction commits.
func (tx *Tx) changed(c Change) { tx.changes = append(tx.changes, c) }

// listen relays PostgreSQL notifications to the local subscribers until
// ctx ends, reconnecting after failures.
func (db *DB) listen(ctx context.Context, dsn string) {
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			_, err = conn.Exec(ctx, `LISTEN `+pgx.Identifier{db.channel}.Sanitize())
			if err == nil {
				db.listenOnce.Do(func() { close(db.listening) })
			}
			for err == nil {
				var n *pgconnNotification
				n, err = waitNotification(ctx, conn)
				if err == nil {
					var c Change
					if json.Unmarshal([]byte(n.Payload), &c) == nil {
						db.publish(c)
					}
				}
			}
			conn.Close(context.Background())
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}
