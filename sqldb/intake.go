package sqldb

import (
	"context"
	"strconv"

	"hotline"
)

// Intake modes: what the agent does with the call once the ticket is
// filled in.
const (
	IntakeSave    = "save"    // accept only (待提交)
	IntakeSubmit  = "submit"  // accept and send to dispatch (and dispatch automatically when sure)
	IntakeResolve = "resolve" // accept and conclude on the call (直接办结) with an answer
)

// IntakeRequest is one call taken at the intake form or through the API.
type IntakeRequest struct {
	Ticket    *hotline.Ticket
	Mode      string
	Answer    string             // the answer given on the call (IntakeResolve)
	ArticleID int64              // the knowledge-base article that answered it, if any
	Guess     *hotline.UnitGuess // the unit model's first unit for the text, if a model is on
	CallID    string             // the platform's id of the call it was taken on, if any (linked)
}

// Intake takes a call as one use case in one transaction: accept the
// ticket, link the article that answered it, then submit it (and dispatch
// it automatically when the rule says so: hotline.AutoDispatchCommand) or
// conclude it on the call. It succeeds whole or changes nothing. On
// success req.Ticket is the actor's (masked) view of the ticket.
func (db *DB) Intake(ctx context.Context, actor hotline.Actor, req IntakeRequest) error {
	switch req.Mode {
	case IntakeSave, IntakeSubmit, IntakeResolve:
	default:
		return hotline.Invalid("mode", "办理方式应为 save、submit 或 resolve")
	}
	if req.Mode == IntakeResolve && hotline.Blank(req.Answer) {
		return hotline.Invalid("answer", "直接办结时请填写答复内容")
	}
	if req.ArticleID != 0 {
		if _, err := db.FindArticle(ctx, actor, req.ArticleID); hotline.ErrorCode(err) == hotline.ENotFound {
			return hotline.Invalid("kb_article_id", "知识库文章不存在")
		} else if err != nil {
			return err
		}
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t := req.Ticket
	if err := db.createTicket(ctx, tx, actor, t, req.Mode == IntakeSubmit); err != nil {
		return err
	}
	if req.CallID != "" {
		if err := linkCall(ctx, tx, actor, t.ID, req.CallID); err != nil {
			return err
		}
	}
	if req.ArticleID != 0 {
		if err := linkArticle(ctx, tx, actor, t.ID, req.ArticleID); err != nil {
			return err
		}
	}
	switch req.Mode {
	case IntakeResolve:
		done, err := db.applyAction(ctx, tx, actor, t.ID, hotline.Command{Action: hotline.ActionResolveOnCall, Content: req.Answer})
		if err != nil {
			return err
		}
		*t = *done
	case IntakeSubmit:
		done, err := db.autoDispatch(ctx, tx, t, req.Guess)
		if err != nil {
			return err
		}
		*t = *done
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	t.RedactFor(actor)
	return nil
}

// AutoDispatch dispatches a ticket just submitted when the automatic
// dispatch rule says so (hotline.AutoDispatchCommand), recording the
// suggestion beside the dispatch, in one transaction. It returns the
// ticket as it now is, masked for the automatic dispatcher (a centre
// actor).
func (db *DB) AutoDispatch(ctx context.Context, ticketID int64, g *hotline.UnitGuess) (*hotline.Ticket, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := findTicket(ctx, tx, ticketID, true)
	if err != nil {
		return nil, err
	}
	if t, err = db.autoDispatch(ctx, tx, t, g); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	t.RedactFor(hotline.AutoDispatcher)
	return t, nil
}

// autoDispatch is the rule applied inside tx: t itself when a person
// decides, the dispatched ticket otherwise.
func (db *DB) autoDispatch(ctx context.Context, tx *Tx, t *hotline.Ticket, g *hotline.UnitGuess) (*hotline.Ticket, error) {
	if t.Status != hotline.StatusPendingDispatch || g == nil {
		return t, nil
	}
	v, err := readSetting(ctx, tx, "dispatch.auto_threshold", "0")
	if err != nil {
		return nil, err
	}
	threshold, _ := strconv.ParseFloat(v, 64)
	entry, err := suggestDispatch(ctx, tx, t.CategoryID, t.Location.UnitID)
	if err != nil && hotline.ErrorCode(err) != hotline.ENotFound {
		return nil, err
	}
	cmd, ok := hotline.AutoDispatchCommand(t, threshold, g, entry)
	if !ok {
		return t, nil
	}
	done, err := db.applyAction(ctx, tx, hotline.AutoDispatcher, t.ID, cmd)
	if err != nil {
		return nil, err
	}
	rec := DispatchRecord{TicketID: t.ID, ModelID: g.ModelID, SuggestedUnitID: g.UnitID, Confidence: g.Prob, FinalUnitID: done.LeadUnitID}
	if entry != nil {
		rec.CatalogueUnitID = entry.LeadUnitID
	}
	if err := insertDispatchRecord(ctx, tx, hotline.AutoDispatcher, rec); err != nil {
		return nil, err
	}
	return done, nil
}
