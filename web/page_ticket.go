package web

import (
	"net/http"
	"strconv"

	"hotline"
	"hotline/replycheck"
	"hotline/sqldb"
)

// actionFields are the form fields each action asks for.
var actionFields = map[hotline.Action][]string{
	hotline.ActionResolveOnCall:    {"content"},
	hotline.ActionDispatch:         {"lead_unit_id", "note"},
	hotline.ActionDesignate:        {"lead_unit_id", "note"},
	hotline.ActionReturn:           {"reason", "suggested_unit_id"},
	hotline.ActionReviewReturn:     {"approve", "reason"},
	hotline.ActionRequestExtension: {"working_days", "reason"},
	hotline.ActionApproveExtension: {"comment"},
	hotline.ActionRefuseExtension:  {"comment"},
	hotline.ActionRequestSuspend:   {"reason"},
	hotline.ActionApproveSuspend:   {"comment"},
	hotline.ActionRefuseSuspend:    {"comment"},
	hotline.ActionReply:            {"content"},
	hotline.ActionReview:           {"approve", "comment"},
	hotline.ActionSupervise:        {"note"},
	hotline.ActionUrge:             {"content"},
	hotline.ActionCallback:         {"reached", "note"},
	hotline.ActionReopen:           {"reason"},
	hotline.ActionMerge:            {"into_number"},
	hotline.ActionCancel:           {"reason"},
	hotline.ActionArchive:          {"reason"},
	hotline.ActionTransfer:         {"owner_id", "reason"},
	hotline.ActionAssign:           {"user_id"},
	hotline.ActionCorrect:          {"correction", "reason"},
	hotline.ActionSupplement:       {"kind", "content"},
	hotline.ActionForward:          {"unit_id", "note"},
	hotline.ActionReviewSub:        {"approve", "reason"},
}

// actionForm is what the "actionform" template draws for one action.
type actionForm struct {
	TicketID    int64
	Action      hotline.Action
	Fields      []string
	CSRF        string
	Units       []*hotline.Unit
	SuggestLead int64
	SuggestNote string // why SuggestLead is preselected
	LeadUnitID  int64  // the current lead unit, not offered as a return's suggestion
	SuggestCo   []int64
	Owners      []*hotline.User // for a transfer
	OwnerID     int64           // the current owner, not offered
	Handlers    []*hotline.User // for an assignment: the lead unit's staff
	HandlerID   int64           // the current handler, not offered
	Model       *Suggestion     // for a dispatch
	Ticket      *hotline.Ticket // for a correction: the values to start from
	Categories  []*hotline.Category
	Regions     []*hotline.Unit
	Kinds       []hotline.AppealKind
	Children    []*hotline.Unit // for a sub-dispatch: the lead unit's child units
	Reply       string          // a reply's starting text: the child's reply the lead approved
	Child       bool            // the viewer is the child unit the ticket was forwarded to
	Files       bool            // the form takes attachments (a reply, a repeat call)
	Urgencies   []hotline.Urgency
}

func newActionForm(c ticketContent, a hotline.Action) actionForm {
	f := actionForm{TicketID: c.View.ID, Action: a, Fields: actionFields[a], CSRF: c.CSRF, Units: c.Ref.Units, Owners: c.Ref.Owners, OwnerID: c.View.OwnerID, Model: c.Model,
		Handlers: c.Ref.unitStaff[c.View.LeadUnitID], HandlerID: c.View.HandlerID, LeadUnitID: c.View.LeadUnitID}
	f.Child = c.View.IsSubUnit(c.Actor)
	f.Files = c.View.CanAttach && (a == hotline.ActionReply || a == hotline.ActionSupplement)
	switch a {
	case hotline.ActionForward:
		f.Children = c.Ref.children(c.View.LeadUnitID)
	case hotline.ActionReply:
		if c.View.SubStatus == hotline.SubApproved && !c.View.IsSubUnit(c.Actor) {
			f.Reply = c.View.SubReply
		}
	}
	if a == hotline.ActionCorrect {
		f.Ticket, f.Categories, f.Regions = c.View.Ticket, c.Ref.Categories, c.Ref.regions()
		f.Kinds, f.Urgencies = hotline.AppealKinds, hotline.Urgencies
	}
	if e := c.View.Suggestion; e != nil {
		f.SuggestLead, f.SuggestCo, f.SuggestNote = e.LeadUnitID, e.CoUnitIDs, "（派单目录推荐）"
	}
	if id := c.View.SuggestedUnitID; id != 0 { // an approved return's suggestion comes first
		f.SuggestLead, f.SuggestNote = id, "（退单单位建议）"
	}
	return f
}

