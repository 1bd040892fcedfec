package quality_test

import (
	"fmt"
	"testing"
	"time"

	"hotline"
	"hotline/quality"
)

func TestDefaultCards(t *testing.T) {
	for _, c := range quality.DefaultCards() {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		fatal := 0
		for _, it := range c.Items {
			if it.Fatal {
				fatal++
			}
		}
		if fatal == 0 {
			t.Errorf("%s has no fatal item", c.Name)
		}
	}
}

func TestScorecard_Validate(t *testing.T) {
	base := func() quality.Scorecard {
		return quality.Scorecard{Name: "卡", Target: quality.TargetCall, PassScore: 80, Items: []quality.Item{
			{Key: "a", Section: "S", Name: "A", Points: 60}, {Key: "b", Section: "S", Name: "B", Points: 40}, {Key: "f", Section: "S", Name: "F", Fatal: true}}}
	}
	for _, c := range []struct {
		field string
		edit  func(*quality.Scorecard)
	}{
		{"", func(*quality.Scorecard) {}},
		{"name", func(c *quality.Scorecard) { c.Name = " " }},
		{"target", func(c *quality.Scorecard) { c.Target = "email" }},
		{"pass_score", func(c *quality.Scorecard) { c.PassScore = 0 }},
		{"items", func(c *quality.Scorecard) { c.Items[0].Points = 50 }},
		{"items[1].key", func(c *quality.Scorecard) { c.Items[1].Key = "a" }},
		{"items[2].points", func(c *quality.Scorecard) { c.Items[2].Points = 5 }},
		{"items[0].name", func(c *quality.Scorecard) { c.Items[0].Section = "" }},
	} {
		card := base()
		c.edit(&card)
		if got := hotline.ErrorField(card.Validate()); got != c.field {
			t.Errorf("want field %q, got %q", c.field, got)
		}
	}
}

func TestScorecard_Score(t *testing.T) {
	card := quality.DefaultCards()[0]
	marks, o, err := card.Score(nil)
	if err != nil || o.Score != 100 || !o.Passed || len(marks) != len(card.Items) {
		t.Fatalf("nothing marked: %+v %v", o, err)
	}
	_, o, _ = card.Score([]quality.Mark{{Key: "elements", Points: 5}, {Key: "answer", Points: 10}})
	if o.Score != 75 || o.Passed || o.Fatal {
		t.Errorf("25 points off: %+v (pass at 80)", o)
	}
	_, o, _ = card.Score([]quality.Mark{{Key: "privacy", Failed: true}})
	if o.Score != 0 || !o.Fatal || o.Passed {
		t.Errorf("a fatal item: %+v", o)
	}
	for _, m := range []quality.Mark{{Key: "nope"}, {Key: "greeting", Points: 11}, {Key: "greeting", Points: -1}, {Key: "privacy", Points: 3}, {Key: "greeting", Failed: true}} {
		if _, _, err := card.Score([]quality.Mark{m}); err == nil {
			t.Errorf("mark %+v accepted", m)
		}
	}
}

// The inspection's state machine: who may do what, in which state.
func TestInspection_Check(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, hotline.ChinaZone)
	agent := hotline.Actor{UserID: 7, Role: hotline.RoleCallAgent}
	other := hotline.Actor{UserID: 8, Role: hotline.RoleCallAgent}
	qa := hotline.Actor{UserID: 2, Role: hotline.RoleInspector}
	analyst := hotline.Actor{UserID: 3, Role: hotline.RoleAnalyst}
	lead := hotline.Actor{UserID: 4, Role: hotline.RoleTeamLead}
	for _, c := range []struct {
		status quality.Status
		who    hotline.Actor
		action string
		late   bool
		want   string // error code, "" for allowed
	}{
		{quality.StatusPending, qa, quality.ActScore, false, ""},
		{quality.StatusPending, lead, quality.ActScore, false, ""},
		{quality.StatusPending, agent, quality.ActScore, false, hotline.EForbidden},
		{quality.StatusScored, qa, quality.ActScore, false, ""},
		{quality.StatusAcknowledged, qa, quality.ActScore, false, hotline.EConflict},
		{quality.StatusObjected, qa, quality.ActScore, false, hotline.EConflict},
		{quality.StatusPending, agent, quality.ActAcknowledge, false, hotline.EConflict},
		{quality.StatusScored, agent, quality.ActAcknowledge, false, ""},
		{quality.StatusScored, other, quality.ActAcknowledge, false, hotline.EForbidden},
		{quality.StatusScored, agent, quality.ActObject, false, ""},
		{quality.StatusScored, agent, quality.ActObject, true, hotline.EConflict},
		{quality.StatusObjected, agent, quality.ActObject, false, hotline.EConflict},
		{quality.StatusObjected, analyst, quality.ActDecide, false, ""},
		{quality.StatusObjected, lead, quality.ActDecide, false, hotline.EForbidden},
		{quality.StatusScored, analyst, quality.ActDecide, false, hotline.EConflict},
		{quality.StatusDecided, analyst, quality.ActDecide, false, hotline.EConflict},
	} {
		in := &quality.Inspection{AgentID: 7, Status: c.status}
		by := now.Add(time.Hour)
		if c.late {
			by = now.Add(-time.Hour)
		}
		err := in.Check(c.who, c.action, now, by)
		if got := hotline.ErrorCode(err); (c.want == "") != (err == nil) || err != nil && got != c.want {
			t.Errorf("%s by %s in %s: %v, want %q", c.action, c.who.Role, c.status, err, c.want)
		}
	}
}

