package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"hotline"
)

// NumberPrefix starts every ticket number: PX (Pingxiang) + the date of
// acceptance + a serial of at least six digits that never repeats.
const NumberPrefix = "PX"

// CreateTicket accepts a new ticket on behalf of actor (受理). With submit
// it goes on to the dispatch queue in the same transaction. The ticket is
// durable when this returns, and t is then the actor's view of it: the
// requester masked like every other read.
func (db *DB) CreateTicket(ctx context.Context, actor hotline.Actor, t *hotline.Ticket, submit bool) error {
	// The search index is written a moment later by IndexTickets (the
	// indexer job), in batches: segmenting and indexing here cost half the
	// acceptance rate.
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.createTicket(ctx, tx, actor, t, submit); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	t.RedactFor(actor)
	return nil
}

func (db *DB) createTicket(ctx context.Context, tx *Tx, actor hotline.Actor, t *hotline.Ticket, submit bool) error {
	if err := checkCertified(ctx, tx, actor); err != nil {
		return err
	}
	if t.CategoryID > 0 {
		if err := checkExists(ctx, tx, "categories", t.CategoryID, "category_id", "诉求分类"); err != nil {
			return err
		}
	}
	if t.Location.UnitID != 0 {
		if err := checkExists(ctx, tx, "units", t.Location.UnitID, "location.unit_id", "所属区域"); err != nil {
			return err
		}
	}
	env := hotline.Env{Now: tx.now, Rules: db.Rules}
	var err error
	if t.AppealKind.Valid() && t.Urgency.Valid() {
		if env, err = tx.env(ctx, t); err != nil {
			return err
		}
	}
	accept, err := hotline.NewTicket(t, actor, env)
	if err != nil {
		return err
	}
	day := tx.now.In(hotline.ChinaZone).Format("20060102")
	serial, err := db.dialect.nextTicketSerial(ctx, tx)
	if err != nil {
		return err
	}
	t.Number = fmt.Sprintf("%s%s%06d", NumberPrefix, day, serial)
	if err := tx.refreshKeys(ctx); err != nil {
		return err
	}
	sealed, err := db.Requesters.Seal(t.Requester)
	if err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO tickets (number, channel, appeal_kind, category_id, urgency, title, content,
		requester_anonymous, requester_name, requester_phone, requester_address, requester_phone_key,
		location_address, location_unit_id, lat, lng, confidential, status, owner_id, calendar_clock, sla_state, created_at, updated_at, requester_key_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22, $23) RETURNING id`,
		t.Number, t.Channel, t.AppealKind, t.CategoryID, t.Urgency, t.Title, t.Content,
		t.Requester.Anonymous, sealed.Name, sealed.Phone, sealed.Address, sealed.PhoneKey,
		t.Location.Address, nullID(t.Location.UnitID), t.Location.Lat, t.Location.Lng, t.Confidential, t.Status, t.OwnerID,
		t.CalendarClock, t.SLAState, tx.now.UnixMilli(), sealed.KeyID).Scan(&t.ID); err != nil {
		return err
	}
	accept.TicketID = t.ID
	if err := insertEvent(ctx, tx, accept); err != nil {
		return err
	}
	if err := openFullInspections(ctx, tx, t, accept); err != nil {
		return err
	}
	t.CoUnitIDs = []int64{}
	t.Events = []*hotline.Event{accept}
	if submit {
		ev, err := t.Apply(actor, hotline.Command{Action: hotline.ActionSubmit}, env)
		if err != nil {
			return err
		}
		if err := updateTicket(ctx, tx, t); err != nil {
			return err
		}
		if err := insertEvent(ctx, tx, ev); err != nil {
			return err
		}
		t.Events = append(t.Events, ev)
	}
	if err := appendAudit(ctx, tx, actor, "ticket.accept", ticketTarget(t), ""); err != nil {
		return err
	}
	tx.changed(changeOf(t, hotline.ActionAccept))
	return nil
}

func ticketTarget(t *hotline.Ticket) string { return fmt.Sprintf("ticket:%d %s", t.ID, t.Number) }

// FindTicketByID returns a ticket the actor may see, with its timeline,
// the requester masked for the actor (hotline.Ticket.RedactFor; the one
// way to the unmasked requester is RevealRequester). Tickets outside a
// unit's reach are reported as not found.
func (db *DB) FindTicketByID(ctx context.Context, actor hotline.Actor, id int64) (*hotline.Ticket, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := findTicket(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	if !actor.CanSeeTicket(t) {
		return nil, hotline.Errorf(hotline.ENotFound, "工单不存在")
	}
	if t.Events, err = findEvents(ctx, tx, id); err != nil {
		return nil, err
	}
	if err := loadAttachments(ctx, tx, t); err != nil {
		return nil, err
	}
	if actor.Centre() { // the centre's call data, not the units'
		if err := db.loadCalls(ctx, tx, t); err != nil {
			return nil, err
		}
	}
	t.RedactFor(actor)
	return t, nil
}

// ApplyAction takes one lifecycle action on a ticket: it checks the actor
// and the state in the domain, writes the change and its event in one
// transaction, and returns the ticket with its timeline, masked for the
// actor.
func (db *DB) ApplyAction(ctx context.Context, actor hotline.Actor, id int64, cmd hotline.Command) (*hotline.Ticket, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := db.applyAction(ctx, tx, actor, id, cmd)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	t.RedactFor(actor)
	return t, nil
}

// applyAction is ApplyAction inside tx: the ticket it returns is not yet
// masked.
func (db *DB) applyAction(ctx context.Context, tx *Tx, actor hotline.Actor, id int64, cmd hotline.Command) (*hotline.Ticket, error) {
	t, err := findTicket(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if !actor.CanSeeTicket(t) {
		return nil, hotline.Errorf(hotline.ENotFound, "工单不存在")
	}
	env, err := tx.env(ctx, t)
	if err != nil {
		return nil, err
	}
	into, cmd, err := checkReferences(ctx, tx, t, cmd)
	if err != nil {
		return nil, err
	}
	if cmd.Action == hotline.ActionCorrect {
		if env.Corrected, err = tx.correctedPolicy(ctx, t, cmd.Correction); err != nil {
			return nil, err
		}
	}
	ev, err := t.Apply(actor, cmd, env)
	if err != nil {
		return nil, err
	}
	if err := updateTicket(ctx, tx, t); err != nil {
		return nil, err
	}
	if err := insertEvent(ctx, tx, ev); err != nil {
		return nil, err
	}
	if err := openFullInspections(ctx, tx, t, ev); err != nil {
		return nil, err
	}
	if cmd.Action == hotline.ActionCallback {
		if _, err := tx.ExecContext(ctx, `INSERT INTO callback_ratings (event_id, ticket_id, at, rating) VALUES ($1, $2, $3, $4)`,
			ev.ID, t.ID, ev.CreatedAt.UnixMilli(), t.Rating); err != nil {
			return nil, err
		}
	}
	switch cmd.Action {
	case hotline.ActionDispatch, hotline.ActionDesignate:
		err = replaceCoUnits(ctx, tx, t)
	case hotline.ActionReturn:
		err = insertReturnRequest(ctx, tx, t)
	case hotline.ActionReviewReturn:
		if err = decideReturnRequest(ctx, tx, t); err == nil {
			err = replaceCoUnits(ctx, tx, t)
		}
	case hotline.ActionSupervise:
		_, err = insertSupervision(ctx, tx, &hotline.Supervision{TicketID: t.ID, Source: "manual", DueKind: t.NextDueKind,
			DueAt: tx.now, UnitID: t.LeadUnitID, CreatedBy: actor.UserID, Note: ev.Reason, CreatedAt: tx.now})
	case hotline.ActionUrge:
		err = insertUrge(ctx, tx, t, actor, ev.Reason)
	case hotline.ActionSupplement:
		_, err = tx.ExecContext(ctx, `INSERT INTO ticket_supplements (ticket_id, kind, content, unit_id, actor_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, t.ID, cmd.Kind, ev.Payload["content"], nullID(t.LeadUnitID), nullID(actor.UserID), tx.now.UnixMilli())
	case hotline.ActionMerge:
		err = insertEvent(ctx, tx, &hotline.Event{TicketID: cmd.IntoID, Action: hotline.ActionMergedFrom, ActorID: actor.UserID,
			ActorName: actor.Name, FromStatus: into.Status, ToStatus: into.Status,
			Payload: map[string]any{"ticket_id": t.ID, "number": t.Number}, CreatedAt: tx.now})
	}
	if err != nil {
		return nil, err
	}
	switch cmd.Action {
	case hotline.ActionReply, hotline.ActionResolveOnCall, hotline.ActionReopen, hotline.ActionCorrect:
		if err := db.indexTicket(ctx, tx, t); err != nil {
			return nil, err
		}
	}
	if t.Status == hotline.StatusConcluded && (cmd.Action == hotline.ActionReview || cmd.Action == hotline.ActionResolveOnCall) {
		if err := db.concludeMerged(ctx, tx, t); err != nil {
			return nil, err
		}
	}
	if err := appendAudit(ctx, tx, actor, "ticket."+string(cmd.Action), ticketTarget(t), ev.Reason); err != nil {
		return nil, err
	}
	tx.changed(changeOf(t, cmd.Action))
	if into != nil {
		tx.changed(changeOf(into, hotline.ActionMergedFrom))
	}
	if t.Events, err = findEvents(ctx, tx, id); err != nil {
		return nil, err
	}
	return t, nil
}