// Title is the form's heading and button: the action's name, except that
// a child unit's return sends the ticket back to its parent.
func (f actionForm) Title() string {
	if f.Child && f.Action == hotline.ActionReturn {
		return "退回上级"
	}
	return f.Action.Label()
}

type ticketContent struct {
	View     *sqldb.TicketView
	Actor    hotline.Actor
	Ref      *ref
	CSRF     string
	Revealed bool
	Model    *Suggestion            // the dispatch models' suggestion, when the viewer may dispatch
	Similar  []*sqldb.SimilarTicket // merge proposals, when the viewer may merge
	// ReplyFlags are what the reply quality check finds in a reply
	// waiting for the viewer's review (答复质量).
	ReplyFlags []replycheck.Flag
	Error      string
}

func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request, status int, reveal *hotline.Requester, errMsg string) {
	id, err := pathID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	a := actorFrom(r)
	v, err := s.DB.FindTicketView(r.Context(), a, id)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	rf, ok := s.pageRef(w, r)
	if !ok {
		return
	}
	c := ticketContent{View: v, Actor: a, Ref: rf, CSRF: sessionFrom(r).CSRF, Error: errMsg}
	for _, act := range v.Actions {
		if act == hotline.ActionMerge {
			if c.Similar, err = s.DB.FindSimilarTickets(r.Context(), a,
				sqldb.SimilarQuery{Title: v.Title, Content: v.Content, LocationUnitID: v.Location.UnitID, CategoryID: v.CategoryID, Except: v.ID}, 5); err != nil {
				s.errorPage(w, r, err)
				return
			}
		}
	}
	for _, act := range v.Actions {
		if act == hotline.ActionDispatch || act == hotline.ActionDesignate {
			if c.Model, err = s.suggest(r.Context(), v.Title+"\n"+v.Content, rf); err != nil {
				s.errorPage(w, r, err)
				return
			}
			c.Model.leaveOut(v.Ticket)
			break
		}
	}
	for _, act := range v.Actions {
		if act == hotline.ActionReview && v.Reply != "" {
			c.ReplyFlags = replycheck.Checker{}.Check(v.Title, v.Content, v.Reply)
		}
	}
	if reveal != nil {
		c.Revealed = true
		v.Requester = *reveal
	}
	s.render(w, r, status, "ticket", v.Number, c)
}

// replyFlagNames are the reply check's reasons as the pages say them (the
// check's own package says the same to the API).
var replyFlagNames = map[string]string{replycheck.Short: "答复过短，未说明调查和办理情况", replycheck.NoAction: "未说明采取的措施或办理结果",
	replycheck.PhoneOnly: "只让市民自行拨打电话，未答复诉求本身", replycheck.OffTopic: "未回应诉求的要点"}

func (s *Server) handleTicketPage(w http.ResponseWriter, r *http.Request) {
	s.ticketPage(w, r, http.StatusOK, nil, "")
}

func (s *Server) handleRevealForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	req, err := s.DB.RevealRequester(r.Context(), actorFrom(r), id, r.PostFormValue("reason"))
	if err != nil {
		s.ticketPage(w, r, statusOf[hotline.ErrorCode(err)], nil, localeOf(r).Err(err))
		return
	}
	s.ticketPage(w, r, http.StatusOK, &req, "")
}

