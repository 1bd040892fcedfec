package web

import (
	"context"
	"strconv"

	"hotline"
	"hotline/sqldb"
)

// Scored is a suggested unit or category with its probability.
type Scored struct {
	ID   int64   `json:"id"`
	Name string  `json:"name"`
	Prob float64 `json:"prob"`
}

// Suggestion is what the models say about an appeal: the top three units
// and categories and the words that drove the first unit (or category).
type Suggestion struct {
	UnitModel     int64    `json:"unit_model,omitempty"`
	CategoryModel int64    `json:"category_model,omitempty"`
	Units         []Scored `json:"units"`
	Categories    []Scored `json:"categories"`
	Words         []string `json:"words"`
}

// suggest runs the active models on an appeal's text. With no active
// model the suggestion is empty.
func (s *Server) suggest(ctx context.Context, text string, rf *ref) (*Suggestion, error) {
	out := &Suggestion{Units: []Scored{}, Categories: []Scored{}, Words: []string{}}
	for _, target := range []string{sqldb.TargetUnit, sqldb.TargetCategory} {
		id, m, err := s.DB.ActiveDispatchModel(ctx, target)
		if err != nil || m == nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		preds := m.Predict(text)
		var list []Scored
		for _, p := range preds {
			n, _ := strconv.ParseInt(p.Label, 10, 64)
			name := rf.unitName[n]
			if target == sqldb.TargetCategory {
				name = rf.catPath[n]
			}
			if name == "" { // a unit or category gone since training
				continue
			}
			list = append(list, Scored{ID: n, Name: name, Prob: p.Prob})
			if len(list) == 3 {
				break
			}
		}
		if target == sqldb.TargetUnit {
			out.UnitModel, out.Units = id, list
		} else {
			out.CategoryModel, out.Categories = id, list
		}
		if len(out.Words) == 0 && len(list) > 0 {
			label := strconv.FormatInt(list[0].ID, 10)
			explained := m.Explain(text, label, 6)
			if words, err := s.DB.SegmentWords(ctx, text); err == nil {
				explained = m.ExplainWords(text, label, words, 6)
			}
			for _, c := range explained {
				out.Words = append(out.Words, c.Feature)
			}
		}
	}
	return out, nil
}

// leaveOut drops from the suggested units those that returned the ticket
// with an approved return: the model is not to send it back to them.
func (sg *Suggestion) leaveOut(t *hotline.Ticket) {
	units := sg.Units[:0]
	for _, u := range sg.Units {
		if !t.ReturnedBy(u.ID) {
			units = append(units, u)
		}
	}
	sg.Units = units
}

// firstUnits is the active unit model's first unit for each ticket still
// without a lead unit (none without an active model): the dispatch queue
// shows it beside each ticket.
func (s *Server) firstUnits(ctx context.Context, tickets []*hotline.Ticket, rf *ref) (map[int64]Scored, error) {
	_, m, err := s.DB.ActiveDispatchModel(ctx, sqldb.TargetUnit)
	if err != nil || m == nil {
		return nil, err
	}
	out := map[int64]Scored{}
	for _, t := range tickets {
		if t.LeadUnitID != 0 {
			continue
		}
		for _, p := range m.Predict(t.Title + "\n" + t.Content) {
			id, _ := strconv.ParseInt(p.Label, 10, 64)
			if name := rf.unitName[id]; name != "" && !t.ReturnedBy(id) {
				out[t.ID] = Scored{ID: id, Name: name, Prob: p.Prob}
				break
			}
		}
	}
	return out, nil
}

// recordDispatch stores, after a dispatch or designation, what the model
// and the catalogue suggested beside the unit chosen. A failure here is
// logged: the dispatch itself stands.
func (s *Server) recordDispatch(ctx context.Context, a hotline.Actor, t *hotline.Ticket) {
	rec := sqldb.DispatchRecord{TicketID: t.ID, FinalUnitID: t.LeadUnitID}
	if rf, err := s.loadRef(ctx); err == nil {
		sg, err := s.suggest(ctx, t.Title+"\n"+t.Content, rf)
		if err == nil {
			sg.leaveOut(t) // as the form offered it
		}
		if err == nil && len(sg.Units) > 0 {
			rec.ModelID, rec.SuggestedUnitID, rec.Confidence = sg.UnitModel, sg.Units[0].ID, sg.Units[0].Prob
		}
	}
	if e, err := s.DB.SuggestDispatch(ctx, t.CategoryID, t.Location.UnitID); err == nil && e != nil {
		rec.CatalogueUnitID = e.LeadUnitID
	}
	if err := s.DB.RecordDispatch(ctx, a, rec); err != nil {
		s.Logger.Error("record dispatch", "ticket", t.ID, "err", err)
	}
}

// trainingState says how a target's training run is going, as stored:
// every server shows the same.
func (s *Server) trainingState(target string) string {
	st, _, err := s.DB.JobProgress(context.Background(), sqldb.TrainJob(target))
	if err != nil {
		s.Logger.Error("training progress", "err", err)
	}
	return st
}

// startTraining trains a model for target in the background on the
// concluded tickets (sqldb.DB.TrainDispatchModel); saved, not switched
// on — an admin does that after reading the evaluation. One run per
// target at a time, across servers.
func (s *Server) startTraining(a hotline.Actor, target string) error {
	if !a.Role.Has(hotline.PermManageConfig) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以训练派单模型")
	}
	if target != sqldb.TargetUnit && target != sqldb.TargetCategory {
		return hotline.Invalid("target", "应为 unit 或 category")
	}
	if ok, err := s.DB.StartJob(s.ctx, sqldb.TrainJob(target), "训练中", false); err != nil {
		return err
	} else if !ok {
		return hotline.Errorf(hotline.EConflict, "正在训练，请稍候")
	}
	s.background(func(ctx context.Context) {
		st, _, err := s.DB.TrainDispatchModel(ctx, a, target)
		if err != nil {
			s.Logger.Error("train dispatch model", "target", target, "err", err)
			st = "失败：" + hotline.ErrorMessage(err)
		}
		if _, err := s.DB.FinishJob(context.WithoutCancel(ctx), sqldb.TrainJob(target), st); err != nil {
			s.Logger.Error("training progress", "err", err)
		}
	})
	return nil
}

// unitGuess is the unit model's first unit for a ticket's text when
// automatic dispatch is on (nil otherwise, or without a model): the rule
// itself is the domain's, applied by storage in the use case's
// transaction.
func (s *Server) unitGuess(ctx context.Context, t *hotline.Ticket) *hotline.UnitGuess {
	if th, err := s.DB.AutoDispatchThreshold(ctx); err != nil || th == 0 {
		return nil
	}
	rf, err := s.loadRef(ctx)
	if err != nil {
		return nil
	}
	sg, err := s.suggest(ctx, t.Title+"\n"+t.Content, rf)
	if err != nil || len(sg.Units) == 0 {
		return nil
	}
	return &hotline.UnitGuess{ModelID: sg.UnitModel, UnitID: sg.Units[0].ID, Prob: sg.Units[0].Prob}
}
