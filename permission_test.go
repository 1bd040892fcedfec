package hotline_test

import (
	"sort"
	"strings"
	"testing"

	"hotline"
)

// TestPermissionMatrix tries every ticket action as every role — and as a
// unit on another unit's ticket — on a ticket in a state where the action
// is legal, and checks that exactly the expected set succeeds. The expected
// table is written here by hand, independently of the table in role.go.
func TestPermissionMatrix(t *testing.T) {
	want := map[hotline.Action]string{
		hotline.ActionSubmit:           "call_agent dispatcher team_lead",
		hotline.ActionResolveOnCall:    "call_agent team_lead",
		hotline.ActionDispatch:         "dispatcher team_lead",
		hotline.ActionDesignate:        "ops_supervisor project_manager team_lead",
		hotline.ActionAcknowledge:      "unit",
		hotline.ActionReturn:           "unit",
		hotline.ActionReviewReturn:     "dispatcher team_lead",
		hotline.ActionRequestExtension: "unit",
		hotline.ActionApproveExtension: "dispatcher project_manager team_lead",
		hotline.ActionRefuseExtension:  "dispatcher project_manager team_lead",
		hotline.ActionRequestSuspend:   "unit",
		hotline.ActionApproveSuspend:   "dispatcher project_manager team_lead",
		hotline.ActionRefuseSuspend:    "dispatcher project_manager team_lead",
		hotline.ActionResume:           "dispatcher team_lead unit",
		hotline.ActionReply:            "unit",
		hotline.ActionReview:           "dispatcher project_manager team_lead",
		hotline.ActionSupervise:        "dispatcher ops_supervisor project_manager team_lead",
		hotline.ActionUrge:             "dispatcher ops_supervisor project_manager team_lead",
		hotline.ActionCallback:         "callback_agent team_lead",
		hotline.ActionReopen:           "callback_agent dispatcher team_lead",
		hotline.ActionMerge:            "dispatcher team_lead",
		hotline.ActionCancel:           "call_agent dispatcher team_lead",
		hotline.ActionArchive:          "callback_agent project_manager team_lead",
		hotline.ActionTransfer:         "project_manager team_lead",
		hotline.ActionAssign:           "unit",
		hotline.ActionCorrect:          "dispatcher team_lead",
		hotline.ActionSupplement:       "call_agent dispatcher team_lead",
		hotline.ActionForward:          "unit",
		hotline.ActionReviewSub:        "unit",
	}
	if len(want) != len(hotline.TicketActions) {
		t.Fatalf("matrix covers %d actions, the lifecycle has %d", len(want), len(hotline.TicketActions))
	}
	// The ticket each action is tried on, reached from acceptance by these steps.
	path := map[hotline.Action][]hotline.Command{}
	submit := hotline.Command{Action: hotline.ActionSubmit}
	dispatch := hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}
	ack := hotline.Command{Action: hotline.ActionAcknowledge}
	handling := []hotline.Command{submit, dispatch, ack}
	reply := hotline.Command{Action: hotline.ActionReply, Content: "已处理"}
	approve := hotline.Command{Action: hotline.ActionReview, Approve: yes()}
	concluded := append(append([]hotline.Command{}, handling...), reply, approve)
	for _, a := range []hotline.Action{hotline.ActionDispatch, hotline.ActionMerge, hotline.ActionCancel} {
		path[a] = []hotline.Command{submit}
	}
	returnReq := hotline.Command{Action: hotline.ActionReturn, Reason: "x"}
	path[hotline.ActionDesignate] = []hotline.Command{submit, dispatch, returnReq, {Action: hotline.ActionReviewReturn, Approve: yes()}}
	path[hotline.ActionReviewReturn] = []hotline.Command{submit, dispatch, returnReq}
	for _, a := range []hotline.Action{hotline.ActionAcknowledge, hotline.ActionReturn} {
		path[a] = []hotline.Command{submit, dispatch}
	}
	for _, a := range []hotline.Action{hotline.ActionRequestExtension, hotline.ActionRequestSuspend, hotline.ActionReply,
		hotline.ActionSupervise, hotline.ActionUrge, hotline.ActionTransfer, hotline.ActionAssign, hotline.ActionCorrect, hotline.ActionSupplement, hotline.ActionForward} {
		path[a] = handling
	}
	for _, a := range []hotline.Action{hotline.ActionApproveExtension, hotline.ActionRefuseExtension} {
		path[a] = append(append([]hotline.Command{}, handling...), hotline.Command{Action: hotline.ActionRequestExtension, Reason: "x", WorkingDays: 2})
	}
	suspendReq := append(append([]hotline.Command{}, handling...), hotline.Command{Action: hotline.ActionRequestSuspend, Reason: "x"})
	path[hotline.ActionApproveSuspend], path[hotline.ActionRefuseSuspend] = suspendReq, suspendReq
	path[hotline.ActionResume] = append(append([]hotline.Command{}, suspendReq...), hotline.Command{Action: hotline.ActionApproveSuspend})
	path[hotline.ActionReview] = append(append([]hotline.Command{}, handling...), reply)
	path[hotline.ActionCallback] = concluded
	path[hotline.ActionReopen] = append(append([]hotline.Command{}, concluded...),
		hotline.Command{Action: hotline.ActionCallback, Reached: yes(), Rating: hotline.Unsatisfied, Resolved: no()})
	path[hotline.ActionArchive] = append(append([]hotline.Command{}, concluded...),
		hotline.Command{Action: hotline.ActionCallback, Reached: yes(), Rating: hotline.Satisfied, Resolved: yes()})

	// A child unit's reply (marked by its note) for the lead to review.
	path[hotline.ActionReviewSub] = append(append([]hotline.Command{}, handling...), hotline.Command{Action: hotline.ActionForward, UnitID: 300},
		hotline.Command{Action: hotline.ActionReply, Content: "已处理", Note: "child"})

	// The one who may take each preparatory step.
	child := hotline.Actor{UserID: 9, Role: hotline.RoleUnit, UnitID: 300}
	doer := func(c hotline.Command) hotline.Actor {
		if c.Note == "child" {
			return child
		}
		switch a := c.Action; a {
		case hotline.ActionAcknowledge, hotline.ActionReturn, hotline.ActionReply, hotline.ActionRequestExtension, hotline.ActionRequestSuspend:
			return unitA
		case hotline.ActionCallback:
			return callback
		case hotline.ActionSubmit:
			return agent
		case hotline.ActionForward:
			return unitA
		}
		return lead
	}
	fields := hotline.Command{Reason: "理由", Content: "内容", Comment: "意见", Note: "督办", LeadUnitID: 100, Approve: yes(),
		Reached: yes(), Rating: hotline.Satisfied, Resolved: yes(), WorkingDays: 2, IntoID: 99, OwnerID: 7, UserID: 8, Kind: hotline.SupplementUrge, UnitID: 300}
	actors := map[string]hotline.Actor{"unit": unitA, "foreign_unit": unitB}
	for i, r := range hotline.Roles {
		if r != hotline.RoleUnit {
			actors[string(r)] = hotline.Actor{UserID: int64(100 + i), Role: r}
		}
	}
	actors["call_agent"] = agent // the owner (首接人)
	for _, action := range hotline.TicketActions {
		var got []string
		for name, actor := range actors {
			w := newWorld(t, "2026-11-23 09:00")
			tk := w.newTicket()
			if action == hotline.ActionResolveOnCall {
				tk.AppealKind = hotline.Consult
			}
			for _, step := range path[action] {
				w.must(tk, doer(step), step, mustStatus(t, tk, doer(step), step, w))
			}
			cmd := fields
			cmd.Action = action
			before := tk.Status
			_, err := tk.Apply(actor, cmd, w.env)
			switch code := hotline.ErrorCode(err); {
			case err == nil:
				got = append(got, name)
			case code != hotline.EForbidden:
				t.Errorf("%s as %s on a %s ticket: %v (want success or forbidden)", action, name, before, err)
			}
		}
		sort.Strings(got)
		if strings.Join(got, " ") != want[action] {
			t.Errorf("%s: allowed for [%s], want [%s]", action, strings.Join(got, " "), want[action])
		}
	}
}