func TestFullReason(t *testing.T) {
	unsat := &hotline.Ticket{Rating: hotline.Unsatisfied}
	for _, c := range []struct {
		t      *hotline.Ticket
		action hotline.Action
		want   quality.Reason
	}{
		{unsat, hotline.ActionCallback, quality.ReasonUnsatisfied},
		{&hotline.Ticket{Rating: hotline.Satisfied}, hotline.ActionCallback, ""},
		{unsat, hotline.ActionReopen, quality.ReasonReopened},
		{&hotline.Ticket{AppealKind: hotline.Complaint}, hotline.ActionAccept, quality.ReasonComplaint},
		{&hotline.Ticket{AppealKind: hotline.Consult}, hotline.ActionAccept, ""},
		{unsat, hotline.ActionArchive, ""},
	} {
		r, ok := quality.FullReason(c.t, &hotline.Event{Action: c.action})
		if ok != (c.want != "") || ok && r != c.want {
			t.Errorf("%s: %q %v, want %q", c.action, r, ok, c.want)
		}
	}
}

// The draw: the same seed gives the same sample whatever the order of the
// candidates; another seed another; each agent gets its share (5% of 200
// calls is 10, of 20 is 1, of 7 still 1); adding an agent changes no one
// else's draw.
func TestDraw(t *testing.T) {
	var cands []quality.Candidate
	id := int64(0)
	for agent, n := range map[int64]int{1: 200, 2: 20, 3: 7, 4: 100} {
		for i := 0; i < n; i++ {
			id++
			cands = append(cands, quality.Candidate{ID: id*13 + agent, Key: fmt.Sprintf("c-%05d", id), AgentID: agent, Agent: fmt.Sprint("agent", agent)})
		}
	}
	a := quality.Draw(cands, 0.05, 42)
	reversed := append([]quality.Candidate(nil), cands...)
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	b := quality.Draw(reversed, 0.05, 42)
	if len(a) != len(b) {
		t.Fatalf("draws of %d and %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("the same seed drew %v and %v", a[i], b[i])
		}
	}
	per := map[int64]int{}
	for _, c := range a {
		per[c.AgentID]++
	}
	if per[1] != 10 || per[2] != 1 || per[3] != 1 || per[4] != 5 {
		t.Errorf("per agent %v, want 10, 1, 1, 5", per)
	}
	other := quality.Draw(cands, 0.05, 43)
	same := 0
	for i := range other {
		if i < len(a) && other[i] == a[i] {
			same++
		}
	}
	if same == len(a) {
		t.Error("another seed drew the same sample")
	}
	more := append(append([]quality.Candidate(nil), cands...), quality.Candidate{ID: 99999, Key: "z", AgentID: 5, Agent: "agent5"})
	c := quality.Draw(more, 0.05, 42)
	if len(c) != len(a)+1 {
		t.Fatalf("a new agent's draw: %d, want %d", len(c), len(a)+1)
	}
	for i := range a {
		if c[i] != a[i] {
			t.Fatalf("a new agent changed another's draw: %v, was %v", c[i], a[i])
		}
	}
	if quality.Draw(cands, 0, 42) != nil {
		t.Error("a zero share drew")
	}
}

// The rectification loop: steps in order only, a failed verification
// back to carrying out, due marks by the response and plan limits.
func TestRectification(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, hotline.ChinaZone)
	r := &quality.Rectification{Status: quality.RectOpen, CreatedAt: t0, ResponseDue: t0.Add(24 * time.Hour), PlanDue: t0.Add(48 * time.Hour)}
	lead, agent := hotline.Actor{Role: hotline.RoleTeamLead}, hotline.Actor{Role: hotline.RoleCallAgent}
	if r.State(t0.Add(time.Hour)) != "ok" || r.State(t0.Add(20*time.Hour)) != "warning" || r.State(t0.Add(25*time.Hour)) != "overdue" {
		t.Errorf("states before the response: %s %s %s", r.State(t0.Add(time.Hour)), r.State(t0.Add(20*time.Hour)), r.State(t0.Add(25*time.Hour)))
	}
	if err := r.CheckStep(agent, quality.StepCause); hotline.ErrorCode(err) != hotline.EForbidden {
		t.Errorf("an agent analysed: %v", err)
	}
	if err := r.CheckStep(lead, quality.StepPlan); hotline.ErrorCode(err) != hotline.EConflict {
		t.Errorf("a plan before the cause: %v", err)
	}
	r.Apply(quality.StepCause, nil, t0.Add(30*time.Hour)) // late
	if r.Status != quality.RectAnalysed || r.OnTime(t0.Add(31*time.Hour)) {
		t.Errorf("a late response: %+v", r)
	}
	r.Apply(quality.StepPlan, nil, t0.Add(40*time.Hour))
	r.Apply(quality.StepCarry, nil, t0.Add(50*time.Hour))
	no := false
	r.Apply(quality.StepVerify, &no, t0.Add(60*time.Hour))
	if r.Status != quality.RectPlanned || r.State(t0.Add(100*time.Hour)) != "" || r.Status.NextStep() != quality.StepCarry {
		t.Errorf("a failed verification: %+v", r)
	}
}