// commandFromForm reads an action's fields from a posted form.
func commandFromForm(r *http.Request, a hotline.Action) (hotline.Command, error) {
	cmd := hotline.Command{Action: a, Reason: r.PostFormValue("reason"), Content: r.PostFormValue("content"),
		Comment: r.PostFormValue("comment"), Note: r.PostFormValue("note"), Rating: hotline.Rating(r.PostFormValue("rating")),
		IntoNumber: r.PostFormValue("into_number"), Kind: r.PostFormValue("kind")}
	if a == hotline.ActionCorrect {
		cmd.AppealKind, cmd.Urgency, cmd.Title = hotline.AppealKind(r.PostFormValue("appeal_kind")), hotline.Urgency(r.PostFormValue("urgency")), r.PostFormValue("title")
		cmd.Location = &hotline.Location{Address: r.PostFormValue("location")}
		if v := r.PostFormValue("location_unit_id"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return cmd, hotline.Invalid("location.unit_id", "应为数字")
			}
			cmd.Location.UnitID = n
		}
	}
	ints := []struct {
		name string
		dst  *int64
	}{{"lead_unit_id", &cmd.LeadUnitID}, {"into_id", &cmd.IntoID}, {"owner_id", &cmd.OwnerID}, {"user_id", &cmd.UserID}, {"suggested_unit_id", &cmd.SuggestedUnitID},
		{"category_id", &cmd.CategoryID}, {"unit_id", &cmd.UnitID}}
	for _, f := range ints {
		if v := r.PostFormValue(f.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return cmd, hotline.Invalid(f.name, "应为数字")
			}
			*f.dst = n
		}
	}
	for _, v := range r.PostForm["co_unit_ids"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return cmd, hotline.Invalid("co_unit_ids", "应为数字")
		}
		if n != cmd.LeadUnitID { // choosing the lead again among co-units is a slip, not an intent
			cmd.CoUnitIDs = append(cmd.CoUnitIDs, n)
		}
	}
	if v := r.PostFormValue("working_days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return cmd, hotline.Invalid("working_days", "应为数字")
		}
		cmd.WorkingDays = n
	}
	bools := []struct {
		name string
		dst  **bool
	}{{"approve", &cmd.Approve}, {"reached", &cmd.Reached}, {"resolved", &cmd.Resolved}}
	for _, f := range bools {
		if v := r.PostFormValue(f.name); v != "" {
			b := v == "true"
			*f.dst = &b
		}
	}
	if cmd.Reached != nil && !*cmd.Reached {
		cmd.Rating, cmd.Resolved = "", nil // not reached: only the attempt counts
	}
	return cmd, nil
}

func (s *Server) handleActionForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	a := hotline.Action(r.PathValue("action"))
	if _, ok := actionFields[a]; !ok && a != hotline.ActionSubmit && a != hotline.ActionAcknowledge && a != hotline.ActionResume {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "没有“%s”这个操作", a))
		return
	}
	cmd, err := commandFromForm(r, a)
	var ups []upload
	if err == nil {
		ups, err = s.readUploads(r) // the reply's or the call's files, checked first
	}
	if err == nil {
		var t *hotline.Ticket
		if t, err = s.DB.ApplyAction(r.Context(), actorFrom(r), id, cmd); err == nil && (a == hotline.ActionDispatch || a == hotline.ActionDesignate) {
			s.recordDispatch(r.Context(), actorFrom(r), t)
		} else if err == nil && a == hotline.ActionSubmit {
			if g := s.unitGuess(r.Context(), t); g != nil {
				_, err = s.DB.AutoDispatch(r.Context(), id, g)
			}
		}
	}
	if err != nil {
		s.ticketFormError(w, r, a, err)
		return
	}
	if _, err := s.attach(r, id, ups); err != nil {
		s.ticketFormError(w, r, hotline.ActionAttach, err)
		return
	}
	next := "/tickets/" + strconv.FormatInt(id, 10)
	if _, err := s.DB.FindTicketByID(r.Context(), actorFrom(r), id); err != nil {
		next = "/" // a unit that returned the ticket no longer sees it
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// ticketFormError answers a ticket page's form that did not work: the
// error page for a missing ticket or an internal error, otherwise the
// ticket page again, saying what did not work and why.
func (s *Server) ticketFormError(w http.ResponseWriter, r *http.Request, what hotline.Action, err error) {
	code := hotline.ErrorCode(err)
	if code == hotline.EInternal || code == hotline.ENotFound {
		s.errorPage(w, r, err)
		return
	}
	s.ticketPage(w, r, statusOf[code], nil, localeOf(r).Tf("%s未成功：%s", what.Label(), localeOf(r).Err(err)))
}
