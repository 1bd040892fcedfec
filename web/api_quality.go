package web

import (
	"net/http"
	"strconv"
	"strings"

	"hotline"
	"hotline/quality"
	"hotline/sqldb"
)

// inspectionFilter reads the list's query: ticket_id, call_id, agent,
// status, reason, page, page_size.
func inspectionFilter(r *http.Request) (sqldb.InspectionFilter, error) {
	q := r.URL.Query()
	f := sqldb.InspectionFilter{CallRef: strings.TrimSpace(q.Get("call_id")), Agent: strings.TrimSpace(q.Get("agent")),
		Status: quality.Status(q.Get("status")), Reason: quality.Reason(q.Get("reason"))}
	if v := q.Get("ticket_id"); v != "" {
		id, ok := parseID(v)
		if !ok {
			return f, hotline.Invalid("ticket_id", "工单编号应为正整数")
		}
		f.TicketID = id
	}
	page, err := parsePage(q, "page")
	if err != nil {
		return f, err
	}
	f.Page = page
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return f, hotline.Invalid("page_size", "每页条数应为 1 到 200")
		}
		f.Size = n
	}
	return f, nil
}

// handleInspections is GET /api/v1/inspections: {"items": [...], "total"}.
func (s *Server) handleInspections(w http.ResponseWriter, r *http.Request) {
	f, err := inspectionFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	items, total, err := s.DB.Quality().FindInspections(r.Context(), actorFrom(r), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
}

// handleInspection is GET /api/v1/inspections/{id}.
func (s *Server) handleInspection(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "质检任务不存在"))
		return
	}
	in, err := s.DB.Quality().FindInspection(r.Context(), actorFrom(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

// handleInspectionAction is POST /api/v1/inspections/{id}/{action}:
// result (the inspector's score: card_id, marks, comment, typical_case),
// acknowledge, object {text}, decide {uphold, text, marks}.
func (s *Server) handleInspectionAction(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "质检任务不存在"))
		return
	}
	var cmd sqldb.InspectionCommand
	if r.ContentLength != 0 { // acknowledge needs no body
		if err := decode(r, &cmd); err != nil {
			s.error(w, r, err)
			return
		}
	}
	cmd.Action = map[string]string{"result": quality.ActScore, "acknowledge": quality.ActAcknowledge, "object": quality.ActObject,
		"decide": quality.ActDecide}[r.PathValue("action")]
	if cmd.Action == "" {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "没有这个质检操作"))
		return
	}
	in, err := s.DB.Quality().ActOnInspection(r.Context(), actorFrom(r), id, cmd)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

