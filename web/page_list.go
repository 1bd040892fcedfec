package web

import (
	"net/http"
	"strconv"
	"time"

	"hotline"
	"hotline/quality"
	"hotline/sqldb"
)

// tab is one queue tab with its count.
type tab struct {
	Label, URL, Class string
	Count             int
	Active            bool
}

type listContent struct {
	Heading     string
	Tabs        []tab
	ShowFilters bool
	UnitFilter  bool
	F           map[string]string
	Statuses    []hotline.Status
	Channels    []hotline.Channel
	Kinds       []hotline.AppealKind
	Ref         *ref
	Tickets     []*hotline.Ticket
	Proposals   map[int64]*sqldb.MergeProposal // likely duplicates, in the queues of tickets awaiting dispatch
	Suggested   map[int64]Scored               // the unit model's first unit, in the dispatch queue
	Total       int
	Page, Pages int
	Prev, Next  string
	Export      string
	Empty       string
	Error       string
}

// queue is a named, role-scoped ticket list (a tab of a role's work).
type queue struct {
	Key, Label string
	Filter     func(now time.Time, a hotline.Actor) sqldb.TicketFilter
}

var openStatuses = []hotline.Status{hotline.StatusDispatched, hotline.StatusHandling, hotline.StatusSuspended, hotline.StatusReplied}

