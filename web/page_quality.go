package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/quality"
	"hotline/sqldb"
)

// qualityListContent is the inspection list (质检): an inspector's tasks,
// or an agent's own inspections.
type qualityListContent struct {
	Items       []*quality.Inspection
	Total       int
	Page, Pages int
	Prev, Next  string
	F           url.Values
	Statuses    []quality.Status
	Reasons     []quality.Reason
	Own         bool // an agent's own inspections
	CanInspect  bool
	Coverage    *quality.Coverage // this month's unsatisfied tickets
	Now         time.Time
	CSRF        string
	Drawn       string // the sample just drawn: how many tasks
	LastWeek    [2]string
}

func (s *Server) handleQualityPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	s.show(w, r, http.StatusOK, "quality/list", "质检", func(rf *ref) (any, error) {
		f, err := inspectionFilter(r)
		if err != nil {
			return nil, err
		}
		if f.Size == 0 {
			f.Size = 30
		}
		c := &qualityListContent{F: r.URL.Query(), Statuses: quality.Statuses, Reasons: quality.Reasons, Now: s.DB.Now(),
			Own: !(&quality.Inspection{}).CanSee(a), CanInspect: quality.CanInspect(a), CSRF: sessionFrom(r).CSRF, Drawn: r.URL.Query().Get("drawn")}
		from, to := quality.LastWeek(s.DB.Now())
		c.LastWeek = [2]string{from.Format("2006-01-02"), to.AddDate(0, 0, -1).Format("2006-01-02")}
		if c.Items, c.Total, err = s.DB.Quality().FindInspections(r.Context(), a, f); err != nil {
			return nil, err
		}
		c.Page, c.Pages = max(f.Page, 1), (c.Total+f.Size-1)/f.Size
		link := func(p int) string {
			q := r.URL.Query()
			q.Set("page", strconv.Itoa(p))
			return "/quality?" + q.Encode()
		}
		if c.Page > 1 {
			c.Prev = link(c.Page - 1)
		}
		if c.Page < c.Pages {
			c.Next = link(c.Page + 1)
		}
		if !c.Own {
			now := s.DB.Now().In(hotline.ChinaZone)
			month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, hotline.ChinaZone)
			if c.Coverage, err = s.DB.Quality().UnsatisfiedCoverage(r.Context(), a, month, month.AddDate(0, 1, 0)); err != nil {
				return nil, err
			}
		}
		return c, nil
	})
}

// inspectionContent is one inspection's page: the call and the ticket
// beside the scorecard.
type inspectionContent struct {
	In        *quality.Inspection
	Card      *quality.Scorecard
	Marks     map[string]quality.Mark
	Ticket    *hotline.Ticket
	Call      *hotline.Call
	Actor     hotline.Actor
	CanScore  bool
	CanAnswer bool // the agent may acknowledge or object
	CanDecide bool
	CSRF      string
	Error     string
}

func (s *Server) inspectionPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	a := actorFrom(r)
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "质检任务不存在"))
		return
	}
	s.show(w, r, status, "quality/inspection", "质检", func(rf *ref) (any, error) {
		in, err := s.DB.Quality().FindInspection(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		c := &inspectionContent{In: in, Actor: a, CSRF: sessionFrom(r).CSRF, Error: errMsg, Marks: map[string]quality.Mark{}}
		if c.Card, err = s.DB.Quality().CardFor(r.Context(), in); err != nil {
			return nil, err
		}
		for _, m := range in.Marks {
			c.Marks[m.Key] = m
		}
		by := s.DB.Now()
		if in.Objection != nil {
			by = in.Objection.DueAt
		}
		now := s.DB.Now()
		c.CanScore = in.Check(a, quality.ActScore, now, by) == nil
		c.CanAnswer = in.Check(a, quality.ActAcknowledge, now, by) == nil
		c.CanDecide = in.Check(a, quality.ActDecide, now, by) == nil
		if in.TicketID != 0 {
			if t, err := s.DB.FindTicketByID(r.Context(), a, in.TicketID); err == nil {
				c.Ticket = t
			}
		}
		if in.CallID != "" {
			if call, err := s.DB.FindCall(r.Context(), a, in.CallID); err == nil {
				c.Call = call
			}
		}
		return c, nil
	})
}

