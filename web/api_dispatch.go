package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/sqldb"
)

// handleDispatchSuggest: GET /api/v1/dispatch/suggest?text= → the top
// three units and categories with probabilities and the words behind them
// (the centre only; empty lists when no model is switched on).
func (s *Server) handleDispatchSuggest(w http.ResponseWriter, r *http.Request) {
	if a := actorFrom(r); !a.Centre() {
		s.error(w, r, hotline.Errorf(hotline.EForbidden, "%s无权查看派单建议", a.Role.Label()))
		return
	}
	text := strings.TrimSpace(r.URL.Query().Get("text"))
	if text == "" || len([]rune(text)) > 5000 {
		s.error(w, r, hotline.Invalid("text", "请提供诉求文字（不超过5000字）"))
		return
	}
	rf, err := s.loadRef(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	sg, err := s.suggest(r.Context(), text, rf)
	s.respond(w, r, http.StatusOK, sg, err)
}

func (s *Server) handleDispatchModels(w http.ResponseWriter, r *http.Request) {
	if a := actorFrom(r); !a.Role.Has(hotline.PermManageConfig) {
		s.error(w, r, hotline.Errorf(hotline.EForbidden, "%s无权访问该页面", a.Role.Label()))
		return
	}
	ms, err := s.DB.FindDispatchModels(r.Context())
	s.respond(w, r, http.StatusOK, map[string]any{"items": ms, "training": map[string]string{
		sqldb.TargetUnit: s.trainingState(sqldb.TargetUnit), sqldb.TargetCategory: s.trainingState(sqldb.TargetCategory)}}, err)
}

func (s *Server) handleDispatchTrain(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Target string `json:"target"`
	}
	if err := decode(r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	err := s.startTraining(actorFrom(r), b.Target)
	s.respond(w, r, http.StatusAccepted, map[string]string{"target": b.Target, "state": s.trainingState(b.Target)}, err)
}

func (s *Server) handleDispatchActivate(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "派单模型不存在"))
		return
	}
	err := s.DB.ActivateDispatchModel(r.Context(), actorFrom(r), "", id)
	s.respond(w, r, http.StatusOK, map[string]any{"id": id, "active": true}, err)
}

// monthRange reads ?month=YYYY-MM (default: this month) as [from, to).
func (s *Server) monthRange(r *http.Request) (string, time.Time, time.Time, error) {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = s.DB.Now().In(hotline.ChinaZone).Format("2006-01")
	}
	from, err := time.ParseInLocation("2006-01", month, hotline.ChinaZone)
	if err != nil {
		return "", time.Time{}, time.Time{}, hotline.Invalid("month", "月份格式应为 YYYY-MM")
	}
	return month, from, from.AddDate(0, 1, 0), nil
}

func (s *Server) handleDispatchFigures(w http.ResponseWriter, r *http.Request) {
	if a := actorFrom(r); !a.Centre() {
		s.error(w, r, hotline.Errorf(hotline.EForbidden, "%s无权查看派单建议", a.Role.Label()))
		return
	}
	_, from, to, err := s.monthRange(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, err := s.DB.FindDispatchFigures(r.Context(), from, to)
	s.respond(w, r, http.StatusOK, f, err)
}

// handleDispatchFiguresPage: the month's dispatch accuracy and return
// rates, for the centre's dispatchers, team leads and managers.
func (s *Server) handleDispatchFiguresPage(w http.ResponseWriter, r *http.Request) {
	if a := actorFrom(r); !a.Centre() {
		s.errorPage(w, r, hotline.Errorf(hotline.EForbidden, "%s无权查看派单统计", a.Role.Label()))
		return
	}
	s.show(w, r, http.StatusOK, "dispatch_figures", "派单统计", func(rf *ref) (any, error) { return s.figuresContent(r, rf) })
}

// figuresContent is the dispatch figures of the month the request names
// (this month by default).
func (s *Server) figuresContent(r *http.Request, rf *ref) (*dispatchPageContent, error) {
	month, from, to, err := s.monthRange(r)
	if err != nil {
		return nil, err
	}
	f, err := s.DB.FindDispatchFigures(r.Context(), from, to)
	if err != nil {
		return nil, err
	}
	return &dispatchPageContent{Month: month, Ref: rf, Figures: f}, nil
}

type dispatchPageContent struct {
	Reports  map[int64]string // per model: the evaluation with unit and category names
	Auto     float64
	Retrain  int // days; 0: off
	Models   []*sqldb.DispatchModel
	Training map[string]string
	Figures  *sqldb.DispatchFigures
	Month    string
	Ref      *ref
	Error    string
}

func (s *Server) handleDispatchPage(w http.ResponseWriter, r *http.Request) {
	s.dispatchPage(w, r, http.StatusOK, "")
}

func (s *Server) dispatchPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	s.show(w, r, status, "admin_dispatch", "智能派单", func(rf *ref) (any, error) {
		c, err := s.figuresContent(r, rf)
		if err != nil {
			return nil, err
		}
		c.Error, c.Training = errMsg, map[string]string{
			sqldb.TargetUnit: s.trainingState(sqldb.TargetUnit), sqldb.TargetCategory: s.trainingState(sqldb.TargetCategory)}
		if c.Models, err = s.DB.FindDispatchModels(r.Context()); err == nil {
			if c.Auto, err = s.DB.AutoDispatchThreshold(r.Context()); err == nil {
				c.Retrain, err = s.DB.DispatchRetrainDays(r.Context())
			}
		}
		c.Reports = map[int64]string{}
		for _, m := range c.Models {
			c.Reports[m.ID] = namedReport(m, c.Ref)
		}
		return c, err
	})
}

