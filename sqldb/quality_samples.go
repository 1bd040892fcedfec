package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"hotline"
	"hotline/quality"
)

// SampleRequest is a sampling rule (抽样规则) over a period: the calls
// (answered) or the tickets (accepted) of the period, optionally of one
// agent, a least talk time (calls), a channel or an appeal kind
// (tickets); a share of each agent's (default 5%); a seed (default: from
// the period's start, so that a week's draw is the same whoever makes it).
type SampleRequest struct {
	Target         quality.Target `json:"target"`
	From           time.Time      `json:"from"`
	To             time.Time      `json:"to"`
	Share          float64        `json:"share"`
	Agent          string         `json:"agent,omitempty"`
	MinTalkSeconds int            `json:"min_talk_seconds,omitempty"`
	Channel        string         `json:"channel,omitempty"`
	AppealKind     string         `json:"appeal_kind,omitempty"`
	Seed           int64          `json:"seed"`
}

// Sample is a recorded draw and what it gave.
type Sample struct {
	ID         int64          `json:"id"`
	Rule       SampleRequest  `json:"rule"`
	Candidates int            `json:"candidates"`
	Drawn      int            `json:"drawn"`
	PerAgent   map[string]int `json:"per_agent"` // username → tasks
}

// DrawSample draws a sample by the rule (quality.Draw: the share of each
// agent's work, reproducible by the seed), records the draw and opens a
// sampled inspection for each drawn call or ticket, spread over the
// active inspectors in turn — all in one transaction. What an earlier
// draw took is not drawn again.
func (q *Quality) DrawSample(ctx context.Context, actor hotline.Actor, req SampleRequest) (*Sample, error) {
	if !quality.CanInspect(actor) && actor.Role != hotline.RoleProjectManager {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能抽样质检", actor.Role.Label())
	}
	switch {
	case req.Target != quality.TargetCall && req.Target != quality.TargetTicket:
		return nil, hotline.Invalid("target", "抽样对象应为 call（通话）或 ticket（工单）")
	case req.From.IsZero() || !req.To.After(req.From) || req.To.Sub(req.From) > 93*24*time.Hour:
		return nil, hotline.Invalid("to", "请给出抽样时段：from 早于 to，不超过三个月")
	case req.Share < 0 || req.Share > 1:
		return nil, hotline.Invalid("share", "抽样比例应为 0 到 1（如 0.05 即 5%%）")
	case req.MinTalkSeconds < 0:
		return nil, hotline.Invalid("min_talk_seconds", "通话时长下限不能为负")
	}
	if req.Share == 0 {
		req.Share = quality.DefaultShare
	}
	if req.Seed == 0 {
		req.Seed = req.From.Unix()
	}
	tx, err := q.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	extra := ""
	args := []any{req.From.UnixMilli(), req.To.UnixMilli()}
	add := func(cond string, v any) {
		args = append(args, v)
		extra += " AND " + fmt.Sprintf(cond, len(args))
	}
	var query string
	if req.Target == quality.TargetCall {
		if req.MinTalkSeconds > 0 {
			add("talk_ms >= $%d", int64(req.MinTalkSeconds)*1000)
		}
		if req.Agent != "" {
			add("agent = $%d", req.Agent)
		}
		query = `SELECT id, call_id, agent_id, agent FROM calls WHERE outcome = 'answered' AND agent_id IS NOT NULL AND offered_at >= $1 AND offered_at < $2` +
			extra + ` AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.call_id = calls.id AND i.reason = 'sampled')`
	} else {
		if req.Channel != "" {
			add("channel = $%d", req.Channel)
		}
		if req.AppealKind != "" {
			add("appeal_kind = $%d", req.AppealKind)
		}
		if req.Agent != "" {
			add("owner_id = (SELECT id FROM users WHERE username = $%d)", req.Agent)
		}
		query = `SELECT id, number, owner_id, (SELECT username FROM users WHERE users.id = tickets.owner_id) FROM tickets WHERE owner_id IS NOT NULL AND created_at >= $1 AND created_at < $2` +
			extra + ` AND NOT EXISTS (SELECT 1 FROM inspections i WHERE i.ticket_id = tickets.id AND i.reason = 'sampled')`
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var cands []quality.Candidate
	for rows.Next() {
		var c quality.Candidate
		if err := rows.Scan(&c.ID, &c.Key, &c.AgentID, &c.Agent); err != nil {
			rows.Close()
			return nil, err
		}
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	drawn := quality.Draw(cands, req.Share, uint64(req.Seed))
	rule, _ := json.Marshal(req)
	s := &Sample{Rule: req, Candidates: len(cands), Drawn: len(drawn), PerAgent: map[string]int{}}
	if err := tx.QueryRowContext(ctx, `INSERT INTO inspection_samples (target, rule, seed, period_from, period_to, candidates, drawn, drawn_by, drawn_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, req.Target, string(rule), req.Seed, req.From.UnixMilli(), req.To.UnixMilli(),
		len(cands), len(drawn), nullID(actor.UserID), tx.now.UnixMilli()).Scan(&s.ID); err != nil {
		return nil, err
	}
	if err := insertSampled(ctx, tx, req.Target, drawn, s.ID); err != nil {
		return nil, err
	}
	for _, c := range drawn {
		s.PerAgent[c.Agent]++
	}
	if err := appendAudit(ctx, tx, actor, "quality.sample", fmt.Sprintf("sample:%d", s.ID),
		fmt.Sprintf("%s %d/%d seed %d", req.Target, len(drawn), len(cands), req.Seed)); err != nil {
		return nil, err
	}
	return s, tx.Commit()
}

// insertSampled opens the sampled inspections of a draw, due DueWithin,
// for the active inspectors in turn, 500 rows a statement.
func insertSampled(ctx context.Context, tx *Tx, target quality.Target, drawn []quality.Candidate, sampleID int64) error {
	var inspectors []int64
	rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE role = 'inspector' AND active ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		inspectors = append(inspectors, id)
	}
	rows.Close()
	now, due := tx.now.UnixMilli(), tx.now.Add(quality.DueWithin).UnixMilli()
	for start := 0; start < len(drawn); start += 500 {
		batch := drawn[start:min(start+500, len(drawn))]
		var b strings.Builder
		args := make([]any, 0, len(batch)*4)
		b.WriteString(`INSERT INTO inspections (ticket_id, call_id, agent_id, reason, status, inspector_id, due_at, created_at, sample_id) VALUES `)
		for i, c := range batch {
			var inspector any
			if len(inspectors) > 0 {
				inspector = inspectors[(start+i)%len(inspectors)]
			}
			var ticket, call any = c.ID, nil
			if target == quality.TargetCall {
				ticket, call = nil, c.ID
			}
			n := len(args)
			args = append(args, ticket, call, c.AgentID, inspector)
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "($%d, $%d, $%d, 'sampled', 'pending', $%d, %d, %d, %d)", n+1, n+2, n+3, n+4, due, now, sampleID)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// WeeklyDrawn reports whether the weekly draw of calls (one made by no
// one: the schedule's) exists for the week [from, to).
func (q *Quality) WeeklyDrawn(ctx context.Context, from, to time.Time) (bool, error) {
	var n int
	err := q.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM inspection_samples WHERE target = 'call' AND period_from = $1 AND period_to = $2
		AND drawn_by IS NULL`, from.UnixMilli(), to.UnixMilli()).Scan(&n)
	return n > 0, err
}