// queues are each role's work lists, in the order the home page shows them.
func queuesFor(a hotline.Actor) []queue {
	st := func(s ...hotline.Status) []hotline.Status { return s }
	yes := true
	overdue := queue{"overdue", "已超期", func(time.Time, hotline.Actor) sqldb.TicketFilter {
		return sqldb.TicketFilter{Status: openStatuses, Overdue: &yes, Sort: "due"}
	}}
	switch a.Role {
	case hotline.RoleCallAgent:
		return []queue{
			{"mine-accepted", "我受理待提交", func(_ time.Time, a hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: st(hotline.StatusAccepted), OwnerID: a.UserID, Sort: "oldest"}
			}},
			{"mine-open", "我受理在办", func(_ time.Time, a hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: append(st(hotline.StatusPendingDispatch), openStatuses...), OwnerID: a.UserID, Sort: "due"}
			}},
		}
	case hotline.RoleDispatcher, hotline.RoleTeamLead, hotline.RoleProjectManager:
		return []queue{
			{"accepted", "待提交（网络渠道等）", func(time.Time, hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: st(hotline.StatusAccepted), Sort: "oldest"}
			}},
			{"dispatch", "待派单", func(time.Time, hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: st(hotline.StatusPendingDispatch), Sort: "oldest"}
			}},
			{"review", "待审核答复", func(time.Time, hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: st(hotline.StatusReplied), Sort: "oldest"}
			}},
			{"requests", "待审批延期/挂起", func(time.Time, hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Pending: true, Sort: "oldest"}
			}},
			{"returns", "退单待审核", func(time.Time, hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{ReturnReview: true, Sort: "return"}
			}},
			overdue,
		}
	case hotline.RoleCallbackAgent:
		return []queue{{"callback", "待回访", func(time.Time, hotline.Actor) sqldb.TicketFilter {
			return sqldb.TicketFilter{Callback: true, Sort: "due"}
		}}, {"archive", "待归档", func(time.Time, hotline.Actor) sqldb.TicketFilter {
			return sqldb.TicketFilter{Archivable: true, Sort: "oldest"}
		}}}
	case hotline.RoleUnit:
		return []queue{
			{"acknowledge", "待签收", func(time.Time, hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: st(hotline.StatusDispatched), Sort: "due"}
			}},
			{"handling", "办理中", func(time.Time, hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: st(hotline.StatusHandling, hotline.StatusSuspended), Sort: "due"}
			}},
			{"mine", "我经办的", func(_ time.Time, a hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: openStatuses, HandlerID: a.UserID, Sort: "due"}
			}},
			{"unassigned", "未分配经办人", func(time.Time, hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: openStatuses, Unassigned: true, Sort: "due"}
			}},
			{"urged", "市民催办", func(time.Time, hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: openStatuses, Urged: true, Sort: "due"}
			}},
			{"forwarded", "上级转办", func(_ time.Time, a hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{SubUnitID: a.UnitID, SubStatus: []string{hotline.SubForwarded, hotline.SubAcknowledged}, Sort: "due"}
			}},
			{"sub-review", "待审核下级答复", func(_ time.Time, a hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{LeadUnitID: a.UnitID, SubStatus: []string{hotline.SubReplied, hotline.SubSentBack}, Sort: "due"}
			}},
			{"due-soon", "24小时内到期", func(now time.Time, _ hotline.Actor) sqldb.TicketFilter {
				return sqldb.TicketFilter{Status: openStatuses, DueBefore: now.Add(24 * time.Hour), Overdue: new(bool), Sort: "due"}
			}},
			overdue,
		}
	}
	// The centre's read-only and management roles: today's figures, each
	// a list behind it.
	return []queue{
		{"today", "今日受理", func(now time.Time, _ hotline.Actor) sqldb.TicketFilter {
			d := now.In(hotline.ChinaZone)
			return sqldb.TicketFilter{From: time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, hotline.ChinaZone)}
		}},
		{"dispatch", "待派单", func(time.Time, hotline.Actor) sqldb.TicketFilter {
			return sqldb.TicketFilter{Status: st(hotline.StatusPendingDispatch), Sort: "oldest"}
		}},
		{"open", "全部在办", func(time.Time, hotline.Actor) sqldb.TicketFilter {
			return sqldb.TicketFilter{Status: openStatuses, Sort: "due"}
		}},
		overdue,
		{"review", "待审核答复", func(time.Time, hotline.Actor) sqldb.TicketFilter {
			return sqldb.TicketFilter{Status: st(hotline.StatusReplied), Sort: "oldest"}
		}},
		{"callback", "待回访", func(time.Time, hotline.Actor) sqldb.TicketFilter {
			return sqldb.TicketFilter{Callback: true, Sort: "due"}
		}},
		{"returns", "退单待审核", func(time.Time, hotline.Actor) sqldb.TicketFilter {
			return sqldb.TicketFilter{ReturnReview: true, Sort: "return"}
		}},
	}
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	var tabs []tab
	for _, q := range queuesFor(a) {
		f := q.Filter(s.DB.Now(), a)
		f.CountOnly = true
		_, n, err := s.DB.FindTickets(r.Context(), a, f)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		class := ""
		if q.Key == "overdue" && n > 0 {
			class = "overdue"
		}
		tabs = append(tabs, tab{Label: q.Label, URL: "/queue/" + q.Key, Count: n, Class: class})
	}
	// Reminders: the knowledge base's articles due for review, to their
	// owning unit and to the editors.
	if a.Role == hotline.RoleUnit || a.Role.Has(hotline.PermEditKB) {
		today := hotline.Day(s.DB.Now())
		n, err := s.DB.CountArticlesDue(r.Context(), a.UnitID, today)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		u := "/kb?due_on=" + today
		if a.Role == hotline.RoleUnit {
			u += "&unit_id=" + strconv.FormatInt(a.UnitID, 10)
		} else {
			u = "/kb/review"
		}
		class := ""
		if n > 0 {
			class = "warning"
		}
		tabs = append(tabs, tab{Label: "知识库待复核", URL: u, Count: n, Class: class})
	}
	// The early warnings not yet acknowledged, to the team lead and the
	// managers who act on them.
	if a.Role.Has(hotline.PermHandleWarnings) {
		t, err := s.warningsDue(r, a)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		tabs = append(tabs, t)
	}
	// The reports of the periods just ended that are not yet submitted
	// (the monthly one early each month), to those who write them.
	if a.Role.Has(hotline.PermWriteReports) {
		t, err := s.reportsDue(r, a)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		tabs = append(tabs, t)
	}
	if a.Role == hotline.RoleCallAgent || a.Role == hotline.RoleTeamLead || a.Role == hotline.RoleDispatcher {
		tabs = append([]tab{{Label: "受理登记", URL: "/intake", Count: -1}}, tabs...)
	}
	// Quality: the inspector's tasks, and today's live monitoring against
	// its target (red below 5 seats).
	if quality.CanInspect(a) {
		_, pending, err := s.DB.Quality().FindInspections(r.Context(), a, sqldb.InspectionFilter{Status: quality.StatusPending, InspectorID: a.UserID, Size: 1})
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		live, err := s.DB.Quality().LiveMonitoringDay(r.Context(), a, s.DB.Now())
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		class := ""
		if !live.Met {
			class = "overdue"
		}
		tabs = append(tabs, tab{Label: "待质检", URL: "/quality?status=pending", Count: pending},
			tab{Label: "今日实时监控坐席", URL: "/calls/wall", Count: live.Seats, Class: class})
	}
	var alerts []*sqldb.Alert
	if a.Role.Has(hotline.PermManageUsers) || a.Role.Has(hotline.PermReadAudit) {
		var err error
		if alerts, err = s.DB.FindAlerts(r.Context(), a); err != nil {
			s.errorPage(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "home", "首页", struct {
		Queues     []tab
		Alerts     []*sqldb.Alert
		CanResolve bool
	}{tabs, alerts, a.Role.Has(hotline.PermManageUsers)})
}

// pageOf fills the paging fields of a list.
func (c *listContent) pageOf(r *http.Request, page, size, total int) {
	c.Total, c.Page = total, page
	c.Pages = max(1, (total+size-1)/size)
	link := func(p int) string {
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(p))
		return r.URL.Path + "?" + v.Encode()
	}
	if page > 1 {
		c.Prev = link(page - 1)
	}
	if page < c.Pages {
		c.Next = link(page + 1)
	}
}