func (s *Server) handleInspectionPage(w http.ResponseWriter, r *http.Request) {
	s.inspectionPage(w, r, http.StatusOK, "")
}

// handleInspectionForm takes the page's forms: score (the card's fields
// points.KEY, failed.KEY, comment.KEY), acknowledge, object, decide.
func (s *Server) handleInspectionForm(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "质检任务不存在"))
		return
	}
	action := r.PathValue("action")
	cmd := sqldb.InspectionCommand{Action: action, Comment: r.PostFormValue("comment"), TypicalCase: r.PostFormValue("typical_case"),
		Text: r.PostFormValue("text")}
	if action == quality.ActDecide {
		up := r.PostFormValue("uphold") == "1"
		if v := r.PostFormValue("uphold"); v == "1" || v == "0" {
			cmd.Uphold = &up
		}
	}
	if action == quality.ActScore || action == quality.ActDecide && cmd.Uphold != nil && *cmd.Uphold {
		in, err := s.DB.Quality().FindInspection(r.Context(), a, id)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		card, err := s.DB.Quality().CardFor(r.Context(), in)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		for _, it := range card.Items {
			m := quality.Mark{Key: it.Key, Points: it.Points, Comment: r.PostFormValue("comment." + it.Key)}
			if it.Fatal {
				m.Points, m.Failed = 0, r.PostFormValue("failed."+it.Key) != ""
			} else if v := strings.TrimSpace(r.PostFormValue("points." + it.Key)); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					s.inspectionPage(w, r, http.StatusBadRequest, localeOf(r).Tf("“%s”的得分应为 0 到 %d", it.Name, it.Points))
					return
				}
				m.Points = n
			}
			cmd.Marks = append(cmd.Marks, m)
		}
	}
	_, err := s.DB.Quality().ActOnInspection(r.Context(), a, id, cmd)
	if code := hotline.ErrorCode(err); code == hotline.EInvalid || code == hotline.EConflict {
		s.inspectionPage(w, r, http.StatusBadRequest, localeOf(r).Err(err))
		return
	} else if err != nil {
		s.errorPage(w, r, err)
		return
	}
	if action == quality.ActScore {
		// On to the next task: an inspection takes a minute, not five.
		if next, err := s.DB.Quality().NextInspection(r.Context(), a); err == nil && next != 0 {
			http.Redirect(w, r, "/quality/inspections/"+strconv.FormatInt(next, 10)+"?scored="+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return
		}
	}
	http.Redirect(w, r, "/quality/inspections/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
}

// handleMonitorForm starts (agent_id) or ends (id, findings) the viewer's
// live monitoring from the wall.
func (s *Server) handleMonitorForm(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	var err error
	if v := r.PostFormValue("id"); v != "" {
		id, ok := parseID(v)
		if !ok {
			s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "没有这次监控"))
			return
		}
		_, err = s.DB.Quality().EndMonitoring(r.Context(), a, id, r.PostFormValue("findings"))
	} else {
		id, ok := parseID(r.PostFormValue("agent_id"))
		if !ok {
			s.errorPage(w, r, hotline.Invalid("agent_id", "没有这个话务员"))
			return
		}
		_, err = s.DB.Quality().StartMonitoring(r.Context(), a, id)
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/calls/wall", http.StatusSeeOther)
}

// rectListContent is the rectification list (整改).
type rectListContent struct {
	Items       []*quality.Rectification
	Total       int
	Page, Pages int
	Prev, Next  string
	Status      string
	Statuses    []quality.RectStatus
	Figures     *quality.RectFigures // this month's
	CanRaise    bool
	CSRF        string
	Now         time.Time
}

