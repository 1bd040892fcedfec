package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/sqldb"
)

// ticketInput is the body of POST /api/v1/tickets.
type ticketInput struct {
	Channel      hotline.Channel    `json:"channel"`
	AppealKind   hotline.AppealKind `json:"appeal_kind"`
	CategoryID   int64              `json:"category_id"`
	Urgency      hotline.Urgency    `json:"urgency"`
	Title        string             `json:"title"`
	Content      string             `json:"content"`
	Requester    hotline.Requester  `json:"requester"`
	Location     hotline.Location   `json:"location"`
	Confidential bool               `json:"confidential"`
	Submit       bool               `json:"submit"` // go on to the dispatch queue at once
}

func (s *Server) handleCreateTicket(w http.ResponseWriter, r *http.Request) {
	var in ticketInput
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	t := &hotline.Ticket{Channel: in.Channel, AppealKind: in.AppealKind, CategoryID: in.CategoryID, Urgency: in.Urgency,
		Title: in.Title, Content: in.Content, Requester: in.Requester, Location: in.Location, Confidential: in.Confidential}
	req := sqldb.IntakeRequest{Ticket: t, Mode: sqldb.IntakeSave}
	if in.Submit {
		req.Mode, req.Guess = sqldb.IntakeSubmit, s.unitGuess(r.Context(), t)
	}
	if err := s.DB.Intake(r.Context(), actorFrom(r), req); err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// ticketFilter parses the list query; a bad parameter is a 400 naming it.
func ticketFilter(r *http.Request) (sqldb.TicketFilter, error) {
	q := r.URL.Query()
	var f sqldb.TicketFilter
	ints := []struct {
		name string
		dst  *int64
	}{{"unit_id", &f.UnitID}, {"category_id", &f.CategoryID}, {"owner_id", &f.OwnerID}}
	for _, p := range ints {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return f, hotline.Invalid(p.name, "应为正整数")
			}
			*p.dst = n
		}
	}
	var err error
	if f.Page, f.PageSize, err = pageParams(q); err != nil {
		return f, err
	}
	if v := q.Get("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !hotline.Status(st).Valid() {
				return f, hotline.Invalid("status", "没有状态“%s”", st)
			}
			f.Status = append(f.Status, hotline.Status(st))
		}
	}
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, hotline.Invalid("overdue", "应为 true 或 false")
		}
		f.Overdue = &b
	}
	if v := hotline.Channel(q.Get("channel")); v != "" && !v.Valid() {
		return f, hotline.Invalid("channel", "渠道无效")
	} else {
		f.Channel = v
	}
	if v := hotline.AppealKind(q.Get("appeal_kind")); v != "" && !v.Valid() {
		return f, hotline.Invalid("appeal_kind", "诉求类型无效")
	} else {
		f.AppealKind = v
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			d, err := time.ParseInLocation("2006-01-02", v, hotline.ChinaZone)
			if err != nil {
				return f, hotline.Invalid(name, "日期格式应为 YYYY-MM-DD")
			}
			if name == "to" {
				d = d.AddDate(0, 0, 1) // inclusive end day
			}
			*dst = d
		}
	}
	if q.Has("phone") { // a list filtered by phone enumerates numbers behind the mask
		return f, hotline.Invalid("phone", "工单列表不能按电话筛选；查来电人的历史工单请用来电历史查询")
	}
	if f.Q = q.Get("q"); len([]rune(f.Q)) > 200 {
		return f, hotline.Invalid("q", "检索词不能超过200个字")
	}
	return f, nil
}

func (s *Server) handleListTickets(w http.ResponseWriter, r *http.Request) {
	f, err := ticketFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	actor := actorFrom(r)
	items, total, err := s.DB.FindTickets(r.Context(), actor, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
}

// handleCallerHistory is the caller-history lookup (来电历史): limited,
// audited, for the roles that take or return calls.
func (s *Server) handleCallerHistory(w http.ResponseWriter, r *http.Request) {
	h, err := s.DB.LookUpCaller(r.Context(), actorFrom(r), r.URL.Query().Get("phone"))
	s.respond(w, r, http.StatusOK, h, err)
}

func (s *Server) handleGetTicket(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	actor := actorFrom(r)
	t, err := s.DB.FindTicketByID(r.Context(), actor, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) handleSupervisions(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	sv, err := s.DB.FindSupervisions(r.Context(), actorFrom(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": sv})
}

func (s *Server) handleAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	action := hotline.Action(r.PathValue("action"))
	known := false
	for _, a := range hotline.TicketActions {
		known = known || a == action
	}
	if !known {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "没有“%s”这个工单操作", action))
		return
	}
	var cmd hotline.Command
	if r.ContentLength != 0 {
		if err := decode(r, &cmd); err != nil {
			s.error(w, r, err)
			return
		}
	}
	cmd.Action = action
	actor := actorFrom(r)
	t, err := s.DB.ApplyAction(r.Context(), actor, id, cmd)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if action == hotline.ActionDispatch || action == hotline.ActionDesignate {
		s.recordDispatch(r.Context(), actor, t)
	}
	if action == hotline.ActionSubmit {
		if g := s.unitGuess(r.Context(), t); g != nil {
			if t, err = s.DB.AutoDispatch(r.Context(), t.ID, g); err != nil {
				s.error(w, r, err)
				return
			}
		}
	}
	writeJSON(w, http.StatusOK, t)
}
