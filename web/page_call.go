package web

import (
	"net/http"
	"net/url"
	"strconv"

	"hotline"
	"hotline/sqldb"
)

// callListSize is the calls on one page of the list.
const callListSize = 20

// callList fills the calls page's list: the period's calls, newest
// first, of the outcome asked for.
func (s *Server) callList(r *http.Request, c *callsContent, f sqldb.CallFilter) error {
	q := r.URL.Query()
	page, err := parsePage(q, "page")
	if err != nil {
		return err
	}
	c.Outcome = q.Get("outcome")
	c.Outcomes = []hotline.CallOutcome{hotline.CallAnsweredOK, hotline.CallAbandoned, hotline.CallShortAbandon, hotline.CallTalking, hotline.CallRinging}
	calls, total, err := s.DB.FindCalls(r.Context(), actorFrom(r), f, c.Outcome, page, callListSize)
	if err != nil {
		return err
	}
	c.Calls, c.Total, c.Page, c.Pages = calls, total, page, (total+callListSize-1)/callListSize
	link := func(p int) string {
		v := url.Values{"from": {c.From}, "to": {c.To}, "page": {strconv.Itoa(p)}}
		if c.Outcome != "" {
			v.Set("outcome", c.Outcome)
		}
		return "/calls?" + v.Encode() + "#list"
	}
	if page > 1 {
		c.Prev = link(page - 1)
	}
	if page < c.Pages {
		c.Next = link(page + 1)
	}
	return nil
}

var callEventNames = map[hotline.CallEventKind]string{hotline.CallOffered: "进入队列", hotline.CallAnswered: "接听", hotline.CallEnded: "挂断"}

var callSourceNames = map[string]string{"webhook": "话务平台推送", "esl": "FreeSWITCH 事件接口", "cdr": "CDR 导入", "demo": "演示数据"}

// callContent is the page of one call (通话详情).
type callContent struct {
	Call    *hotline.Call
	Tickets []*hotline.Ticket
	Actor   hotline.Actor
	Agent   string // the agent's display name
}

func (s *Server) handleCallPage(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	s.show(w, r, http.StatusOK, "call", "通话详情", func(rf *ref) (any, error) {
		c, err := s.DB.FindCall(r.Context(), a, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		out := &callContent{Call: c, Actor: a, Agent: c.Agent}
		if c.Agent != "" {
			if u, err := s.DB.FindUserByUsername(r.Context(), c.Agent); err == nil && u.DisplayName != c.Agent {
				out.Agent = u.DisplayName + "（" + c.Agent + "）"
			}
		}
		for _, id := range c.TicketIDs {
			if t, err := s.DB.FindTicketByID(r.Context(), a, id); err == nil {
				out.Tickets = append(out.Tickets, t)
			} else if hotline.ErrorCode(err) != hotline.ENotFound && hotline.ErrorCode(err) != hotline.EForbidden {
				return nil, err
			}
		}
		return out, nil
	})
}