// handleScorecards is GET /api/v1/quality/scorecards: the active cards.
func (s *Server) handleScorecards(w http.ResponseWriter, r *http.Request) {
	cards, err := s.DB.Quality().FindScorecards(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": cards})
}

// handleSaveScorecard is POST /api/v1/quality/scorecards: a new version.
func (s *Server) handleSaveScorecard(w http.ResponseWriter, r *http.Request) {
	var c quality.Scorecard
	if err := decode(r, &c); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.Quality().SaveScorecard(r.Context(), actorFrom(r), &c); err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// handleCoverage is GET /api/v1/quality/coverage?from=&to=: the coverage
// of unsatisfied tickets by inspections.
func (s *Server) handleCoverage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, to, err := parsePeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.DB.Quality().UnsatisfiedCoverage(r.Context(), actorFrom(r), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// handleDrawSample is POST /api/v1/quality/samples: a sampling rule
// (target, from, to, share, agent, min_talk_seconds, channel,
// appeal_kind, seed) drawn at once; the draw is recorded.
func (s *Server) handleDrawSample(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Target         string  `json:"target"`
		From           string  `json:"from"`
		To             string  `json:"to"`
		Share          float64 `json:"share"`
		Agent          string  `json:"agent"`
		MinTalkSeconds int     `json:"min_talk_seconds"`
		Channel        string  `json:"channel"`
		AppealKind     string  `json:"appeal_kind"`
		Seed           int64   `json:"seed"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	from, to, err := parsePeriod(in.From, in.To)
	if err != nil {
		s.error(w, r, err)
		return
	}
	sample, err := s.DB.Quality().DrawSample(r.Context(), actorFrom(r), sqldb.SampleRequest{Target: quality.Target(in.Target), From: from, To: to,
		Share: in.Share, Agent: strings.TrimSpace(in.Agent), MinTalkSeconds: in.MinTalkSeconds, Channel: in.Channel, AppealKind: in.AppealKind, Seed: in.Seed})
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sample)
}

// handleLiveMonitoring is GET /api/v1/quality/live-monitoring?date=: the
// day's live monitoring and its figure (distinct seats, target 5).
func (s *Server) handleLiveMonitoring(w http.ResponseWriter, r *http.Request) {
	day, err := parseWhen("date", r.URL.Query().Get("date"), false)
	if r.URL.Query().Get("date") == "" {
		day, err = s.DB.Now(), nil
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.DB.Quality().LiveMonitoringDay(r.Context(), actorFrom(r), day)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// handleStartMonitoring is POST /api/v1/quality/live-monitoring
// {"agent_id"}; handleEndMonitoring is POST
// /api/v1/quality/live-monitoring/{id}/end {"findings"}.
func (s *Server) handleStartMonitoring(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AgentID int64 `json:"agent_id"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.DB.Quality().StartMonitoring(r.Context(), actorFrom(r), in.AgentID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

func (s *Server) handleEndMonitoring(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	var in struct {
		Findings string `json:"findings"`
	}
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "没有这次监控"))
		return
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.DB.Quality().EndMonitoring(r.Context(), actorFrom(r), id, in.Findings)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// handleRectifications is GET /api/v1/rectifications?status=&page=.
func (s *Server) handleRectifications(w http.ResponseWriter, r *http.Request) {
	page, err := parsePage(r.URL.Query(), "page")
	if err != nil {
		s.error(w, r, err)
		return
	}
	items, total, err := s.DB.Quality().FindRectifications(r.Context(), actorFrom(r), quality.RectStatus(r.URL.Query().Get("status")), page, 50)
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.DB.Now()
	type item struct {
		*quality.Rectification
		State string `json:"state"` // ok, warning, overdue; "" once planned
	}
	out := make([]item, len(items))
	for i, it := range items {
		out[i] = item{it, it.State(now)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "total": total})
}

// handleRaiseRectification is POST /api/v1/rectifications {source, agent,
// problem}: a problem the centre found or a verified complaint.
func (s *Server) handleRaiseRectification(w http.ResponseWriter, r *http.Request) {
	var in struct{ Source, Agent, Problem string }
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	rect, err := s.DB.Quality().RaiseRectification(r.Context(), actorFrom(r), in.Source, strings.TrimSpace(in.Agent), in.Problem)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rect)
}

// handleRectification is GET /api/v1/rectifications/{id}.
func (s *Server) handleRectification(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "整改不存在"))
		return
	}
	rect, err := s.DB.Quality().FindRectification(r.Context(), actorFrom(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rect)
}

// handleRectStep is POST /api/v1/rectifications/{id}/{step} {text, passed,
// link}: cause, plan, carry, verify, improve.
func (s *Server) handleRectStep(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "整改不存在"))
		return
	}
	var in struct {
		Text   string `json:"text"`
		Passed *bool  `json:"passed"`
		Link   string `json:"link"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	rect, err := s.DB.Quality().TakeRectStep(r.Context(), actorFrom(r), id, r.PathValue("step"), in.Text, in.Passed, in.Link)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rect)
}

// handleQualityFigures is GET /api/v1/quality/figures?month=YYYY-MM (this
// month without one): quality.Figures.
func (s *Server) handleQualityFigures(w http.ResponseWriter, r *http.Request) {
	_, month, _, err := s.monthRange(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, err := s.DB.Quality().QualityFigures(r.Context(), actorFrom(r), month)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}