func (s *Server) handleRectificationsPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	s.show(w, r, http.StatusOK, "quality/rectifications", "整改", func(rf *ref) (any, error) {
		page, err := parsePage(r.URL.Query(), "page")
		if err != nil {
			return nil, err
		}
		c := &rectListContent{Status: r.URL.Query().Get("status"), Statuses: quality.RectStatuses, CanRaise: quality.CanRectify(a),
			CSRF: sessionFrom(r).CSRF, Now: s.DB.Now()}
		if c.Items, c.Total, err = s.DB.Quality().FindRectifications(r.Context(), a, quality.RectStatus(c.Status), page, 30); err != nil {
			return nil, err
		}
		c.Page, c.Pages = page, (c.Total+29)/30
		if page > 1 {
			c.Prev = "/quality/rectifications?status=" + url.QueryEscape(c.Status) + "&page=" + strconv.Itoa(page-1)
		}
		if page < c.Pages {
			c.Next = "/quality/rectifications?status=" + url.QueryEscape(c.Status) + "&page=" + strconv.Itoa(page+1)
		}
		if quality.CanRectify(a) || (&quality.Inspection{}).CanSee(a) {
			now := s.DB.Now().In(hotline.ChinaZone)
			month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, hotline.ChinaZone)
			if c.Figures, err = s.DB.Quality().RectificationFigures(r.Context(), a, month, month.AddDate(0, 1, 0)); err != nil {
				return nil, err
			}
		}
		return c, nil
	})
}

// rectContent is one rectification's page: its steps and the next.
type rectContent struct {
	R       *quality.Rectification
	Next    string // the step it waits for
	CanStep bool
	State   string
	CSRF    string
	Error   string
}

func (s *Server) rectPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	a := actorFrom(r)
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "整改不存在"))
		return
	}
	s.show(w, r, status, "quality/rectification", "整改", func(rf *ref) (any, error) {
		rect, err := s.DB.Quality().FindRectification(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		c := &rectContent{R: rect, Next: rect.Status.NextStep(), State: rect.State(s.DB.Now()), CSRF: sessionFrom(r).CSRF, Error: errMsg}
		c.CanStep = c.Next != "" && rect.CheckStep(a, c.Next) == nil
		return c, nil
	})
}

func (s *Server) handleRectificationPage(w http.ResponseWriter, r *http.Request) {
	s.rectPage(w, r, http.StatusOK, "")
}

// handleRectForm takes the next step from the page, or (POST
// /quality/rectifications) raises a new rectification.
func (s *Server) handleRectForm(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	if r.PathValue("id") == "" {
		rect, err := s.DB.Quality().RaiseRectification(r.Context(), a, r.PostFormValue("source"), strings.TrimSpace(r.PostFormValue("agent")), r.PostFormValue("problem"))
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		http.Redirect(w, r, "/quality/rectifications/"+strconv.FormatInt(rect.ID, 10), http.StatusSeeOther)
		return
	}
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "整改不存在"))
		return
	}
	var passed *bool
	if v := r.PostFormValue("passed"); v == "1" || v == "0" {
		p := v == "1"
		passed = &p
	}
	_, err := s.DB.Quality().TakeRectStep(r.Context(), a, id, r.PathValue("step"), r.PostFormValue("text"), passed, r.PostFormValue("link"))
	if code := hotline.ErrorCode(err); code == hotline.EInvalid || code == hotline.EConflict {
		s.rectPage(w, r, http.StatusBadRequest, localeOf(r).Err(err))
		return
	} else if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/quality/rectifications/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
}