func (s *Server) handleDispatchTrainForm(w http.ResponseWriter, r *http.Request) {
	if err := s.startTraining(actorFrom(r), r.PostFormValue("target")); err != nil {
		s.dispatchPage(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	http.Redirect(w, r, "/admin/dispatch", http.StatusSeeOther)
}

func (s *Server) handleDispatchActivateForm(w http.ResponseWriter, r *http.Request) {
	id, _ := parseID(r.PathValue("id"))
	if err := s.DB.ActivateDispatchModel(r.Context(), actorFrom(r), r.PostFormValue("target"), id); err != nil {
		s.dispatchPage(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	saved(w, r, "/admin/dispatch?")
}

// handleSimilarTickets: GET /api/v1/tickets/similar?title=&content=&location_unit_id=&category_id=&except=
// → open tickets that may be the same appeal (merge proposals).
func (s *Server) handleSimilarTickets(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	title, content := strings.TrimSpace(q.Get("title")), strings.TrimSpace(q.Get("content"))
	if title+content == "" || len([]rune(title+content)) > 5000 {
		s.error(w, r, hotline.Invalid("content", "请提供诉求文字（不超过5000字）"))
		return
	}
	unit, _ := strconv.ParseInt(q.Get("location_unit_id"), 10, 64)
	except, _ := strconv.ParseInt(q.Get("except"), 10, 64)
	cat, _ := strconv.ParseInt(q.Get("category_id"), 10, 64)
	items, err := s.DB.FindSimilarTickets(r.Context(), actorFrom(r),
		sqldb.SimilarQuery{Title: title, Content: content, LocationUnitID: unit, CategoryID: cat, Except: except}, 5)
	if items == nil {
		items = []*sqldb.SimilarTicket{}
	}
	s.respond(w, r, http.StatusOK, map[string]any{"items": items}, err)
}

// handleSetAutoDispatch: PUT /api/v1/dispatch/auto {"threshold": 0.9}; 0 is off.
func (s *Server) handleSetAutoDispatch(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Threshold float64 `json:"threshold"`
	}
	if err := decode(r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	err := s.DB.SetAutoDispatchThreshold(r.Context(), actorFrom(r), b.Threshold)
	s.respond(w, r, http.StatusOK, map[string]float64{"threshold": b.Threshold}, err)
}

func (s *Server) handleAutoDispatchForm(w http.ResponseWriter, r *http.Request) {
	p, err := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("auto_threshold")), 64)
	if err != nil {
		err = hotline.Invalid("auto_threshold", "应为数字")
	} else {
		err = s.DB.SetAutoDispatchThreshold(r.Context(), actorFrom(r), p)
	}
	if err != nil {
		s.dispatchPage(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	saved(w, r, "/admin/dispatch?")
}

// handleSetRetrain: PUT /api/v1/dispatch/retrain {"days": 30}; 0 is off.
func (s *Server) handleSetRetrain(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Days int `json:"days"`
	}
	if err := decode(r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	err := s.DB.SetDispatchRetrainDays(r.Context(), actorFrom(r), b.Days)
	s.respond(w, r, http.StatusOK, map[string]int{"days": b.Days}, err)
}

func (s *Server) handleRetrainForm(w http.ResponseWriter, r *http.Request) {
	days, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("retrain_days")))
	if err != nil {
		err = hotline.Invalid("retrain_days", "应为整数")
	} else {
		err = s.DB.SetDispatchRetrainDays(r.Context(), actorFrom(r), days)
	}
	if err != nil {
		s.dispatchPage(w, r, statusOf[hotline.ErrorCode(err)], errText(r, err))
		return
	}
	saved(w, r, "/admin/dispatch?")
}

// namedReport is a model's evaluation with the label ids at the start of
// its lines replaced by unit or category names.
func namedReport(m *sqldb.DispatchModel, rf *ref) string {
	lines := strings.Split(m.Report, "\n")
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		id, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		name := rf.unitName[id]
		if m.Target == sqldb.TargetCategory {
			name = rf.catPath[id]
		}
		if name != "" {
			lines[i] = name + "  " + strings.TrimSpace(strings.TrimPrefix(l, f[0]))
		}
	}
	return strings.Join(lines, "\n")
}