func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	qs := queuesFor(a)
	key := r.PathValue("name")
	c := listContent{Heading: "工作队列"}
	var current *queue
	for i, q := range qs {
		f := q.Filter(s.DB.Now(), a)
		f.CountOnly = true
		_, n, err := s.DB.FindTickets(r.Context(), a, f)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		c.Tabs = append(c.Tabs, tab{Label: q.Label, URL: "/queue/" + q.Key, Count: n, Active: q.Key == key})
		if q.Key == key {
			current = &qs[i]
			c.Heading = q.Label
		}
	}
	if current == nil {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "没有这个工作队列"))
		return
	}
	page, err := parsePage(r.URL.Query(), "page")
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	f := current.Filter(s.DB.Now(), a)
	f.Page, f.PageSize = page, 50
	items, total, err := s.DB.FindTickets(r.Context(), a, f)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	var ok bool
	if c.Ref, ok = s.pageRef(w, r); !ok {
		return
	}
	ids := make([]int64, len(items))
	for i, t := range items {
		ids[i] = t.ID
	}
	if current.Key == "accepted" || current.Key == "dispatch" {
		if c.Proposals, err = s.DB.FindMergeProposals(r.Context(), a, ids); err != nil {
			s.errorPage(w, r, err)
			return
		}
	}
	if current.Key == "dispatch" {
		if c.Suggested, err = s.firstUnits(r.Context(), items, c.Ref); err != nil {
			s.errorPage(w, r, err)
			return
		}
	}
	c.Tickets, c.Empty = items, "队列为空，做得好！"
	c.pageOf(r, f.Page, f.PageSize, total)
	s.render(w, r, http.StatusOK, "tickets", c.Heading, c)
}

// listFilter reads the ticket list's filters from the query, reusing the
// API's parser so that both accept exactly the same.
func listFilter(r *http.Request) (sqldb.TicketFilter, map[string]string, error) {
	f, err := ticketFilter(r)
	shown := map[string]string{}
	for _, k := range []string{"q", "status", "channel", "appeal_kind", "category_id", "unit_id", "from", "to", "overdue", "sort"} {
		shown[k] = r.URL.Query().Get(k)
	}
	if v := shown["sort"]; v == "oldest" || v == "due" {
		f.Sort = v
	}
	return f, shown, err
}

func (s *Server) handleTicketList(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	c := listContent{Heading: "工单查询", ShowFilters: true, UnitFilter: a.Centre(), Statuses: hotline.Statuses,
		Channels: []hotline.Channel{hotline.ChannelPhone, hotline.ChannelWeb, hotline.ChannelWechat, hotline.ChannelGovPlatform, hotline.ChannelSMS, hotline.ChannelEmail},
		Kinds:    hotline.AppealKinds}
	var err error
	var ok bool
	if c.Ref, ok = s.pageRef(w, r); !ok {
		return
	}
	f, shown, ferr := listFilter(r)
	c.F = shown
	if ferr != nil {
		c.Error = errText(r, ferr)
		s.render(w, r, http.StatusBadRequest, "tickets", c.Heading, c)
		return
	}
	f.Page, f.PageSize = max(f.Page, 1), 50
	items, total, err := s.DB.FindTickets(r.Context(), a, f)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	c.Tickets = items
	c.pageOf(r, f.Page, f.PageSize, total)
	if a.Role.Has(hotline.PermExportTickets) {
		v := r.URL.Query()
		v.Del("page")
		c.Export = "/tickets/export.xlsx?" + v.Encode()
	}
	s.render(w, r, http.StatusOK, "tickets", c.Heading, c)
}

func (s *Server) handleBoard(w http.ResponseWriter, r *http.Request) {
	s.show(w, r, http.StatusOK, "board", "督办看板", func(rf *ref) (any, error) {
		loads, err := s.DB.SupervisionBoard(r.Context(), actorFrom(r))
		return struct {
			Loads []*sqldb.UnitLoad
			Ref   *ref
		}{loads, rf}, err
	})
}

// handleBoardAPI is the supervision board as JSON: per unit its open,
// warning and overdue tickets, and the supervisions and urges (the
// centre's and citizens') it received.
func (s *Server) handleBoardAPI(w http.ResponseWriter, r *http.Request) {
	loads, err := s.DB.SupervisionBoard(r.Context(), actorFrom(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": loads})
}