// mustStatus returns the status a preparatory step leads to, by applying it
// to a copy.
func mustStatus(t *testing.T, tk *hotline.Ticket, a hotline.Actor, cmd hotline.Command, w *world) hotline.Status {
	c := *tk
	ev, err := c.Apply(a, cmd, w.env)
	if err != nil {
		t.Fatalf("preparing: %s by %s on %s: %v", cmd.Action, a.Role, tk.Status, err)
	}
	return ev.ToStatus
}

func TestPermissions_RevealAndMasking(t *testing.T) {
	tk := &hotline.Ticket{LeadUnitID: 100, Requester: hotline.Requester{Name: "欧阳翠花", Phone: "13812345678", Address: "安源区凤凰街道幸福里88栋"}}
	for _, tt := range []struct {
		actor        hotline.Actor
		confidential bool
		want         bool
	}{
		{agent, false, true}, {lead, true, true}, {callback, true, true}, {dispatcher, false, false},
		{unitA, false, true}, {unitA, true, false}, {unitB, false, false},
		{hotline.Actor{Role: hotline.RoleSupervisor}, false, false}, {hotline.Actor{Role: hotline.RoleAdmin}, false, false},
	} {
		tk.Confidential = tt.confidential
		if got := tt.actor.CanRevealRequester(tk); got != tt.want {
			t.Errorf("%s (unit %d) reveal on confidential=%v: %v, want %v", tt.actor.Role, tt.actor.UnitID, tt.confidential, got, tt.want)
		}
	}
	c := *tk
	c.Confidential = false
	c.RedactFor(lead)
	if c.Requester.Phone != "138****5678" || c.Requester.Name != "欧阳**" || c.Requester.Address != "安源区凤凰街…" {
		t.Errorf("masked %+v", c.Requester)
	}
	c = *tk
	c.Confidential = true
	c.RedactFor(unitA)
	if c.Requester.Phone != "" || c.Requester.Address != "" || c.Requester.Name != "（保密）" {
		t.Errorf("confidential for a unit %+v", c.Requester)
	}
	for in, want := range map[string]string{"": "", "12345": "***45", "13800001111": "138****1111", "075588880000": "075*****0000"} {
		if got := hotline.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