// RevealRequester returns a ticket's requester unmasked to an actor who may
// see it, and records the reveal and its reason in the audit log.
func (db *DB) RevealRequester(ctx context.Context, actor hotline.Actor, id int64, reason string) (hotline.Requester, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return hotline.Requester{}, hotline.Invalid("reason", "请填写查看诉求人信息的原因")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return hotline.Requester{}, err
	}
	defer tx.Rollback()
	t, err := findTicket(ctx, tx, id, false)
	if err != nil {
		return hotline.Requester{}, err
	}
	if !actor.CanSeeTicket(t) {
		return hotline.Requester{}, hotline.Errorf(hotline.ENotFound, "工单不存在")
	}
	if !actor.CanRevealRequester(t) {
		return hotline.Requester{}, hotline.Errorf(hotline.EForbidden, "无权查看该工单诉求人的完整信息")
	}
	if err := appendAudit(ctx, tx, actor, "ticket.reveal", ticketTarget(t), reason); err != nil {
		return hotline.Requester{}, err
	}
	return t.Requester, tx.Commit()
}

// checkReferences validates the ids a command points at, so that a bad id
// is a 400 naming the field rather than a foreign-key failure. For a merge
// it returns the main ticket (found by its number when the command names
// one), and the command with the main ticket's id.
func checkReferences(ctx context.Context, tx *Tx, t *hotline.Ticket, cmd hotline.Command) (into *hotline.Ticket, checked hotline.Command, err error) {
	switch cmd.Action {
	case hotline.ActionDispatch, hotline.ActionDesignate:
		if cmd.LeadUnitID > 0 {
			if err := checkExists(ctx, tx, "units", cmd.LeadUnitID, "lead_unit_id", "主办单位"); err != nil {
				return nil, cmd, err
			}
		}
		for _, id := range cmd.CoUnitIDs {
			if err := checkExists(ctx, tx, "units", id, "co_unit_ids", "协办单位"); err != nil {
				return nil, cmd, err
			}
		}
	case hotline.ActionMerge:
		if cmd.IntoID == 0 && cmd.IntoNumber != "" {
			number := strings.ToUpper(hotline.TrimText(cmd.IntoNumber))
			if err := tx.QueryRowContext(ctx, `SELECT id FROM tickets WHERE number = $1`, number).Scan(&cmd.IntoID); errors.Is(err, sql.ErrNoRows) {
				return nil, cmd, hotline.Invalid("into_number", "没有编号为 %s 的工单", number)
			} else if err != nil {
				return nil, cmd, err
			}
		}
		if cmd.IntoID <= 0 || cmd.IntoID == t.ID {
			return nil, cmd, nil // the domain names the field
		}
		into, err = findTicket(ctx, tx, cmd.IntoID, true)
		if hotline.ErrorCode(err) == hotline.ENotFound {
			return nil, cmd, hotline.Invalid("into_id", "主工单不存在")
		} else if err != nil {
			return nil, cmd, err
		}
		if !into.Status.Open() || into.Status == hotline.StatusMerged {
			return nil, cmd, hotline.Errorf(hotline.EConflict, "主工单%s当前状态为“%s”，不能并入", into.Number, into.Status.Label())
		}
	case hotline.ActionReturn:
		if cmd.SuggestedUnitID > 0 {
			if err := checkExists(ctx, tx, "units", cmd.SuggestedUnitID, "suggested_unit_id", "建议承办单位"); err != nil {
				return nil, cmd, err
			}
		}
	case hotline.ActionCorrect:
		if cmd.CategoryID > 0 {
			if err := checkExists(ctx, tx, "categories", cmd.CategoryID, "category_id", "诉求分类"); err != nil {
				return nil, cmd, err
			}
		}
		if l := cmd.Location; l != nil && l.UnitID > 0 {
			if err := checkExists(ctx, tx, "units", l.UnitID, "location.unit_id", "所属区域"); err != nil {
				return nil, cmd, err
			}
		}
	case hotline.ActionForward:
		if cmd.UnitID > 0 && cmd.UnitID != t.LeadUnitID {
			if err := checkChildUnit(ctx, tx, t.LeadUnitID, cmd.UnitID); err != nil {
				return nil, cmd, err
			}
		}
	case hotline.ActionAssign:
		if cmd.UserID > 0 {
			u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, cmd.UserID))
			if errors.Is(err, sql.ErrNoRows) || (err == nil && (!u.Active || u.Role != hotline.RoleUnit || u.UnitID != t.LeadUnitID)) {
				return nil, cmd, hotline.Invalid("user_id", "经办人须是本单位在岗的工作人员")
			} else if err != nil {
				return nil, cmd, err
			}
		}
	case hotline.ActionTransfer:
		if cmd.OwnerID > 0 {
			u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, cmd.OwnerID))
			if errors.Is(err, sql.ErrNoRows) {
				return nil, cmd, hotline.Invalid("owner_id", "负责人不存在")
			} else if err != nil {
				return nil, cmd, err
			}
			if !u.CanOwnTickets() {
				return nil, cmd, hotline.Invalid("owner_id", "工单只能转交给在岗的热线中心受理人员（话务员、工单员、班长），不能转交给%s", u.Role.Label())
			}
		}
	}
	return into, cmd, nil
}