// handleQualityFiguresPage is /quality/figures?month=: the month's
// quality figures (quality.Figures) as tiles and tables.
func (s *Server) handleQualityFiguresPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	s.show(w, r, http.StatusOK, "quality/figures", "质检统计", func(rf *ref) (any, error) {
		_, month, _, err := s.monthRange(r)
		if err != nil {
			return nil, err
		}
		return s.DB.Quality().QualityFigures(r.Context(), a, month)
	})
}

// scorecardsContent is the scorecards page: the active cards, editable by
// those who keep them (a save is a new version).
type scorecardsContent struct {
	Cards   []*quality.Scorecard
	CanEdit bool
	Blank   []int // spare rows for new items
	CSRF    string
	Error   string
}

func (s *Server) scorecardsPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	a := actorFrom(r)
	s.show(w, r, status, "quality/scorecards", "质检评分表", func(rf *ref) (any, error) {
		if !(&quality.Inspection{}).CanSee(a) && a.Role != hotline.RoleAdmin {
			return nil, hotline.Errorf(hotline.EForbidden, "%s不能查看质检", a.Role.Label())
		}
		cards, err := s.DB.Quality().FindScorecards(r.Context())
		return &scorecardsContent{Cards: cards, CanEdit: a.Role == hotline.RoleAdmin || a.Role == hotline.RoleProjectManager,
			Blank: []int{0, 1, 2}, CSRF: sessionFrom(r).CSRF, Error: errMsg}, err
	})
}

func (s *Server) handleScorecardsPage(w http.ResponseWriter, r *http.Request) {
	s.scorecardsPage(w, r, http.StatusOK, "")
}

// handleScorecardForm saves a card's new version from the page: its name,
// target, pass score and rows key.N, section.N, name.N, points.N, fatal.N,
// hint.N (a row without a name is left out).
func (s *Server) handleScorecardForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, hotline.Invalid("body", "表单无法读取"))
		return
	}
	pass, _ := strconv.Atoi(r.PostFormValue("pass_score"))
	c := &quality.Scorecard{Name: r.PostFormValue("name"), Target: quality.Target(r.PostFormValue("target")), PassScore: pass}
	for i := 0; i < quality.MaxItems+3; i++ {
		n := strconv.Itoa(i)
		if strings.TrimSpace(r.PostFormValue("name."+n)) == "" {
			continue
		}
		points, _ := strconv.Atoi(r.PostFormValue("points." + n))
		c.Items = append(c.Items, quality.Item{Key: r.PostFormValue("key." + n), Section: r.PostFormValue("section." + n), Name: r.PostFormValue("name." + n),
			Points: points, Fatal: r.PostFormValue("fatal."+n) != "", Hint: r.PostFormValue("hint." + n)})
	}
	err := s.DB.Quality().SaveScorecard(r.Context(), actorFrom(r), c)
	if code := hotline.ErrorCode(err); code == hotline.EInvalid {
		s.scorecardsPage(w, r, http.StatusBadRequest, localeOf(r).Err(err))
		return
	} else if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/quality/scorecards?saved=1", http.StatusSeeOther)
}

// handleSampleForm draws a sample by the rule the list page's form gives.
func (s *Server) handleSampleForm(w http.ResponseWriter, r *http.Request) {
	from, to, err := parsePeriod(r.PostFormValue("from"), r.PostFormValue("to"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	share, _ := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("share_percent")), 64)
	minTalk, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("min_talk_seconds")))
	sample, err := s.DB.Quality().DrawSample(r.Context(), actorFrom(r), sqldb.SampleRequest{Target: quality.Target(r.PostFormValue("target")),
		From: from, To: to, Share: share / 100, Agent: strings.TrimSpace(r.PostFormValue("agent")), MinTalkSeconds: minTalk,
		Channel: r.PostFormValue("channel"), AppealKind: r.PostFormValue("appeal_kind")})
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/quality?reason=sampled&sample="+strconv.FormatInt(sample.ID, 10)+"&drawn="+strconv.Itoa(sample.Drawn), http.StatusSeeOther)
}
