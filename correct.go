package hotline

import (
	"fmt"
	"time"
)

// Correction is what the centre changes in an appeal (更正): any subset of
// its kind, category, urgency, title, content and location. Zero fields
// are left as they are.
type Correction struct {
	AppealKind AppealKind `json:"appeal_kind"`
	CategoryID int64      `json:"category_id"`
	Urgency    Urgency    `json:"urgency"`
	Title      string     `json:"title"`
	Location   *Location  `json:"location"` // address and area; nil: unchanged
}

// FieldChange is one corrected field, before and after, in an event's
// payload ("changes").
type FieldChange struct {
	Field string `json:"field"`
	From  any    `json:"from"`
	To    any    `json:"to"`
}

// correct applies a correction by a dispatcher or team lead before the
// ticket is concluded. The first correction of the title or the content
// keeps the citizen's original words (OriginalTitle, OriginalContent).
// When the kind or urgency changes, env.Corrected is the policy of the
// corrected ticket and the running deadlines are recomputed with it,
// keeping what extensions and suspensions added.
func (t *Ticket) correct(cmd Command, env Env, ev *Event) error {
	switch t.Status {
	case StatusAccepted, StatusPendingDispatch, StatusDispatched, StatusHandling, StatusSuspended, StatusReplied:
	default:
		return t.conflict(ActionCorrect.Label())
	}
	var changes []FieldChange
	change := func(field string, from, to any) { changes = append(changes, FieldChange{field, from, to}) }
	c := cmd.Correction
	if c.AppealKind != "" && c.AppealKind != t.AppealKind {
		if !c.AppealKind.Valid() {
			return Invalid("appeal_kind", "诉求类型无效，应为 consult、help、complaint、report、suggest 或 praise")
		}
		change("appeal_kind", t.AppealKind, c.AppealKind)
		t.AppealKind = c.AppealKind
	}
	if c.CategoryID < 0 {
		return Invalid("category_id", "请选择诉求分类")
	} else if c.CategoryID != 0 && c.CategoryID != t.CategoryID {
		change("category_id", t.CategoryID, c.CategoryID)
		t.CategoryID = c.CategoryID
	}
	if c.Urgency != "" && c.Urgency != t.Urgency {
		if !c.Urgency.Valid() {
			return Invalid("urgency", "紧急程度无效，应为 normal、urgent 或 emergency")
		}
		change("urgency", t.Urgency, c.Urgency)
		t.Urgency = c.Urgency
	}
	if c.Title != "" {
		title := TrimText(c.Title)
		if err := checkText("title", "标题", title, 1, 200); err != nil {
			return err
		}
		if title != t.Title {
			change("title", t.Title, title)
			if t.OriginalTitle == "" {
				t.OriginalTitle = t.Title
			}
			t.Title = title
		}
	}
	if cmd.Content != "" {
		content := TrimText(cmd.Content)
		if err := checkText("content", "诉求内容", content, 1, 20000); err != nil {
			return err
		}
		if content != t.Content {
			change("content", t.Content, content)
			if t.OriginalContent == "" {
				t.OriginalContent = t.Content
			}
			t.Content = content
		}
	}
	if l := c.Location; l != nil {
		addr := TrimText(l.Address)
		if l.Address != "" {
			if err := checkText("location.address", "事发地址", addr, 1, 200); err != nil {
				return err
			}
		}
		if addr != "" && addr != t.Location.Address {
			change("location.address", t.Location.Address, addr)
			t.Location.Address = addr
		}
		if l.UnitID < 0 {
			return Invalid("location.unit_id", "所属区域无效")
		} else if l.UnitID != 0 && l.UnitID != t.Location.UnitID {
			change("location.unit_id", t.Location.UnitID, l.UnitID)
			t.Location.UnitID = l.UnitID
		}
	}
	if len(changes) == 0 {
		return Invalid("correction", "没有要更正的内容：请至少修改一项")
	}
	if err := CheckInput("reason", cmd.Reason); err != nil {
		return err
	}
	ev.Reason = TrimText(cmd.Reason)
	ev.Payload["changes"] = changes
	if p := env.Corrected; p != nil && *p != env.Policy {
		t.recompute(env, *p, ev)
	}
	return nil
}

// recompute moves the running deadlines from the old policy's limits to
// the new one's: each deadline is counted again from its start, plus what
// the old one had been moved beyond its limit (extensions, suspensions).
func (t *Ticket) recompute(env Env, p SLAPolicy, ev *Event) {
	old := env.Policy
	oldClock := t.CalendarClock
	t.CalendarClock = p.Reply.Calendar()
	moved := func(start, due *time.Time, was, now Limit) *time.Time {
		if start == nil || due == nil {
			return due
		}
		base := env.Calendar.Deadline(*start, was)
		var extra time.Duration
		if due.After(base) {
			if extra = due.Sub(base); !oldClock {
				extra = env.Calendar.WorkingTimeBetween(base, *due)
			}
		}
		d := t.shift(env.Calendar, env.Calendar.Deadline(*start, now), extra)
		return &d
	}
	before := map[string]*time.Time{"acknowledge_due_at": t.AckDueAt, "reply_due_at": t.ReplyDueAt}
	if t.Status == StatusDispatched {
		t.AckDueAt = moved(t.DispatchedAt, t.AckDueAt, old.Acknowledge, p.Acknowledge)
	}
	if t.Status != StatusReplied && !(t.ReopenCount > 0) {
		t.ReplyDueAt = moved(t.ReplyStartAt, t.ReplyDueAt, old.Reply, p.Reply)
	}
	ev.Payload["deadlines"] = map[string]any{"policy": fmt.Sprintf("%s/%s", p.AppealKind, p.Urgency),
		"old_acknowledge_due_at": before["acknowledge_due_at"], "acknowledge_due_at": t.AckDueAt,
		"old_reply_due_at": before["reply_due_at"], "reply_due_at": t.ReplyDueAt}
}
