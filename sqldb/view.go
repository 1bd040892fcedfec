package sqldb

import (
	"context"

	"hotline"
)

// TicketView is a ticket as a page shows it to one actor: with its
// timeline, supervisions, the actions the actor may take now and, when one
// of them is dispatching, the catalogue's suggestion.
type TicketView struct {
	*hotline.Ticket
	Actions      []hotline.Action
	Supervisions []*hotline.Supervision
	CanReveal    bool
	CanAttach    bool
	CanLinkCall  bool
	Suggestion   *hotline.CatalogueEntry
}

// FindTicketView returns the view of a ticket the actor may see.
func (db *DB) FindTicketView(ctx context.Context, actor hotline.Actor, id int64) (*TicketView, error) {
	t, err := db.FindTicketByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	v := &TicketView{Ticket: t, CanReveal: actor.CanRevealRequester(t), CanAttach: actor.CanAttach(t),
		CanLinkCall: actor.CanLinkCall()}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	env, err := tx.env(ctx, t)
	if err != nil {
		return nil, err
	}
	tx.Rollback()
	v.Actions = t.Available(actor, env)
	if v.Supervisions, err = db.FindSupervisions(ctx, actor, id); err != nil {
		return nil, err
	}
	for _, a := range v.Actions {
		if a == hotline.ActionDispatch || a == hotline.ActionDesignate {
			if e, err := db.SuggestDispatch(ctx, t.CategoryID, t.Location.UnitID); err == nil && e != nil && !t.ReturnedBy(e.LeadUnitID) {
				v.Suggestion = e // not to a unit that returned it
			}
			break
		}
	}
	return v, nil
}

// UnitLoad is one row of the supervision board: a unit's open tickets, how
// many are in warning or overdue, and how often it was supervised or urged
// by the centre and by citizens.
type UnitLoad struct {
	UnitID       int64 `json:"unit_id"`
	Open         int   `json:"open"`
	Warning      int   `json:"warning"`
	Overdue      int   `json:"overdue"`
	Supervisions int   `json:"supervisions"`
	Urges        int   `json:"urges"`         // by the centre (催办)
	CitizenUrges int   `json:"citizen_urges"` // by citizens calling again (市民催办)
}

// SupervisionBoard returns the load of every unit with open tickets, most
// overdue first. Centre staff only.
func (db *DB) SupervisionBoard(ctx context.Context, actor hotline.Actor) ([]*UnitLoad, error) {
	if !actor.Centre() {
		return nil, hotline.Errorf(hotline.EForbidden, "只有热线中心可以查看督办看板")
	}
	rows, err := db.read.QueryContext(ctx, `SELECT t.lead_unit_id, COUNT(*),
			SUM(CASE WHEN t.sla_state = 'warning' THEN 1 ELSE 0 END),
			SUM(CASE WHEN t.sla_state = 'overdue' THEN 1 ELSE 0 END),
			(SELECT COUNT(*) FROM supervisions s WHERE s.unit_id = t.lead_unit_id),
			(SELECT COUNT(*) FROM urges u JOIN supervisions s ON s.id = u.supervision_id WHERE s.unit_id = t.lead_unit_id),
			(SELECT COUNT(*) FROM ticket_supplements p WHERE p.unit_id = t.lead_unit_id AND p.kind = 'urge')
		FROM tickets t WHERE t.lead_unit_id IS NOT NULL AND t.status IN ('dispatched', 'handling', 'suspended', 'replied')
		GROUP BY t.lead_unit_id
		ORDER BY 4 DESC, 3 DESC, 2 DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*UnitLoad{}
	for rows.Next() {
		l := &UnitLoad{}
		if err := rows.Scan(&l.UnitID, &l.Open, &l.Warning, &l.Overdue, &l.Supervisions, &l.Urges, &l.CitizenUrges); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
